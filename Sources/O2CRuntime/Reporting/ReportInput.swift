import O2CCore
import O2CEngine
import O2CStore

/// Everything reports read, as plain values: instances with their data, the history of the
/// workflows that matter for money, and every effect in the outbox.
///
/// Why a separate value: the KPI computations are pure functions of this, testable with
/// hand-written inputs; only `ReportInput.read` touches the store.
public struct ReportInput: Sendable {
    public struct Instance: Sendable {
        public var id: String
        public var workflow: String
        public var parentId: String?
        public var state: String
        public var status: String
        public var outcome: String?
        public var createdAt: Instant
        public var updatedAt: Instant
        public var inputs: [String: Value]
        public var context: [String: Value]
        public init(id: String, workflow: String, parentId: String? = nil, state: String, status: String = "active", outcome: String? = nil,
                    createdAt: Instant, updatedAt: Instant? = nil, inputs: [String: Value] = [:], context: [String: Value] = [:]) {
            self.id = id
            self.workflow = workflow
            self.parentId = parentId
            self.state = state
            self.status = status
            self.outcome = outcome
            self.createdAt = createdAt
            self.updatedAt = updatedAt ?? createdAt
            self.inputs = inputs
            self.context = context
        }
    }

    public struct EffectRow: Sendable {
        public var instanceId: String
        public var action: String
        public var arguments: [String: Value]
        public var at: Instant
        public var status: String
        public init(instanceId: String, action: String, arguments: [String: Value], at: Instant, status: String = "delivered") {
            self.instanceId = instanceId
            self.action = action
            self.arguments = arguments
            self.at = at
            self.status = status
        }
    }

    public var instances: [Instance]
    /// Instance id → history, oldest first (only for the workflows the schema reads history of).
    public var history: [String: [HistoryEntry]]
    /// Oldest first.
    public var effects: [EffectRow]

    public init(instances: [Instance] = [], history: [String: [HistoryEntry]] = [:], effects: [EffectRow] = []) {
        self.instances = instances
        self.history = history
        self.effects = effects
    }

    /// Reads the store: every instance, the outbox, and the history of `historyOf` workflows.
    public static func read(_ store: any InstanceStore, historyOf workflows: Set<String>) throws -> ReportInput {
        var input = ReportInput()
        for r in try store.instances(filter: InstanceFilter()) {
            let s = try? SnapshotCodec.decode(r.snapshot)
            input.instances.append(Instance(id: r.id, workflow: r.workflow, parentId: r.parentId, state: r.state, status: r.status.rawValue,
                                            outcome: r.outcome, createdAt: r.createdAt, updatedAt: r.updatedAt,
                                            inputs: s?.inputs ?? [:], context: s?.context ?? [:]))
            guard workflows.contains(r.workflow) else { continue }
            input.history[r.id] = try store.history(instanceId: r.id).map { h in
                var data: [String: Value] = [:]
                if let j = try? JSON.parse(h.data), case .object(let o)? = Value(taggedJSON: j) { data = o }
                return HistoryEntry(at: h.at, kind: h.kind, data: data)
            }
        }
        for e in try store.outbox(status: nil) {
            var args: [String: Value] = [:]
            if let j = try? JSON.parse(e.arguments), case .object(let o)? = Value(taggedJSON: j) { args = o }
            input.effects.append(EffectRow(instanceId: e.instanceId, action: e.action, arguments: args, at: e.createdAt, status: e.status.rawValue))
        }
        return input
    }
}
