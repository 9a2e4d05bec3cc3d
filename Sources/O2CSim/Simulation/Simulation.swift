import O2CCore
import O2CEngine
import O2CModel

/// `o2c simulate` as two pure functions: libraries and a population (or a recording) in, a
/// report out. Nothing here reads or writes a file, opens a database or reaches a handler.
public enum Simulation {
    /// How long after the last arrival the engines keep running, so every order can finish.
    public static let tail = Duration.days(730)

    /// Synthetic mode: both policies over the same generated book of business, answered by the
    /// same behaviour model. The same spec (seed) gives the same report, byte for byte.
    /// `sharing: false` steps both policies separately: slower, the same report (see `PairedEngine`).
    /// `progress` hears how many orders have arrived so far, now and then (about every 1%), and
    /// the total once more before the run-out after the last arrival.
    public static func synthetic(baseline: Library, candidate: Library, spec: PopulationSpec, horizon: Duration = tail,
                                 header: SimulationReport.Header, sharing: Bool = true,
                                 progress: ((_ arrived: Int, _ total: Int) -> Void)? = nil) -> SimulationReport {
        let driver = syntheticDriver(baseline: baseline, candidate: candidate, spec: spec, horizon: horizon, sharing: sharing, progress: progress)
        return SimulationReport.build(driver, header: header, changes: PolicyDiff.compare(baseline, candidate))
    }

    /// The finished run behind `synthetic`, for callers that want more than the report (the
    /// benchmark's count of shared steps, tests).
    public static func syntheticDriver(baseline: Library, candidate: Library, spec: PopulationSpec, horizon: Duration = tail,
                                       sharing: Bool = true,
                                       progress: ((_ arrived: Int, _ total: Int) -> Void)? = nil) -> SimulationDriver<BehaviourResponder> {
        let population = Population(spec, library: candidate)
        let periodEnd = spec.start.adding(.days(spec.days))
        let orders = SharedOrderCache() // both responders have this spec
        var driver = SimulationDriver(baseline: baseline, candidate: candidate, start: spec.start,
                                      responder: { BehaviourResponder(spec: spec, library: $0, orders: orders) },
                                      kpi: { KPISpec.standard(for: $0) }, period: (spec.start, periodEnd), sharing: sharing)
        var last = spec.start
        let every = max(spec.orders / 100, 1)
        var arrived = 0
        for plan in population {
            driver.feed(Arrival(at: plan.at, root: plan.id, what: .start(workflow: plan.workflow, id: plan.id, businessKey: plan.id, inputs: plan.inputs)))
            last = max(last, plan.at)
            arrived += 1
            if arrived % every == 0 { progress?(arrived, spec.orders) }
        }
        progress?(arrived, spec.orders)
        driver.finish(at: last.adding(horizon))
        return driver
    }

