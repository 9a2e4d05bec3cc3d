import O2CCore
import O2CExpr
import O2CModel

/// The pure interpreter: `library + workflow + snapshot + input + now → step`.
///
/// This is a pure function that does not perform effects: it returns them. Production, replay,
/// tests and the dry-run simulator all call this same function; only what they do with the
/// returned effects differs.
///
/// Order of work within one input (the guarantees history and effects rely on):
/// 1. A refused input (unknown event, bad payload, inactive instance) throws `StepError` and changes nothing.
/// 2. The matching transition's guard is checked; its `set` assignments are applied (all right-hand
///    sides read the old values), then its actions are resolved with the new values.
/// 3. When it has a target: the source's `exit` actions run, its timers and decisions are dropped;
///    the target's `entry` actions run, its timers are scheduled, its tables are decided, and its
///    `always` transitions are tried in document order.
/// 4. Step 3 repeats until the instance rests in a state that waits, or is final. More than
///    `maxTransitionsPerInput` transitions fail the instance instead of looping forever.
/// 5. If an expression fails at run time (overflow, currency mismatch, a `unique` table with two
///    matches), the instance keeps its previous state, is marked failed, and no effect is emitted.
public struct Interpreter: Sendable {
    public static let maxTransitionsPerInput = 100

    public var library: Library { parts.library }
    public var workflow: Workflow { parts.workflow }
    var policy: Value { parts.policy }
    /// An environment binding `policy` only: every step's environment starts from a copy, so the
    /// policy object's field index (built on its first reads) is shared by every step.
    var policyEnvironment: Environment { parts.policyEnvironment }
    /// The tables this workflow's states decide, prepared once: a prepared table evaluates about
    /// twice as fast, and an interpreter lives for many steps (the simulator keeps one per
    /// workflow, the runtime's tick one per group of instances).
    var preparedTables: [String: PreparedTable] { parts.preparedTables }
    /// Names of payload fields declared `sensitive` in any event, and of sensitive inputs: most
    /// workflows have none, and then effects need no scrubbing at all.
    var sensitiveEventFields: [String] { parts.sensitiveEventFields }
    var sensitiveInputs: [String] { parts.sensitiveInputs }
    /// Whether any expression of the workflow reads `instance`: none of the shipped ones does,
    /// and building the object on every move of state cost a few percent of a step.
    var bindsInstance: Bool { parts.bindsInstance }
    /// Timer keys of the steps of each ladder the workflow binds, by ladder name: made once
    /// rather than formatted again for every step scheduled or fired.
    var ladderKeys: [String: [String]] { parts.ladderKeys }
    /// How much history each step records (`HistoryDetail`).
    public var historyDetail: HistoryDetail { parts.historyDetail }
    /// `historyDetail == .outline`, read by every `record`.
    var outlinesHistory: Bool { parts.outlinesHistory }

    /// All of the above, in one immutable object: every step copies its interpreter into a
    /// `Run`, and copying (then releasing) the library, the workflow and the tables field by
    /// field was some forty reference counts per step.
    private let parts: Parts

    private final class Parts: Sendable {
        let library: Library
        let workflow: Workflow
        let policy: Value
        let policyEnvironment: Environment
        let preparedTables: [String: PreparedTable]
        let sensitiveEventFields: [String]
        let sensitiveInputs: [String]
        let bindsInstance: Bool
        let ladderKeys: [String: [String]]
        let historyDetail: HistoryDetail
        let outlinesHistory: Bool
        /// Every context variable bound to null, and where each variable's value goes, in
        /// declaration order: a start fills a copy through these indexes instead of hashing each
        /// name into an empty dictionary (the same keys and values; see `ArgumentTemplate`).
        let contextTemplate: [String: Value]
        let contextSlots: [Dictionary<String, Value>.Index]

        init(library: Library, workflow: Workflow, historyDetail: HistoryDetail) {
            self.historyDetail = historyDetail
            outlinesHistory = historyDetail == .outline
            self.library = library
            self.workflow = workflow
            policy = library.policyValue
            policyEnvironment = Environment(now: Instant(secondsSinceEpoch: 0), values: ["policy": policy])
            var prepared: [String: PreparedTable] = [:]
            for st in workflow.states {
                for binding in st.decide where prepared[binding.table] == nil {
                    if let table = library.table(binding.table) { prepared[binding.table] = DecisionEvaluator.prepare(table) }
                }
            }
            preparedTables = prepared
            sensitiveEventFields = workflow.events.flatMap { $0.payload.fields.filter(\.sensitive).map(\.name) }
            sensitiveInputs = workflow.inputs.fields.filter(\.sensitive).map(\.name)
            bindsInstance = workflow.reads("instance")
            var keys: [String: [String]] = [:]
            for st in workflow.states {
                if let binding = st.ladder, keys[binding.ladder] == nil, let ladder = library.ladder(binding.ladder) {
                    keys[binding.ladder] = ladder.steps.enumerated().map { LadderKey.make($0.offset, $0.element.name) }
                }
            }
            ladderKeys = keys
            var context: [String: Value] = [:]
            context.reserveCapacity(workflow.context.count)
            for v in workflow.context { context[v.name] = .null }
            contextTemplate = context
            contextSlots = workflow.context.map { context.index(forKey: $0.name)! }
        }
    }

