import O2CCore
import O2CEngine
import O2CModel

/// Runs the baseline and the candidate side by side over the same arrivals, on one paired
/// virtual engine (the production `Interpreter`, effects recorded and never dispatched; a step
/// the two policies take alike is taken once), and compares them as they go.
///
/// Lockstep: before each arrival, the engine is run up to its time, the arrival is applied to
/// both sides, and the comparer takes what changed. Both traces of an order are thus compared
/// while it is in flight, and forgotten once it has finished under both policies.
///
/// There is no handler anywhere in reach: this module does not depend on the runtime, and the
/// only thing that answers effects is the `EffectResponder` given here (a behaviour model, or
/// answers recorded in a database).
public struct SimulationDriver<Responder: EffectResponder> {
    public private(set) var engine: PairedEngine<Responder>
    public private(set) var comparer: TraceComparer
    /// End of the sales period (for DSO): figures are sampled when the clock passes it.
    let periodEnd: Instant?
    let periodDays: Int
    private var sampled = false
    private var lastSync: Instant
    /// Arrivals one side refused (a start refused, a replayed event not accepted), per side.
    public private(set) var refusedArrivals = (baseline: Refusals(), candidate: Refusals())
    public private(set) var arrivals = 0

    public var baseline: PairedEngine<Responder>.Half { engine.baseline }
    public var candidate: PairedEngine<Responder>.Half { engine.candidate }

    /// `sharing: false` steps every instance under each policy separately (two independent
    /// engines): the reference the shared run is tested against.
    public init(baseline: Library, candidate: Library, start: Instant, responder: (Library) -> Responder,
                kpi: (Library) -> KPISpec, period: (start: Instant, end: Instant)? = nil, rememberFinalized: Bool = false,
                sharing: Bool = true) {
        // `rememberFinalized` is for replays: late notes may arrive for finished orders, and the
        // baseline's outcomes are kept to check the replay against the recording.
        var observers = (RunObserver(spec: kpi(baseline), library: baseline), RunObserver(spec: kpi(candidate), library: candidate))
        observers.0.keepsOutcomes = rememberFinalized
        engine = PairedEngine(baseline: baseline, candidate: candidate, start: start,
                              responders: (responder(baseline), responder(candidate)), observers: observers, sharing: sharing)
        comparer = TraceComparer(rememberFinalized: rememberFinalized)
        lastSync = start
        periodEnd = period?.end
        periodDays = period.map { Int(($0.end.secondsSinceEpoch - $0.start.secondsSinceEpoch + 86_399) / 86_400) } ?? 0
    }

    /// Applies one arrival to both runs (arrivals must come in time order).
    public mutating func feed(_ a: Arrival) {
        arrivals += 1
        advance(to: a.at)
        let (b, c) = apply(a)
        if let r = b {
            refusedArrivals.baseline.add(r.message)
            if let item = r.item, !engine.baseline.observer.note(item, root: a.root) { late(item, a, .baseline) }
        }
        // A candidate step the baseline's refusal held back: the order two separate runs had.
        engine.applyDeferred()
        if let r = c {
            refusedArrivals.candidate.add(r.message)
            if let item = r.item, !engine.candidate.observer.note(item, root: a.root) { late(item, a, .candidate) }
        }
        // Compare at most once per hour of simulated time: an order touched many times within
        // the hour is handed over once, and a finished order still leaves within the hour.
        if a.at >= lastSync.adding(Self.syncInterval) {
            lastSync = a.at
            sync()
        }
    }

    static var syncInterval: Duration { Duration(seconds: 3600) }

    /// A refusal for an order this side has already finished: straight to the comparer (after
    /// what the observers hold, so the order's items stay in order).
    private mutating func late(_ item: TraceItem, _ a: Arrival, _ side: TraceComparer.Side) {
        sync()
        comparer.absorb([RunObserver.Drained(root: a.root, start: a.at, amount: nil, items: [item], closed: true)], from: side)
    }

    /// Runs both engines to `horizon` (everything due by then happens), compares what is left.
    public mutating func finish(at horizon: Instant) {
        advance(to: horizon)
        if !sampled { sample() }
        sync()
        comparer.finishAll()
    }

    private mutating func advance(to t: Instant) {
        if let end = periodEnd, !sampled, t > end {
            engine.run(until: end)
            sample()
        }
        engine.run(until: t)
    }

    private mutating func sample() {
        sampled = true
        engine.baseline.observer.samplePeriod(days: periodDays)
        engine.candidate.observer.samplePeriod(days: periodDays)
    }

    private mutating func sync() {
        comparer.absorb(engine.baseline.observer.drain(), from: .baseline)
        comparer.absorb(engine.candidate.observer.drain(), from: .candidate)
    }

    typealias Refused = (message: String, item: TraceItem?)

    /// Why each side refused the arrival, if it did, and for a refused event the trace item that
    /// makes accepting it under one policy and not the other a divergence.
    private mutating func apply(_ a: Arrival) -> (Refused?, Refused?) {
        switch a.what {
        case .start(let workflow, let id, let key, let inputs):
            let errors = engine.start(workflow: workflow, id: id, businessKey: key, inputs: inputs)
            func refused(_ error: StepError?) -> Refused? {
                guard let error else { return nil }
                let item = TraceItem(at: a.at, instance: id, workflow: workflow, state: "", what: .refused(event: TraceItem.startEvent, reason: "\(error)"))
                return ("\(a.at) start of `\(id)` (\(workflow)) refused: \(error)", item)
            }
            return (refused(errors.0), refused(errors.1))
        case .event(let instance, let name, let payload, let id):
            let before = (engine.snapshot(instance, .baseline), engine.snapshot(instance, .candidate))
            let errors = engine.deliver(instance, event: name, payload: payload, eventId: id)
            func refused(_ error: StepError?, _ snapshot: Snapshot?) -> Refused? {
                guard let error else { return nil }
                let reason = snapshot == nil ? "instance finished or absent" : "\(error)"
                let item = TraceItem(at: a.at, instance: instance, workflow: snapshot?.workflow ?? "?", state: snapshot?.state ?? "?",
                                     what: .refused(event: name, reason: reason))
                return ("\(a.at) `\(name)` to `\(instance)` not accepted: \(reason)", item)
            }
            return (refused(errors.0, before.0), refused(errors.1, before.1))
        case .cancel(let instance, let reason):
            let before = (engine.snapshot(instance, .baseline), engine.snapshot(instance, .candidate))
            let errors = engine.cancel(instance, reason: reason)
            func refused(_ error: StepError?, _ snapshot: Snapshot?) -> Refused? {
                guard error != nil else { return nil }
                let item = TraceItem(at: a.at, instance: instance, workflow: snapshot?.workflow ?? "?", state: snapshot?.state ?? "?",
                                     what: .refused(event: "cancel", reason: "instance finished or absent"))
                return ("\(a.at) cancellation of `\(instance)` not applied: the instance had finished", item)
            }
            return (refused(errors.0, before.0), refused(errors.1, before.1))
        }
    }
}

/// How many arrivals one side refused, with the first few messages (memory stays flat however
/// many a broken candidate refuses).
public struct Refusals: Sendable {
    public private(set) var count = 0
    public private(set) var examples: [String] = []
    public static let maxExamples = 5

    mutating func add(_ message: String) {
        count += 1
        if examples.count < Self.maxExamples { examples.append(message) }
    }
}
