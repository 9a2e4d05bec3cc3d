import O2CCore
import O2CEngine
import O2CModel

/// The baseline and the candidate as one virtual engine that takes a step once when it is the
/// same under both policies, and twice only where the policies part.
///
/// Most of a policy change's world does not move: a lower new-customer limit leaves shipping,
/// invoicing and cash of every approved order as they were. Two independent engines (what
/// `sharing: false` still is) take each of those steps twice. Here an instance is *shared* —
/// one snapshot for both sides — until a step differs between the sides; from then on it is
/// *split* and each side steps its own copy, exactly as two separate `VirtualEngine`s would.
///
/// Whether a step can be taken once is decided per workflow (`SharedWorkflows`): its definition,
/// tables, ladders and the policy values it reads are the same on both sides. A step of any
/// other workflow is taken under both interpreters and the instance stays shared when the two
/// results agree. Each side's observer and responder still see every step and effect of their
/// side, in the order a separate engine would show them, so the report is the same, byte for
/// byte, with and without sharing (a test holds it to that).
public struct PairedEngine<Responder: EffectResponder> {
    public typealias Side = PolicySide
    typealias Sides = PolicySides

    /// What one side has seen: its library, answers, observer and refusals.
    public struct Half {
        public let library: Library
        public internal(set) var responder: Responder
        public internal(set) var observer: RunObserver
        /// Refused inputs (an answer the state does not accept), kept for reports.
        public internal(set) var refusals: [(at: Instant, instance: String, error: StepError)] = []
        public internal(set) var steps = 0
        var interpreters: [String: Interpreted] = [:]
    }

    /// One workflow's interpreter, held by reference: handing out the struct copied (and
    /// retained and released) its dozen stored references on every step.
    final class Interpreted {
        let interpreter: Interpreter
        init(_ interpreter: Interpreter) { self.interpreter = interpreter }
    }

    public internal(set) var baseline: Half
    public internal(set) var candidate: Half
    public private(set) var now: Instant
    /// Steps taken once for both sides.
    public private(set) var sharedSteps = 0
    let sharedWorkflows: Set<String>
    let sharing: Bool
    /// Both responders give the same answers (`EffectResponder.answersAlike`): a shared effect asks one.
    let respondersAlike: Bool
    var instances = PairedInstances()
    var agenda = Agenda<(item: AgendaItem, sides: Sides)>()
    /// An arrival's candidate step, held back because the baseline refused the arrival. Two
    /// separate engines showed the baseline's refusal to the comparer before the candidate took
    /// its step; the driver does the same, then `applyDeferred()` takes it.
    private(set) var deferred: (step: Step, input: Input)?
    /// Set while an arrival's own step is being settled (not the steps it causes).
    private var arriving = false
    /// The baseline refused the arrival before any step was computed (the instance is absent).
    private var baselineRefusedAhead = false

    public init(baseline: Library, candidate: Library, start: Instant, responders: (Responder, Responder),
                observers: (RunObserver, RunObserver), sharing: Bool = true) {
        self.baseline = Half(library: baseline, responder: responders.0, observer: observers.0)
        self.candidate = Half(library: candidate, responder: responders.1, observer: observers.1)
        now = start
        self.sharing = sharing
        sharedWorkflows = sharing ? SharedWorkflows.compute(baseline, candidate) : []
        respondersAlike = sharing && responders.0.answersAlike(responders.1)
    }

    subscript(side: Side) -> Half {
        get { side == .baseline ? baseline : candidate }
        _modify {
            if side == .baseline { yield &baseline } else { yield &candidate }
        }
    }

    public func snapshot(_ id: String, _ side: Side) -> Snapshot? { instances.snapshot(id, side) }

    /// What the interpreters record of each step: the observers read only kinds, moves and
    /// decisions' outputs, and nothing stores the history. Whether an instance stays shared is
    /// decided on the snapshot, the effects and this outline, which is all that any later step,
    /// answer or figure depends on.
    static var historyDetail: HistoryDetail { .outline }

