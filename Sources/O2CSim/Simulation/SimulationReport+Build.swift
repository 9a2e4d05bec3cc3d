import O2CCore
import O2CEngine

extension SimulationReport {
    /// Assembles the report of a finished driver: the policy diff given, the KPI table, the
    /// change groups, the cash chart series, and notes on anything refused along the way.
    public static func build<R: EffectResponder>(_ driver: SimulationDriver<R>, header: Header, changes: [PolicyChange],
                                                 notes extra: [Note] = []) -> SimulationReport {
        let a = driver.baseline.observer.tally, b = driver.candidate.observer.tally
        var notes: [Note] = []
        for (side, r) in [("baseline", driver.refusedArrivals.baseline), ("candidate", driver.refusedArrivals.candidate)] where r.count > 0 {
            notes.append(Note(title: "\(r.count) input\(r.count == 1 ? "" : "s") not accepted under the \(side)",
                              lines: r.examples + (r.count > r.examples.count ? ["… and \(r.count - r.examples.count) more"] : [])))
        }
        for (side, refusals) in [("baseline", driver.baseline.refusals), ("candidate", driver.candidate.refusals)] where !refusals.isEmpty {
            var counts: [String: Int] = [:]
            var order: [String] = []
            for r in refusals {
                let key = r.error.description.replacingAll("`\(r.instance)`", with: "…")
                if counts[key] == nil { order.append(key) }
                counts[key, default: 0] += 1
            }
            let lines = order.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }.prefix(8).map { "\(counts[$0]!) × \($0)" }
            notes.append(Note(title: "\(refusals.count) answer\(refusals.count == 1 ? "" : "s") refused under the \(side) (events the workflow did not accept)",
                              lines: Array(lines)))
        }
        return SimulationReport(header: header, changes: changes, kpis: KPIRows.build(a, b), compared: driver.comparer.compared,
                                identical: driver.comparer.identical, groups: driver.comparer.sortedGroups, notes: extra + notes,
                                cash: cashSeries(a, b),
                                effort: Effort(baselineSteps: driver.baseline.steps, candidateSteps: driver.candidate.steps,
                                               sharedSteps: driver.engine.sharedSteps))
    }

    /// Cumulative cash per day in the currency with the most cash, from the first payment day to the last.
    static func cashSeries(_ a: KPITally, _ b: KPITally) -> CashSeries? {
        var totals = a.cash
        totals.add(b.cash)
        guard let currency = totals.currencies.max(by: { (totals.amount($0), $1.code) < (totals.amount($1), $0.code) }) else { return nil }
        let days = Set(a.cashByDay.keys).union(b.cashByDay.keys)
        guard let first = days.min(), let last = days.max() else { return nil }
        var series = CashSeries(currency: currency, days: [], baseline: [], candidate: [])
        var x = ExactDecimal.zero, y = ExactDecimal.zero
        for d in first...last {
            x = (try? x + (a.cashByDay[d]?.amount(currency) ?? .zero)) ?? x
            y = (try? y + (b.cashByDay[d]?.amount(currency) ?? .zero)) ?? y
            series.days.append(Day(daysSinceEpoch: d))
            series.baseline.append(x)
            series.candidate.append(y)
        }
        return series
    }
}
