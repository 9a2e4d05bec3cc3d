import O2CCore

/// Everything the engine knows about one running instance: enough to take its next step.
///
/// A snapshot is a value; the interpreter returns a new one and never mutates stored state.
public struct Snapshot: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable, CaseIterable {
        case active, completed, failed, cancelled
    }

    /// The fields, in one copy-on-write object. A step copies its snapshot into a `Run` (twice:
    /// the original and the one being built), into its `Step`, and the simulator into its
    /// instance table; field by field that retained and released a dozen references each time,
    /// and an optional snapshot or step was destroyed through the runtime's generic value
    /// witnesses (≈1 k instructions each).
    private var storage: Storage

    /// Written only through `Snapshot`'s setters, after `unique()`: no two accesses to one
    /// object overlap, so the dynamic exclusivity checks (a tenth of a step) are left out.
    private final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var instanceId: String
        @exclusivity(unchecked) var workflow: String
        @exclusivity(unchecked) var businessKey: String?
        @exclusivity(unchecked) var parentId: String?
        @exclusivity(unchecked) var state: String
        @exclusivity(unchecked) var status: Status
        @exclusivity(unchecked) var outcome: String?
        @exclusivity(unchecked) var inputs: [String: Value]
        @exclusivity(unchecked) var context: [String: Value]
        @exclusivity(unchecked) var decisions: [String: Value]
        @exclusivity(unchecked) var timers: [ScheduledTimer]
        @exclusivity(unchecked) var sequence: Int
        @exclusivity(unchecked) var startedAt: Instant
        @exclusivity(unchecked) var updatedAt: Instant
        @exclusivity(unchecked) var failure: String?

        init(instanceId: String, workflow: String, businessKey: String?, parentId: String?, state: String, status: Status,
             outcome: String?, inputs: [String: Value], context: [String: Value], decisions: [String: Value],
             timers: [ScheduledTimer], sequence: Int, startedAt: Instant, updatedAt: Instant, failure: String?) {
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

        func copy() -> Storage {
            Storage(instanceId: instanceId, workflow: workflow, businessKey: businessKey, parentId: parentId, state: state,
                    status: status, outcome: outcome, inputs: inputs, context: context, decisions: decisions, timers: timers,
                    sequence: sequence, startedAt: startedAt, updatedAt: updatedAt, failure: failure)
        }
    }

    /// Before a write: copies the fields when another snapshot shares them (value semantics).
    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    public var instanceId: String {
        get { storage.instanceId }
        _modify {
            unique()
            yield &storage.instanceId
        }
    }
    public var workflow: String {
        get { storage.workflow }
        _modify {
            unique()
            yield &storage.workflow
        }
    }
    public var businessKey: String? {
        get { storage.businessKey }
        _modify {
            unique()
            yield &storage.businessKey
        }
    }
    public var parentId: String? {
        get { storage.parentId }
        _modify {
            unique()
            yield &storage.parentId
        }
    }
    public var state: String {
        get { storage.state }
        _modify {
            unique()
            yield &storage.state
        }
    }
    public var status: Status {
        get { storage.status }
        _modify {
            unique()
            yield &storage.status
        }
    }
    public var outcome: String? {
        get { storage.outcome }
        _modify {
            unique()
            yield &storage.outcome
        }
    }
    public var inputs: [String: Value] {
        get { storage.inputs }
        _modify {
            unique()
            yield &storage.inputs
        }
    }
    public var context: [String: Value] {
        get { storage.context }
        _modify {
            unique()
            yield &storage.context
        }
    }
    /// Decision results of the current state, by alias; cleared when the state is left.
    public var decisions: [String: Value] {
        get { storage.decisions }
        _modify {
            unique()
            yield &storage.decisions
        }
    }
    /// Pending timers of the current state, as absolute deadlines, sorted by (due, key).
    public var timers: [ScheduledTimer] {
        get { storage.timers }
        _modify {
            unique()
            yield &storage.timers
        }
    }
    /// Inputs processed so far; part of every effect id, so ids never repeat.
    public var sequence: Int {
        get { storage.sequence }
        _modify {
            unique()
            yield &storage.sequence
        }
    }
    public var startedAt: Instant {
        get { storage.startedAt }
        _modify {
            unique()
            yield &storage.startedAt
        }
    }
    public var updatedAt: Instant {
        get { storage.updatedAt }
        _modify {
            unique()
            yield &storage.updatedAt
        }
    }
    /// Why the instance failed, when it did.
    public var failure: String? {
        get { storage.failure }
        _modify {
            unique()
            yield &storage.failure
        }
    }

    public init(instanceId: String, workflow: String, businessKey: String? = nil, parentId: String? = nil, state: String,
                status: Status = .active, outcome: String? = nil, inputs: [String: Value] = [:], context: [String: Value] = [:],
                decisions: [String: Value] = [:], timers: [ScheduledTimer] = [], sequence: Int = 0,
                startedAt: Instant, updatedAt: Instant, failure: String? = nil) {
        storage = Storage(instanceId: instanceId, workflow: workflow, businessKey: businessKey, parentId: parentId, state: state,
                          status: status, outcome: outcome, inputs: inputs, context: context, decisions: decisions, timers: timers,
                          sequence: sequence, startedAt: startedAt, updatedAt: updatedAt, failure: failure)
    }

    public static func == (a: Snapshot, b: Snapshot) -> Bool {
        if a.storage === b.storage { return true }
        let x = a.storage, y = b.storage
        return x.instanceId == y.instanceId
            && x.workflow == y.workflow
            && x.businessKey == y.businessKey
            && x.parentId == y.parentId
            && x.state == y.state
            && x.status == y.status
            && x.outcome == y.outcome
            && x.inputs == y.inputs
            && x.context == y.context
            && x.decisions == y.decisions
            && x.timers == y.timers
            && x.sequence == y.sequence
            && x.startedAt == y.startedAt
            && x.updatedAt == y.updatedAt
            && x.failure == y.failure
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