    /// Replay mode: every recorded order re-run under both policies on a virtual clock, with the
    /// recorded inputs, external events and handler answers, up to the recording's last moment.
    public static func replay(baseline: Library, candidate: Library, instances: [RecordedInstance], outbox: [RecordedEffect],
                              until: Instant? = nil, header: SimulationReport.Header, sharing: Bool = true) -> SimulationReport {
        let plan = ReplayPlan.build(instances: instances, outbox: outbox)
        // Never past the recording: after its last moment nothing was recorded to replay, and a
        // replay does not invent the future.
        let end = min(until ?? plan.end, plan.end)
        var driver = SimulationDriver(baseline: baseline, candidate: candidate, start: plan.start,
                                      responder: { RecordedResponder(book: plan.answers, library: $0) },
                                      kpi: { KPISpec.standard(for: $0) }, period: (plan.start, end), rememberFinalized: true,
                                      sharing: sharing)
        for a in plan.arrivals where a.at <= end { driver.feed(a) }
        driver.finish(at: end)
        var notes: [SimulationReport.Note] = []
        if !plan.unreplayable.isEmpty {
            notes.append(.init(title: "\(plan.unreplayable.count) recorded order\(plan.unreplayable.count == 1 ? "" : "s") not replayable (left out of every figure)",
                               lines: plan.unreplayable.prefix(20).map { "`\($0.id)`: \($0.reason)" } + (plan.unreplayable.count > 20 ? ["… and \(plan.unreplayable.count - 20) more"] : [])))
        }
        notes += unknownOutcomes(driver.baseline.responder.unknown, side: "baseline", book: plan.answers)
        notes += unknownOutcomes(driver.candidate.responder.unknown, side: "candidate", book: plan.answers)
        var h = header
        let fed = plan.arrivals.filter { $0.at <= end }.count
        if end < plan.end {
            // Stopped early (--until): orders that started later are not run, and the recording's
            // endings lie beyond the stop, so they are no yardstick for the baseline replay.
            h.details.append("\(driver.comparer.compared) of \(plan.orders) recorded order\(plan.orders == 1 ? "" : "s") replayed from \(plan.start) to \(end) "
                             + "(--until; the recording runs to \(plan.end)), \(fed) of \(plan.arrivals.count) recorded inputs")
            h.details.append("the baseline replay is not checked against the recording: it stops before the recording's end")
        } else {
            h.details.append("\(plan.orders) order\(plan.orders == 1 ? "" : "s") replayed from \(plan.start) to \(end), \(fed) recorded input\(fed == 1 ? "" : "s")"
                             + (until.map { $0 > end ? " (--until \($0) is after the recording's last moment: stopped there)" : "" } ?? ""))
            let (matching, mismatches) = fidelity(instances, plan: plan, replayed: driver.baseline.observer.outcomes)
            h.details.append("the baseline replay ends \(matching) of \(plan.orders) order\(plan.orders == 1 ? "" : "s") as recorded"
                             + (mismatches.isEmpty ? "" : " (expected when the baseline is not the policy the recording was made with)"))
            if !mismatches.isEmpty {
                notes.append(.init(title: "\(mismatches.count) order\(mismatches.count == 1 ? "" : "s") end otherwise under the baseline replay than in the recording",
                                   lines: mismatches.prefix(10) + (mismatches.count > 10 ? ["… and \(mismatches.count - 10) more"] : [])))
            }
        }
        return SimulationReport.build(driver, header: h, changes: PolicyDiff.compare(baseline, candidate), notes: notes)
    }

    /// "unknown outcome": effects the recording has no answer for. Actions that answered in the
    /// recording come first, with examples (a missing answer there changes what happens next);
    /// actions that never answered are summed up on one line.
    static func unknownOutcomes(_ list: [RecordedResponder.Unknown], side: String, book: AnswerBook) -> [SimulationReport.Note] {
        guard !list.isEmpty else { return [] }
        var byAction: [String: [RecordedResponder.Unknown]] = [:]
        for u in list { byAction[u.action, default: []].append(u) }
        var lines: [String] = []
        var silent: [String] = []
        for action in byAction.keys.sorted() {
            let us = byAction[action]!
            guard book.answeringActions.contains(action) else {
                silent.append("`\(action)` \(us.count)")
                continue
            }
            lines.append("`\(action)`: \(us.count) effect\(us.count == 1 ? "" : "s"), an action that answered in the recording:")
            for u in us.prefix(3) { lines.append("  `\(u.instance)` at \(u.at): \(u.reason)") }
        }
        if !silent.isEmpty { lines.append("never answered in the recording, so likely none: " + silent.joined(separator: ", ")) }
        return [.init(title: "unknown outcome under the \(side): \(list.count) effect\(list.count == 1 ? "" : "s") the recording has no answer for (no answer was assumed)",
                      lines: lines)]
    }

    /// How each replayed order ended under the baseline against how it ended in the recording
    /// (`active` when it had not finished). Only meaningful up to the recording's end.
    static func fidelity(_ instances: [RecordedInstance], plan: ReplayPlan, replayed: [String: String]) -> (Int, [String]) {
        let excluded = Set(plan.unreplayable.map(\.id)), ids = Set(instances.map(\.id))
        var matching = 0
        var mismatches: [String] = []
        for i in instances.sorted(by: { $0.id < $1.id }) where !ids.contains(i.parentId ?? "") && !excluded.contains(i.id) {
            let recorded = i.status == "completed" ? (i.outcome ?? i.state) : i.status
            let now = replayed[i.id] ?? "active"
            if recorded == now { matching += 1 } else { mismatches.append("`\(i.id)`: recorded `\(recorded)`, replayed `\(now)`") }
        }
        return (matching, mismatches)
    }
}
