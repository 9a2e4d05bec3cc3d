import O2CCore
import O2CExpr
import O2CModel

/// The working state of one step: the snapshot being built, the effects and history so far.
struct Run {
    let interpreter: Interpreter
    let original: Snapshot
    let now: Instant
    var snapshot: Snapshot {
        didSet { cachedEnvironment = nil }
    }
    var effects: [Effect] = []
    var history: [HistoryEntry] = []
    /// The payload of the event being handled, visible as `event`.
    var event: Value? {
        didSet { cachedEnvironment = nil }
    }
    var transitions = 0
    /// `environment()` of the current snapshot and event, kept until either changes: one step
    /// evaluates many guards, arguments and context initials against the same names, and building
    /// the name table is most of what a small expression costs. Any write to `snapshot` or
    /// `event` drops it (the observers above), so it can never be stale.
    private var cachedEnvironment: Environment?

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
    mutating func environment() -> Environment {
        if let env = cachedEnvironment { return env }
        let env = makeEnvironment()
        cachedEnvironment = env
        return env
    }

    /// Later layers win: inputs, then context, then decisions, then `policy` and `instance`, then
    /// `event`. Names are bound one by one into a copy of the interpreter's policy environment
    /// (no intermediate dictionary); a layer's `policy` or `instance` is skipped, as the later
    /// layer would replace it anyway.
    private func makeEnvironment() -> Environment {
        var env = interpreter.policyEnvironment
        env.now = now
        for (k, v) in snapshot.inputs where k != "policy" && k != "instance" { env[k] = v }
        for (k, v) in snapshot.context where k != "policy" && k != "instance" { env[k] = v }
        for (k, v) in snapshot.decisions where k != "policy" && k != "instance" { env[k] = v }
        env["instance"] = .object([
            "id": .string(snapshot.instanceId), "business_key": snapshot.businessKey.map(Value.string) ?? .null,
            "workflow": .string(snapshot.workflow), "state": .string(snapshot.state), "started_at": .datetime(snapshot.startedAt),
            "parent_id": snapshot.parentId.map(Value.string) ?? .null,
        ])
        if let event { env["event"] = event }
        return env
    }

    mutating func evaluate(_ e: Expression) throws(RunFailure) -> Value {
        try evaluate(e, in: environment())
    }

    func evaluate(_ e: Expression, in env: Environment) throws(RunFailure) -> Value {
        do {
            return try e.evaluate(env)
        } catch {
            throw RunFailure(message: "\(error.message) in `\(e.source)`", span: error.span)
        }
    }

    mutating func holds(_ guardExpression: Expression?) throws(RunFailure) -> Bool {
        guard let g = guardExpression else { return true }
        return try evaluate(g) == .bool(true)
    }

    mutating func firstEnabled(_ transitions: [Transition]) throws(RunFailure) -> Transition? {
        for t in transitions where try holds(t.guardExpression) { return t }
        return nil
    }
}