    /// Each side's fields are reached directly: `self[side]` copied the whole `Half` (observer
    /// and responder included) on every step, only to read one dictionary.
    mutating func interpreter(_ workflow: String, _ side: Side) throws(StepError) -> Interpreted {
        if let i = side == .baseline ? baseline.interpreters[workflow] : candidate.interpreters[workflow] { return i }
        let i = Interpreted(try Interpreter(library: side == .baseline ? baseline.library : candidate.library, workflowName: workflow,
                                            history: Self.historyDetail))
        if side == .baseline { baseline.interpreters[workflow] = i } else { candidate.interpreters[workflow] = i }
        return i
    }

    // MARK: - Arrivals

    /// Starts an instance on both sides now; what each side refused. The caller takes a held-back
    /// candidate step (`applyDeferred()`) before anything else reaches the engine.
    mutating func start(workflow: String, id: String, businessKey: String?, inputs: [String: Value]) -> (StepError?, StepError?) {
        precondition(deferred == nil, "a held-back candidate step was never applied")
        let request = StartRequest(instanceId: id, businessKey: businessKey, parentId: nil, inputs: inputs)
        arriving = true
        defer { arriving = false }
        let errors = start(request, workflow: workflow, on: .both)
        return (errors[0], errors[1])
    }

    /// Delivers an event on both sides now; what each side refused. The caller takes a held-back
    /// candidate step (`applyDeferred()`) before anything else reaches the engine.
    mutating func deliver(_ id: String, event: String, payload: [String: Value], eventId: String?) -> (StepError?, StepError?) {
        arrive(Input.event(name: event, payload: payload, id: eventId), id: id)
    }

    /// An operator's cancellation (replay of `o2c cancel`), as `deliver` an event.
    mutating func cancel(_ id: String, reason: String) -> (StepError?, StepError?) {
        arrive(.cancel(reason: reason), id: id)
    }

    private mutating func arrive(_ input: Input, id: String) -> (StepError?, StepError?) {
        precondition(deferred == nil, "a held-back candidate step was never applied")
        var errors: [StepError?] = [nil, nil]
        var present: Sides = []
        for side in Side.allCases {
            if !instances.holds(id, side) { errors[side.rawValue] = .notActive(instance: id, status: .cancelled) } else { present.insert(Sides(side)) }
        }
        arriving = true
        baselineRefusedAhead = errors[0] != nil
        defer { (arriving, baselineRefusedAhead) = (false, false) }
        let refused = take(input, id: id, on: present)
        for side in present.members { errors[side.rawValue] = refused[side.rawValue] }
        return (errors[0], errors[1])
    }

    /// Takes the candidate step `deferred` holds, if any.
    mutating func applyDeferred() {
        guard let d = deferred else { return }
        deferred = nil
        apply(d.step, input: d.input, on: .candidate)
    }

    /// Fires every timer and scheduled event due up to `until`, each at its own time.
    public mutating func run(until: Instant) {
        precondition(deferred == nil, "a held-back candidate step was never applied")
        while let next = agenda.nextTime, next <= until {
            guard let (at, entry) = agenda.pop() else { break }
            now = max(now, at)
            process(entry.item, on: entry.sides)
        }
        now = max(now, until)
    }

    // MARK: - Steps

    private mutating func process(_ item: AgendaItem, on sides: Sides) {
        let id = item.instance
        var live: Sides = []
        for side in sides.members {
            if case .timer(_, let key) = item {
                guard instances.timerDue(id, side, key: key, at: now) else { continue }
            } else {
                guard instances.holds(id, side) else { continue }
            }
            live.insert(Sides(side))
        }
        guard !live.isEmpty else { return }
        let input: Input
        switch item {
        case .timer(_, let key): input = .timer(key: key)
        case .event(_, let name, let payload, let eventId): input = .event(name: name, payload: payload, id: eventId)
        }
        let refused = take(input, id: id, on: live)
        for side in live.members {
            if let error = refused[side.rawValue] { self[side].refusals.append((now, id, error)) }
        }
    }

