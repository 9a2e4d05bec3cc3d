import Logging
import O2CCore

/// Which handler performs each action: the ones configured in `o2c.yaml`, then the built-in
/// defaults (`notify` → NotifyHandler, `log` and `fee` → LogHandler). `start` and `emit` are
/// performed by the runner itself. An action with no handler gets `nil`: the runner dead-letters it.
public struct HandlerRegistry: Sendable {
    /// Actions that work with no configuration (the runner performs `start` and `emit`).
    public static let builtInActions: Set<String> = ["notify", "log", "fee", "start", "emit"]

    private var handlers: [String: any ActionHandler]
    /// Actions given a handler by the config or by `register`.
    public private(set) var configuredActions: Set<String>
    /// Where `notify` writes and reads, resolved against the project root.
    public let outboxFolder: String
    public let templatesFolder: String

    /// Builds every configured handler. The `logger` is used with the label `o2c.effects` for
    /// the log handler (same log handler and level, so a test or the CLI can capture it).
    public init(config: RuntimeConfig, projectRoot: String, logger: Logger) {
        outboxFolder = RuntimeConfig.resolve(config.outboxFolder, projectRoot: projectRoot)
        templatesFolder = RuntimeConfig.resolve(config.templatesFolder, projectRoot: projectRoot)
        let parent = logger
        let effectsLogger = Logger(label: "o2c.effects", factory: { _ in parent.handler })
        let log = LogHandler(logger: effectsLogger)
        let notify = NotifyHandler(templatesFolder: templatesFolder, outboxFolder: outboxFolder)
        handlers = ["notify": notify, "log": log, "fee": log]
        configuredActions = []
        for (action, spec) in config.handlers {
            let handler: any ActionHandler
            switch spec {
            case .log: handler = log
            case .notify: handler = notify
            case .exec(let command, let timeout, let maxOutput, let environment):
                handler = ExecHandler(command: command, timeout: timeout, maxOutput: maxOutput, environment: environment,
                                      projectRoot: projectRoot)
            case .webhook(let url, let secretEnv, let timeout):
                handler = WebhookHandler(url: url, secretEnv: secretEnv, timeout: timeout)
            }
            handlers[action] = handler
            configuredActions.insert(action)
        }
    }

    /// The handler for `action`, or `nil` if none is configured and it is not built in.
    public func handler(for action: String) -> (any ActionHandler)? { handlers[action] }

    /// Whether `action` can be performed: a handler, or an action the runner performs itself.
    public func canPerform(_ action: String) -> Bool {
        handlers[action] != nil || HandlerRegistry.builtInActions.contains(action)
    }

    /// The actions among `actions` that nothing would perform, sorted: for `o2c validate`.
    public func unhandled(_ actions: some Sequence<String>) -> [String] {
        Set(actions).filter { !canPerform($0) }.sorted()
    }

    /// Replaces or adds the handler of `action` (spies in tests, the simulator's recorders).
    public mutating func register(_ action: String, _ handler: any ActionHandler) {
        handlers[action] = handler
        configuredActions.insert(action)
    }
}
