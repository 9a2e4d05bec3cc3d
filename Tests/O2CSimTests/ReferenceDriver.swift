import O2CCore
import O2CEngine
import O2CModel
@testable import O2CSim
import Testing

/// The simulator as it was before steps were shared: two separate `VirtualEngine`s side by
/// side (the driver of commit ecdd029, unchanged but for its name). The test oracle the paired
/// engine is held to: same arrivals in, the same report out.
struct ReferenceDriver<Responder: EffectResponder> {
    var baseline: VirtualEngine<Responder, RunObserver>
    var candidate: VirtualEngine<Responder, RunObserver>
    var comparer: TraceComparer
    /// End of the sales period (for DSO): figures are sampled when the clock passes it.
    let periodEnd: Instant?
    let periodDays: Int
    private var sampled = false
    private var lastSync: Instant
    /// Arrivals one side refused (a start refused, a replayed event not accepted), per side.
    var refused = (baseline: Refusals(), candidate: Refusals())
    var arrivals = 0

    init(baseline: Library, candidate: Library, start: Instant, responder: (Library) -> Responder,
                kpi: (Library) -> KPISpec, period: (start: Instant, end: Instant)? = nil, rememberFinalized: Bool = false) {
        // `rememberFinalized` is for replays: late notes may arrive for finished orders, and the
        // baseline's outcomes are kept to check the replay against the recording.
        self.baseline = VirtualEngine(library: baseline, start: start, responder: responder(baseline),
                                      observer: RunObserver(spec: kpi(baseline), library: baseline), forgetFinished: true)
        self.candidate = VirtualEngine(library: candidate, start: start, responder: responder(candidate),
                                       observer: RunObserver(spec: kpi(candidate), library: candidate), forgetFinished: true)
        comparer = TraceComparer(rememberFinalized: rememberFinalized)
        self.baseline.observer.keepsOutcomes = rememberFinalized
        lastSync = start
        periodEnd = period?.end
        periodDays = period.map { Int(($0.end.secondsSinceEpoch - $0.start.secondsSinceEpoch + 86_399) / 86_400) } ?? 0
    }

