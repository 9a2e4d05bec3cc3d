import Logging
import O2CCore

/// Writes one line per effect to the log and does nothing else: the embedded default for
/// actions whose real handler lives in a deployment (`credit_hold`, `write_off`…), and for `fee`.
///
/// The line carries the effect id, the action, the instance and the arguments as plain JSON
/// (sorted keys). Fields marked sensitive are redacted before the effect reaches a handler.
public struct LogHandler: ActionHandler {
    public let logger: Logger
    public let level: Logger.Level

    public init(logger: Logger = Logger(label: "o2c.effects"), level: Logger.Level = .info) {
        self.logger = logger
        self.level = level
    }

    public func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? {
        logger.log(level: level, "\(LogHandler.line(for: delivery))",
                   metadata: ["effect_id": .string(delivery.effectId), "action": .string(delivery.action),
                              "instance": .string(delivery.instanceId)])
        return nil
    }

    /// `effect <id> <action> <arguments JSON>`, on one line (JSON escapes every newline).
    public static func line(for delivery: EffectDelivery) -> String {
        let arguments = Value.object(delivery.arguments).plainJSON.serialized(sortedKeys: true)
        return "effect \(delivery.effectId) \(delivery.action) \(arguments)"
    }
}
