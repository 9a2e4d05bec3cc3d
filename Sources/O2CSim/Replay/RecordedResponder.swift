import O2CCore
import O2CEngine
import O2CModel

/// Answers effects the way the recording says their handlers did, by (instance, action,
/// occurrence). An effect the recording cannot answer for (a new action, one more notice than
/// was sent, an effect never delivered) is listed as an *unknown outcome*, never guessed.
public struct RecordedResponder: EffectResponder {
    public struct Unknown: Sendable, Equatable {
        public var instance: String
        public var action: String
        public var at: Instant
        public var reason: String
    }

    let book: AnswerBook
    let library: Library
    private var occurrences: [String: Int] = [:]
    public private(set) var unknown: [Unknown] = []

    public init(book: AnswerBook, library: Library) {
        self.book = book
        self.library = library
    }

    public mutating func respond(to effect: Effect, of instance: Snapshot, at: Instant) -> [ScheduledEvent] {
        let key = instance.instanceId + "\u{1}" + effect.action
        let n = occurrences[key, default: 0]
        occurrences[key] = n + 1
        func unknown(_ reason: String) -> [ScheduledEvent] {
            self.unknown.append(Unknown(instance: instance.instanceId, action: effect.action, at: at, reason: reason))
            return []
        }
        switch book.outcome(instance: instance.instanceId, action: effect.action, occurrence: n) {
        case .answered(let event, let payload, let delay)?:
            return [ScheduledEvent(instanceId: instance.instanceId, event: event, payload: payload, at: at.adding(delay), id: effect.id + "/answer")]
        case .answeredJSON(let event, let data, let delay)?:
            guard let decl = library.workflow(instance.workflow)?.event(event), case .object(let pairs) = data,
                  let payload = try? TypedValues.object(pairs, as: decl.payload, path: "") else {
                return unknown("the recorded answer `\(event)` does not fit the workflow's events")
            }
            return [ScheduledEvent(instanceId: instance.instanceId, event: event, payload: payload, at: at.adding(delay), id: effect.id + "/answer")]
        case .noAnswer?:
            return []
        case .undelivered(let why)?:
            return unknown(why)
        case .redacted?:
            return unknown("its recorded answer has redacted fields")
        case nil:
            return unknown("no such effect in the recording (\(n + 1). `\(effect.action)` of this instance)")
        }
    }
}
