import O2CCore

/// What handlers answered in the recording, by (instance, action, occurrence): the third
/// `notify` of `invoice-SO-1` is the third `notify` of `invoice-SO-1` under any policy, even
/// when the effect ids (which count steps) have shifted.
public struct AnswerBook: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Answered with this event, `delay` after the effect.
        case answered(event: String, payload: [String: Value], delay: Duration)
        /// Answered, but the answer is only in the outbox as untyped JSON (the answer was refused in production).
        case answeredJSON(event: String, data: JSON, delay: Duration)
        /// Delivered without an answer.
        case noAnswer
        /// Recorded but never delivered (pending or dead-lettered): what the handler would say is unknown.
        case undelivered(String)
        /// The answer's payload has redacted (sensitive) fields.
        case redacted
    }

    struct Key: Hashable, Sendable {
        var instance: String
        var action: String
        var occurrence: Int
    }

    var outcomes: [Key: Outcome] = [:]
    /// Actions that answered at least once in the recording: an unknown outcome of one of these matters most.
    public private(set) var answeringActions: Set<String> = []

    public init() {}

    public func outcome(instance: String, action: String, occurrence: Int) -> Outcome? {
        outcomes[Key(instance: instance, action: action, occurrence: occurrence)]
    }

    mutating func record(instance: String, action: String, occurrence: Int, _ outcome: Outcome) {
        outcomes[Key(instance: instance, action: action, occurrence: occurrence)] = outcome
        switch outcome {
        case .answered, .answeredJSON, .redacted: answeringActions.insert(action)
        default: break
        }
    }

    public var count: Int { outcomes.count }
}
