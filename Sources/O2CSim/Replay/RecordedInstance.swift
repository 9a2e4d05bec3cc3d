import O2CCore
import O2CEngine

/// An instance as a database recorded it, in plain values: the CLI reads the store and hands
/// these over, so the simulator never holds a database handle (and cannot write to one).
public struct RecordedInstance: Sendable {
    public var id: String
    public var workflow: String
    public var businessKey: String?
    public var parentId: String?
    /// Its state, status and outcome when the recording ends, to check the replay against.
    public var state: String
    public var status: String
    public var outcome: String?
    /// Its history in order (`seq`), each entry's data decoded from tagged JSON.
    public var history: [HistoryEntry]

    public init(id: String, workflow: String, businessKey: String? = nil, parentId: String? = nil, state: String, status: String,
                outcome: String? = nil, history: [HistoryEntry]) {
        self.id = id
        self.workflow = workflow
        self.businessKey = businessKey
        self.parentId = parentId
        self.state = state
        self.status = status
        self.outcome = outcome
        self.history = history
    }
}

/// An outbox row: whether (and how) a handler answered an effect.
public struct RecordedEffect: Sendable {
    public enum Status: String, Sendable { case pending, delivered, dead }
    public var effectId: String
    public var instanceId: String
    public var action: String
    public var status: Status
    public var createdAt: Instant
    public var deliveredAt: Instant?
    /// The handler's answer, `{"event": …, "data": {…}}`, when it gave one.
    public var answer: JSON?

    public init(effectId: String, instanceId: String, action: String, status: Status, createdAt: Instant,
                deliveredAt: Instant? = nil, answer: JSON? = nil) {
        self.effectId = effectId
        self.instanceId = instanceId
        self.action = action
        self.status = status
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.answer = answer
    }
}