    public init(library: Library, workflow: Workflow, history: HistoryDetail = .full) {
        parts = Parts(library: library, workflow: workflow, historyDetail: history)
    }

    public init(library: Library, workflowName: String, history: HistoryDetail = .full) throws(StepError) {
        guard let wf = library.workflow(workflowName) else { throw .unknownWorkflow(workflowName) }
        self.init(library: library, workflow: wf, history: history)
    }

    /// Starts a new instance.
    public func start(_ request: StartRequest, now: Instant) throws(StepError) -> Step {
        let inputs = try TypedValues.checkInputs(request.inputs, against: workflow.inputs)
        var run = Run(self, Snapshot(instanceId: request.instanceId, workflow: workflow.name, businessKey: request.businessKey,
                                     parentId: request.parentId, state: workflow.start, inputs: inputs,
                                     startedAt: now, updatedAt: now), now: now)
        run.snapshot.sequence = 1
        run.record("started", ["inputs": .object(redacted(inputs, workflow.inputs)), "state": .string(workflow.start),
                               "definition": .string(library.hash)])
        return run.finish { (r: inout Run) throws(RunFailure) in
            // Each initial sees the ones before it. The environment is extended in place rather
            // than rebuilt per variable; `policy` and `instance` win over a context variable of
            // the same name, as in `Run.environment()`.
            var env = r.environment()
            env.reserve(1 + inputs.count + workflow.context.count + 2) // room for every initial, as `makeEnvironment` reserves
            let slots = parts.contextSlots
            r.snapshot.context = parts.contextTemplate
            // Read where they lie: `for v in context` copied each variable (name, type, initial
            // expression and span), retaining and releasing all of it, for every start.
            try workflow.context.withUnsafeBufferPointer { (variables) throws(RunFailure) in
                for i in variables.indices {
                    let value = try r.evaluate(variables[i].initial, in: env)
                    let name = variables[i].name
                    r.snapshot.context.values[slots[i]] = value
                    if !Run.reserved(name) { env[name] = value }
                }
            }
            // The extended environment is what a fresh build would give (no decisions or event
            // yet at start); keeping it saves rebuilding every name once more for the entry.
            r.adoptEnvironment(env)
            try r.enter(workflow.start)
        }
    }

    /// Applies one input to an existing instance.
    public func step(_ snapshot: Snapshot, _ input: Input, now: Instant) throws(StepError) -> Step {
        if case .start(let request) = input { throw .alreadyStarted(instance: request.instanceId) }
        guard snapshot.status == .active else { throw .notActive(instance: snapshot.instanceId, status: snapshot.status) }
        var run = Run(self, snapshot, now: now)
        run.snapshot.sequence += 1
        switch input {
        case .start:
            fatalError("handled above")
        case .cancel(let reason):
            run.record("cancelled", ["reason": .string(reason), "state": .string(snapshot.state)])
            run.snapshot.status = .cancelled
            run.snapshot.timers = []
            run.snapshot.updatedAt = now
            return Step(snapshot: run.snapshot, effects: [], history: run.history)
        case .event(let name, let payload, let id):
            guard let declaration = workflow.event(name) else {
                throw .unknownEvent(event: name, workflow: workflow.name, declared: workflow.events.map(\.name))
            }
            let si = workflow.indexOfState(snapshot.state)
            guard let si, let handler = workflow.states[si].handler(for: name) else {
                throw .eventNotAccepted(event: name, state: snapshot.state, accepted: si.map { workflow.states[$0].on.map(\.event) } ?? [])
            }
            let checked = try TypedValues.checkPayload(payload, against: declaration.payload, event: name)
            run.record("event", {
                var fields: HistoryFields = ["name": .string(name), "payload": .object(redacted(checked, declaration.payload)),
                                             "state": .string(snapshot.state)]
                if let id { fields["id"] = .string(id) }
                return fields
            }())
            return run.finish { (r: inout Run) throws(RunFailure) in
                r.event = .object(checked)
                defer { r.event = nil }
                guard let t = try r.firstEnabled(handler.transitions) else {
                    r.record("ignored", ["event": .string(name), "reason": .string("no guard held in state `\(snapshot.state)`")])
                    return
                }
                try r.take(t, trigger: "event \(name)")
            }
        case .timer(let key):
            guard let timer = snapshot.timers.first(where: { $0.key == key }) else { throw .unknownTimer(key: key) }
            run.snapshot.timers.removeAll { $0.key == key }
            run.record("timer", ["key": .string(key), "due": .datetime(timer.due), "state": .string(snapshot.state)])
            return run.finish { (r: inout Run) throws(RunFailure) in try r.fire(key) }
        }
    }

    /// Payload fields declared `sensitive` are replaced before they reach history or logs.
    func redacted(_ values: [String: Value], _ type: ObjectType) -> [String: Value] {
        var out = values
        for f in type.fields where f.sensitive && out[f.name] != nil { out[f.name] = .string("[redacted]") }
        return out
    }
}

/// A run-time failure inside a step: the instance is marked failed.
struct RunFailure: Error {
    var message: String
    var span: Span?
}
