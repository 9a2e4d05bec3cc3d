import O2CCore
import O2CExpr
import O2CModel

/// The working state of one step: the snapshot being built, the effects and history so far.
struct Run {
    let interpreter: Interpreter
    let original: Snapshot
    let now: Instant
    var snapshot: Snapshot
    var effects: [Effect] = []
    var history: [HistoryEntry] = []
    /// The payload of the event being handled, visible as `event`.
    var event: Value?
    var transitions = 0

    init(_ interpreter: Interpreter, _ snapshot: Snapshot, now: Instant) {
        self.interpreter = interpreter
        original = snapshot
        self.snapshot = snapshot
        self.now = now
    }

    var workflow: Workflow { interpreter.workflow }

    mutating func record(_ kind: String, _ data: [String: Value]) {
        history.append(HistoryEntry(at: now, kind: kind, data: data))
    }

    /// Runs `body`; on a run-time failure, keeps the original state and marks the instance failed.
    consuming func finish(_ body: (inout Run) throws(RunFailure) -> Void) -> Step {
        do {
            try body(&self)
            snapshot.updatedAt = now
            return Step(snapshot: snapshot, effects: effects, history: history)
        } catch {
            var failed = original
            failed.sequence = snapshot.sequence
            failed.status = .failed
            failed.failure = error.message
            failed.timers = []
            failed.updatedAt = now
            if original.sequence == 0 || original.startedAt == now && original.state == snapshot.state && history.first?.kind == "started" {
                // A failed start keeps what the start computed so far, so the failure can be inspected.
                failed.inputs = snapshot.inputs
            }
            var h = history.filter { $0.kind == "started" || $0.kind == "event" || $0.kind == "timer" }
            var data: [String: Value] = ["message": .string(error.message), "state": .string(failed.state)]
            if let span = error.span { data["at"] = .string(span.description) }
            h.append(HistoryEntry(at: now, kind: "failed", data: data))
            return Step(snapshot: failed, effects: [], history: h)
        }
    }

    // MARK: - Evaluation

    /// Names visible to expressions: inputs, context, decisions, `policy`, `instance`, `event`.
    func environment() -> Environment {
        var values = snapshot.inputs
        for (k, v) in snapshot.context { values[k] = v }
        for (k, v) in snapshot.decisions { values[k] = v }
        values["policy"] = interpreter.policy
        values["instance"] = .object([
            "id": .string(snapshot.instanceId), "business_key": snapshot.businessKey.map(Value.string) ?? .null,
            "workflow": .string(snapshot.workflow), "state": .string(snapshot.state), "started_at": .datetime(snapshot.startedAt),
            "parent_id": snapshot.parentId.map(Value.string) ?? .null,
        ])
        if let event { values["event"] = event }
        return Environment(now: now, values: values)
    }

    func evaluate(_ e: Expression) throws(RunFailure) -> Value {
        try evaluate(e, in: environment())
    }

    func evaluate(_ e: Expression, in env: Environment) throws(RunFailure) -> Value {
        do {
            return try e.evaluate(env)
        } catch {
            throw RunFailure(message: "\(error.message) in `\(e.source)`", span: error.span)
        }
    }

    func holds(_ guardExpression: Expression?) throws(RunFailure) -> Bool {
        guard let g = guardExpression else { return true }
        return try evaluate(g) == .bool(true)
    }

    func firstEnabled(_ transitions: [Transition]) throws(RunFailure) -> Transition? {
        for t in transitions where try holds(t.guardExpression) { return t }
        return nil
    }
}