    /// Applies `input` to instance `id` on `sides` (each must hold it): once for both while it is
    /// shared, else per side. Returns what each side refused.
    private mutating func take(_ input: Input, id: String, on sides: Sides) -> [StepError?] {
        if sides == .both, let s = instances.shared(id) {
            return takeOnce(input, workflow: s.workflow) { (engine: inout Self, side: Side) throws(StepError) -> Step in
                try engine.interpreter(s.workflow, side).interpreter.step(s, input, now: engine.now)
            }
        }
        var errors: [StepError?] = [nil, nil]
        for side in sides.members {
            guard let s = snapshot(id, side) else { continue }
            do {
                let step = try interpreter(s.workflow, side).interpreter.step(s, input, now: now)
                settle(step, input: input, on: side, baselineRefused: errors[0] != nil)
            } catch {
                errors[side.rawValue] = error
            }
        }
        return errors
    }

    /// Starts `request` on `sides` (those that already hold the instance refuse it).
    mutating func start(_ request: StartRequest, workflow: String, on sides: Sides) -> [StepError?] {
        var errors: [StepError?] = [nil, nil]
        var todo: Sides = []
        for side in sides.members {
            if instances.holds(request.instanceId, side) { errors[side.rawValue] = .alreadyStarted(instance: request.instanceId) } else { todo.insert(Sides(side)) }
        }
        let input = Input.start(request)
        if todo == .both && sharing {
            return takeOnce(input, workflow: workflow) { (engine: inout Self, side: Side) throws(StepError) -> Step in
                try engine.interpreter(workflow, side).interpreter.start(request, now: engine.now)
            }
        }
        for side in todo.members {
            do {
                let step = try interpreter(workflow, side).interpreter.start(request, now: now)
                settle(step, input: input, on: side, baselineRefused: errors[0] != nil)
            } catch {
                errors[side.rawValue] = error
            }
        }
        return errors
    }

    /// One input on both sides of a shared instance (or a start on both). A shared workflow's
    /// step is computed once; any other is computed on each side and stays shared when both
    /// results agree. Otherwise each side applies its own result and the instance splits.
    ///
    /// Steps and errors are kept apart rather than in `Result`s: copying a `Result<Step, _>`
    /// went through generic value witnesses, several times per step.
    private mutating func takeOnce(_ input: Input, workflow: String,
                                   _ compute: (inout Self, Side) throws(StepError) -> Step) -> [StepError?] {
        var b: Step?, eb: StepError?
        do { b = try compute(&self, .baseline) } catch { eb = error }
        if sharedWorkflows.contains(workflow) {
            // The candidate's step is the baseline's, as the candidate records it: nothing to compare.
            func candidate() -> Result<Step, StepError> {
                do { return .success(try compute(&self, .candidate)) } catch { return .failure(error) }
            }
            assert(Self.agree(b.map { .success(candidateView($0)) } ?? .failure(eb!), candidate()), "workflow `\(workflow)` was taken once for both policies but its candidate step differs")
            guard let sb = b else { return [eb, eb] }
            applyShared(sb, candidateView(sb), input: input)
            return [nil, nil]
        }
        var c: Step?, ec: StepError?
        do { c = try compute(&self, .candidate) } catch { ec = error }
        if let sb = b, let sc = c, candidateView(sb) == sc {
            applyShared(sb, sc, input: input)
            return [nil, nil]
        }
        if let eb, let ec, eb == ec { return [eb, ec] }
        var errors: [StepError?] = [nil, nil]
        if let sb = b { settle(sb, input: input, on: .baseline, baselineRefused: false) } else { errors[0] = eb }
        if let sc = c { settle(sc, input: input, on: .candidate, baselineRefused: errors[0] != nil) } else { errors[1] = ec }
        return errors
    }

