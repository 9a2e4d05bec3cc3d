import O2CCore

/// Everything the engine knows about one running instance: enough to take its next step.
///
/// A snapshot is a value; the interpreter returns a new one and never mutates stored state.
public struct Snapshot: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable, CaseIterable {
        case active, completed, failed, cancelled
    }

    public var instanceId: String
    public var workflow: String
    public var businessKey: String?
    public var parentId: String?
    public var state: String
    public var status: Status
    public var outcome: String?
    public var inputs: [String: Value]
    public var context: [String: Value]
    /// Decision results of the current state, by alias; cleared when the state is left.
    public var decisions: [String: Value]
    /// Pending timers of the current state, as absolute deadlines, sorted by (due, key).
    public var timers: [ScheduledTimer]
    /// Inputs processed so far; part of every effect id, so ids never repeat.
    public var sequence: Int
    public var startedAt: Instant
    public var updatedAt: Instant
    /// Why the instance failed, when it did.
    public var failure: String?

    public init(instanceId: String, workflow: String, businessKey: String? = nil, parentId: String? = nil, state: String,
                status: Status = .active, outcome: String? = nil, inputs: [String: Value] = [:], context: [String: Value] = [:],
                decisions: [String: Value] = [:], timers: [ScheduledTimer] = [], sequence: Int = 0,
                startedAt: Instant, updatedAt: Instant, failure: String? = nil) {
        self.instanceId = instanceId
        self.workflow = workflow
        self.businessKey = businessKey
        self.parentId = parentId
        self.state = state
        self.status = status
        self.outcome = outcome
        self.inputs = inputs
        self.context = context
        self.decisions = decisions
        self.timers = timers
        self.sequence = sequence
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.failure = failure
    }
}

/// A timer waiting in the current state.
public struct ScheduledTimer: Sendable, Equatable, Hashable {
    /// `after.0`, `after.1`… for state timers; `ladder.<step>` for ladder steps.
    public var key: String
    public var due: Instant
    public init(key: String, due: Instant) {
        self.key = key
        self.due = due
    }
}

/// Something that happens to an instance. Every input is one step, and one transaction in the shell.
public enum Input: Sendable, Equatable {
    /// Creates the instance. `inputs` must match the workflow's declared `inputs`.
    case start(StartRequest)
    /// An external event (or a handler's answer). `id` makes redelivery harmless.
    case event(name: String, payload: [String: Value], id: String?)
    /// A timer of the current state reached its deadline.
    case timer(key: String)
    /// An operator stopped the instance.
    case cancel(reason: String)
}

public struct StartRequest: Sendable, Equatable {
    public var instanceId: String
    public var businessKey: String?
    public var parentId: String?
    public var inputs: [String: Value]
    public init(instanceId: String, businessKey: String? = nil, parentId: String? = nil, inputs: [String: Value]) {
        self.instanceId = instanceId
        self.businessKey = businessKey
        self.parentId = parentId
        self.inputs = inputs
    }
}

/// Work for an action handler, described, not performed.
public struct Effect: Sendable, Equatable {
    /// `<instance>:<sequence>:<index>`: deterministic, the handler's idempotency key.
    public var id: String
    public var action: String
    /// Literal and evaluated arguments; nested ones (`data.amount`) as objects.
    public var arguments: [String: Value]
    /// The state whose entry, transition or ladder step produced it.
    public var state: String
    public init(id: String, action: String, arguments: [String: Value], state: String) {
        self.id = id
        self.action = action
        self.arguments = arguments
        self.state = state
    }
}

/// One line of an instance's audit trail.
public struct HistoryEntry: Sendable, Equatable {
    public var at: Instant
    /// `started`, `event`, `timer`, `transition`, `decision`, `effect`, `assigned`, `ignored`, `ladder`, `completed`, `failed`, `cancelled`.
    public var kind: String
    public var fields: HistoryFields
    /// The fields as a dictionary (built on each read).
    public var data: [String: Value] { fields.dictionary }
    public init(at: Instant, kind: String, data: [String: Value]) {
        self.at = at
        self.kind = kind
        fields = HistoryFields(data)
    }
    public init(at: Instant, kind: String, fields: HistoryFields) {
        self.at = at
        self.kind = kind
        self.fields = fields
    }
}

/// The result of one input: the new snapshot, the effects to perform after commit, and history.
public struct Step: Sendable, Equatable {
    public var snapshot: Snapshot
    public var effects: [Effect]
    public var history: [HistoryEntry]
    public init(snapshot: Snapshot, effects: [Effect], history: [HistoryEntry]) {
        self.snapshot = snapshot
        self.effects = effects
        self.history = history
    }
}