    /// Applies one arrival to both runs (arrivals must come in time order).
    mutating func feed(_ a: Arrival) {
        arrivals += 1
        advance(to: a.at)
        if let r = Self.apply(a, to: &baseline) {
            refused.baseline.add(r.message)
            if let item = r.item, !baseline.observer.note(item, root: a.root) { late(item, a, .baseline) }
        }
        if let r = Self.apply(a, to: &candidate) {
            refused.candidate.add(r.message)
            if let item = r.item, !candidate.observer.note(item, root: a.root) { late(item, a, .candidate) }
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
    mutating func finish(at horizon: Instant) {
        advance(to: horizon)
        if !sampled { sample() }
        sync()
        comparer.finishAll()
    }

    private mutating func advance(to t: Instant) {
        if let end = periodEnd, !sampled, t > end {
            baseline.run(until: end)
            candidate.run(until: end)
            sample()
        }
        baseline.run(until: t)
        candidate.run(until: t)
    }

    private mutating func sample() {
        sampled = true
        baseline.observer.samplePeriod(days: periodDays)
        candidate.observer.samplePeriod(days: periodDays)
    }

    private mutating func sync() {
        comparer.absorb(baseline.observer.drain(), from: .baseline)
        comparer.absorb(candidate.observer.drain(), from: .candidate)
    }

    /// Why the arrival was refused, if it was, and for a refused event the trace item that
    /// makes accepting it under one policy and not the other a divergence.
    private static func apply(_ a: Arrival, to engine: inout VirtualEngine<Responder, RunObserver>) -> (message: String, item: TraceItem?)? {
        switch a.what {
        case .start(let workflow, let id, let key, let inputs):
            do {
                try engine.start(workflow: workflow, id: id, businessKey: key, inputs: inputs)
                return nil
            } catch {
                let item = TraceItem(at: a.at, instance: id, workflow: workflow, state: "", what: .refused(event: TraceItem.startEvent, reason: "\(error)"))
                return ("\(a.at) start of `\(id)` (\(workflow)) refused: \(error)", item)
            }
        case .event(let instance, let name, let payload, let id):
            let snapshot = engine.instances[instance]
            do {
                try engine.deliver(instance, event: name, payload: payload, id: id)
                return nil
            } catch {
                let reason = snapshot == nil ? "instance finished or absent" : "\(error)"
                let item = TraceItem(at: a.at, instance: instance, workflow: snapshot?.workflow ?? "?", state: snapshot?.state ?? "?",
                                     what: .refused(event: name, reason: reason))
                return ("\(a.at) `\(name)` to `\(instance)` not accepted: \(reason)", item)
            }
        case .cancel(let instance, let reason):
            let snapshot = engine.instances[instance]
            do {
                try engine.cancel(instance, reason: reason)
                return nil
            } catch {
                let item = TraceItem(at: a.at, instance: instance, workflow: snapshot?.workflow ?? "?", state: snapshot?.state ?? "?",
                                     what: .refused(event: "cancel", reason: "instance finished or absent"))
                return ("\(a.at) cancellation of `\(instance)` not applied: the instance had finished", item)
            }
        }
    }
}

extension ReferenceDriver {
    /// The report's figures, groups and chart (the notes are compared by count).
    func report(header: SimulationReport.Header, changes: [PolicyChange]) -> SimulationReport {
        let a = baseline.observer.tally, b = candidate.observer.tally
        return SimulationReport(header: header, changes: changes, kpis: KPIRows.build(a, b), compared: comparer.compared,
                                identical: comparer.identical, groups: comparer.sortedGroups, notes: [],
                                cash: SimulationReport.cashSeries(a, b))
    }
}

/// Feeds the same arrivals to the paired driver and to two separate engines, and checks they
/// report alike: figures, groups, examples and chart (JSON and text), refused arrivals, and the
/// answers each policy refused, in order.
func runAgainstReference<R: EffectResponder>(_ baseline: Library, _ candidate: Library, _ arrivals: [Arrival], until end: Instant,
                                             start: Instant, period: (start: Instant, end: Instant), rememberFinalized: Bool = false,
                                             responder: (Library) -> R, sourceLocation: SourceLocation = #_sourceLocation)
    -> (paired: SimulationDriver<R>, reference: ReferenceDriver<R>, report: SimulationReport) {
    var paired = SimulationDriver(baseline: baseline, candidate: candidate, start: start, responder: responder,
                                  kpi: { KPISpec.standard(for: $0) }, period: period, rememberFinalized: rememberFinalized)
    var reference = ReferenceDriver(baseline: baseline, candidate: candidate, start: start, responder: responder,
                                    kpi: { KPISpec.standard(for: $0) }, period: period, rememberFinalized: rememberFinalized)
    for a in arrivals where a.at <= end {
        paired.feed(a)
        reference.feed(a)
    }
    paired.finish(at: end)
    reference.finish(at: end)
    let header = SimulationReport.Header(baseline: "baseline", candidate: "candidate", mode: "test", details: [])
    let changes = PolicyDiff.compare(baseline, candidate)
    let report = SimulationReport.build(paired, header: header, changes: changes)
    var a = report
    a.notes = [] // built from the refusals, compared below
    let b = reference.report(header: header, changes: changes)
    #expect(ReportJSON.render(a) == ReportJSON.render(b), sourceLocation: sourceLocation)
    #expect(ReportText.render(a) == ReportText.render(b), sourceLocation: sourceLocation)
    #expect(paired.refusedArrivals.baseline.examples == reference.refused.baseline.examples, sourceLocation: sourceLocation)
    #expect(paired.refusedArrivals.candidate.examples == reference.refused.candidate.examples, sourceLocation: sourceLocation)
    func listed(_ r: [(at: Instant, instance: String, error: StepError)]) -> [String] { r.map { "\($0.at) \($0.instance) \($0.error)" } }
    #expect(listed(paired.baseline.refusals) == listed(reference.baseline.refusals), sourceLocation: sourceLocation)
    #expect(listed(paired.candidate.refusals) == listed(reference.candidate.refusals), sourceLocation: sourceLocation)
    // Each policy saw every one of its steps.
    #expect(paired.baseline.steps == reference.baseline.steps, sourceLocation: sourceLocation)
    #expect(paired.candidate.steps == reference.candidate.steps, sourceLocation: sourceLocation)
    return (paired, reference, report)
}