    static func agree(_ a: Result<Step, StepError>, _ b: Result<Step, StepError>) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)): x == y
        case (.failure(let x), .failure(let y)): x == y
        default: false
        }
    }

    /// A baseline step as the candidate would have recorded it: history names the definition
    /// (the library's hash) an instance started and decided under.
    /// An outline names no definition: nothing to rewrite.
    func candidateView(_ step: Step) -> Step {
        let from = baseline.library.hash, to = candidate.library.hash
        guard from != to, Self.historyDetail == .full else { return step }
        var out = step
        for i in out.history.indices where out.history[i].kind == "started" || out.history[i].kind == "decision" {
            if out.history[i].fields["definition"] == .string(from) { out.history[i].fields["definition"] = .string(to) }
        }
        return out
    }

    /// Applies a step one side took alone, or holds back an arrival's candidate step after the
    /// baseline refused it (see `deferred`).
    private mutating func settle(_ step: Step, input: Input, on side: Side, baselineRefused: Bool) {
        if arriving, side == .candidate, baselineRefused || baselineRefusedAhead {
            deferred = (step, input)
        } else {
            apply(step, input: input, on: side)
        }
    }

    private mutating func applyShared(_ b: Step, _ c: Step, input: Input) {
        // The steps this one causes (children, answers) are not the arrival's own.
        let wasArriving = arriving
        arriving = false
        defer { arriving = wasArriving }
        baseline.steps += 1
        candidate.steps += 1
        sharedSteps += 1
        let s = b.snapshot
        let previous = instances.before(s.instanceId, .baseline)
        instances.setShared(s)
        schedule(timersOf: s, previous: previous, on: .both)
        let trace = RunObserver.trace(of: b, at: now) // the candidate's step shows the same items
        baseline.observer.observe(b, input: input, at: now, trace: trace)
        candidate.observer.observe(c, input: input, at: now, trace: trace)
        for effect in b.effects { route(effect, from: s, on: .both) }
    }

    private mutating func apply(_ step: Step, input: Input, on side: Side) {
        let wasArriving = arriving
        arriving = false
        defer { arriving = wasArriving }
        self[side].steps += 1
        let s = step.snapshot
        let previous = instances.before(s.instanceId, side)
        instances.set(s, on: side)
        schedule(timersOf: s, previous: previous, on: Sides(side))
        self[side].observer.observe(step, input: input, at: now)
        for effect in step.effects { route(effect, from: s, on: Sides(side)) }
    }

    /// The timers this step created (old ones are skipped when they fire: not in the snapshot).
    private mutating func schedule(timersOf s: Snapshot, previous: (state: String, timers: [ScheduledTimer])?, on sides: Sides) {
        for t in s.timers where !(previous?.timers.contains(t) ?? false) || previous?.state != s.state {
            agenda.push((.timer(instance: s.instanceId, key: t.key), sides), at: max(t.due, now))
        }
    }
}

/// Which policy a step, an answer or a figure belongs to.
public enum PolicySide: Int, Sendable, CaseIterable {
    case baseline = 0, candidate = 1
}

/// The sides an agenda item, an arrival or a routed effect is for.
struct PolicySides: OptionSet, Sendable {
    let rawValue: UInt8
    static let baseline = PolicySides(rawValue: 1)
    static let candidate = PolicySides(rawValue: 2)
    static let both: PolicySides = [.baseline, .candidate]
    init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ side: PolicySide) { self = side == .baseline ? .baseline : .candidate }
    /// Built once per set of sides: filtering `allCases` allocated an array every time a step,
    /// an arrival or an effect went over its sides.
    var members: [PolicySide] { Self.membersByRawValue[Int(rawValue & 3)] }
    private static let membersByRawValue: [[PolicySide]] = [[], [.baseline], [.candidate], [.baseline, .candidate]]
}

