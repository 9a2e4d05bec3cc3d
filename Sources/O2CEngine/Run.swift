import O2CCore
import O2CExpr
import O2CModel

/// The working state of one step: the snapshot being built, the effects and history so far.
struct Run {
    let interpreter: Interpreter
    let original: Snapshot
    let now: Instant
    /// The snapshot being built. Writes to what expressions can see (state, context, decisions)
    /// go through `setState`, `setContext`, `setDecision` and `clearDecisions`, which patch the
    /// cached environment in place; other fields (timers, sequence, status) are not visible.
    var snapshot: Snapshot
    var effects: [Effect] = []
    var history: [HistoryEntry] = []
    /// The payload of the event being handled, visible as `event`.
    var event: Value? {
        didSet { cachedEnvironment = nil }
    }
    var transitions = 0
    /// `environment()` of the current snapshot and event, patched as they change: one step
    /// evaluates many guards, arguments and context initials against the same names, and
    /// rebuilding the name table after every write was most of what a step cost.
    private var cachedEnvironment: Environment?
    private var cachedInstance: (state: String, value: Value)?

    init(_ interpreter: Interpreter, _ snapshot: Snapshot, now: Instant) {
        self.interpreter = interpreter
        original = snapshot
        self.snapshot = snapshot
        self.now = now
    }

    var workflow: Workflow { interpreter.workflow }

    /// Appends an entry; its fields are built only when the interpreter records them all
    /// (`HistoryDetail.full`), so an outline costs neither their values nor their formatting.
    mutating func record(_ kind: String, _ fields: @autoclosure () -> HistoryFields) {
        history.append(HistoryEntry(at: now, kind: kind, fields: interpreter.outlinesHistory ? [:] : fields()))
    }

    /// A transition: an outline keeps `from` and `to` (the simulator's observers trace moves).
    mutating func recordTransition(from: String, to: String, trigger: @autoclosure () -> String) {
        let fields: HistoryFields = interpreter.outlinesHistory
            ? ["from": .string(from), "to": .string(to)]
            : ["from": .string(from), "to": .string(to), "trigger": .string(trigger())]
        history.append(HistoryEntry(at: now, kind: "transition", fields: fields))
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
            var fields: HistoryFields = ["message": .string(error.message), "state": .string(failed.state)]
            if let span = error.span { fields["at"] = .string(span.description) }
            h.append(HistoryEntry(at: now, kind: "failed", fields: fields))
            return Step(snapshot: failed, effects: [], history: h)
        }
    }

    // MARK: - Evaluation

    /// Names visible to expressions: inputs, context, decisions, `policy`, `instance`, `event`.
    mutating func environment() -> Environment {
        if let env = cachedEnvironment {
            assert(env.values == Run.makeEnvironment(interpreter, snapshot, event: event, now: now, instance: instanceObject).values,
                   "the patched environment differs from a fresh one")
            return env
        }
        let instance = interpreter.bindsInstance ? instanceValue() : .null
        let env = Run.makeEnvironment(interpreter, snapshot, event: event, now: now, instance: instance)
        cachedEnvironment = env
        return env
    }

    /// Takes `env` as the current environment: the caller extended it alongside its own writes
    /// (debug builds check it against a fresh build on the next read).
    mutating func adoptEnvironment(_ env: Environment) { cachedEnvironment = env }

    /// Later layers win: inputs, then context, then decisions, then `policy` and `instance`, then
    /// `event`. Names are bound one by one into a copy of the interpreter's policy environment
    /// (no intermediate dictionary); a layer's `policy` or `instance` is skipped, as the later
    /// layer would replace it anyway.
    ///
    /// Static, and given only what it reads: as a method it copied the whole `Run` (retaining
    /// every field) on each build.
    private static func makeEnvironment(_ interpreter: Interpreter, _ snapshot: borrowing Snapshot, event: Value?, now: Instant,
                                        instance: Value) -> Environment {
        var env = interpreter.policyEnvironment
        env.now = now
        env.reserve(1 + snapshot.inputs.count + snapshot.context.count + snapshot.decisions.count + 2)
        for (k, v) in snapshot.inputs where !Run.reserved(k) { env[k] = v }
        for (k, v) in snapshot.context where !Run.reserved(k) { env[k] = v }
        for (k, v) in snapshot.decisions where !Run.reserved(k) { env[k] = v }
        if interpreter.bindsInstance { env["instance"] = instance }
        if let event { env["event"] = event }
        return env
    }

    /// By length first: this runs for every name of every environment built.
    static func reserved(_ name: String) -> Bool {
        switch name.utf8.count {
        case 6: name == "policy"
        case 8: name == "instance"
        default: false
        }
    }

    /// `instance` as expressions see it; only its `state` changes within a step, so the object
    /// is kept until the state moves.
    private mutating func instanceValue() -> Value {
        if let cached = cachedInstance, cached.state == snapshot.state { return cached.value }
        let value = instanceObject
        cachedInstance = (snapshot.state, value)
        return value
    }

    private var instanceObject: Value {
        .object([
            "id": .string(snapshot.instanceId), "business_key": snapshot.businessKey.map(Value.string) ?? .null,
            "workflow": .string(snapshot.workflow), "state": .string(snapshot.state), "started_at": .datetime(snapshot.startedAt),
            "parent_id": snapshot.parentId.map(Value.string) ?? .null,
        ])
    }

    /// Whether a name bound from inputs, context or decisions is hidden by a later layer.
    private func shadowed(_ name: String) -> Bool { Run.reserved(name) || (name == "event" && event != nil) }

    mutating func setState(_ state: String) {
        snapshot.state = state
        if cachedEnvironment != nil, interpreter.bindsInstance { cachedEnvironment!["instance"] = instanceValue() }
    }

    mutating func setContext(_ name: String, _ value: Value) {
        snapshot.context[name] = value
        if cachedEnvironment != nil, snapshot.decisions[name] == nil, !shadowed(name) { cachedEnvironment![name] = value }
    }

    mutating func setDecision(_ alias: String, _ value: Value) {
        snapshot.decisions[alias] = value
        if cachedEnvironment != nil, !shadowed(alias) { cachedEnvironment![alias] = value }
    }

    /// Decisions belong to the state: leaving it uncovers the context or input of the same name.
    mutating func clearDecisions() {
        let aliases = snapshot.decisions.keys
        snapshot.decisions = [:]
        guard cachedEnvironment != nil else { return }
        for alias in aliases where !shadowed(alias) {
            cachedEnvironment![alias] = snapshot.context[alias] ?? snapshot.inputs[alias]
        }
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
