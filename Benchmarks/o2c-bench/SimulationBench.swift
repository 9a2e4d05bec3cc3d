import Foundation
import O2CCore
import O2CModel
import O2CSim

/// Figure 2: `o2c simulate`'s own entry point (`Simulation.synthetic`: baseline and candidate
/// side by side, compared as they go, report built) over 10k, 100k and 1M generated orders,
/// each size in its own child process so that peak RSS (VmHWM) is its own.
///
/// The candidate is the change docs/simulate.md walks through (new-customer limit 5000 → 3000,
/// late fee from day 30 to day 21): a real change, so the figures include the steps the two
/// policies take differently, not only the ones they share.
enum SimulationBench {
    static let policyChange: [(file: String, old: String, new: String)] = [
        ("rules/credit-policy.yaml", "new_customer_limit: {value: 5000.00 EUR", "new_customer_limit: {value: 3000.00 EUR"),
        ("rules/dunning-b2b.yaml", "- name: late_fee\n    offset: 30d", "- name: late_fee\n    offset: 21d"),
    ]

    /// Measured sizes. 100k orders fit the suite's 10 minutes (about 3 minutes); 1M orders take
    /// about half an hour today and are estimated unless asked for (`--sim-sizes 1000000`; see
    /// docs/performance.md for the measured run).
    static func sizes(_ options: Options) -> [Int] {
        options.simSizes ?? (options.quick ? [1_000, 3_000] : [1_000, 10_000, 100_000])
    }

    static func main(_ options: Options) {
        var rows: [(orders: Int, seconds: Double, rss: Double)] = []
        for n in sizes(options) {
            let (lines, status) = runChild(["simulate", String(n)], options: options)
            for l in lines where l.hasPrefix("simulation.") { Report.relay(l) }
            if status != 0 { Report.info("simulation child for \(n) orders exited with status \(status)") }
            func value(_ suffix: String) -> Double? {
                lines.first { $0.hasPrefix("simulation.\(formatCount(n)).\(suffix) ") }
                    .flatMap { Double($0.split(separator: " ")[1]) }
            }
            if let s = value("seconds"), let m = value("peak_rss") { rows.append((n, s, m)) }
        }
        // 100k and 1M orders when not measured: from the largest run's cost per order, which
        // streaming keeps constant; flagged as estimates.
        if let big = rows.last {
            for n in [100_000, 1_000_000] where !rows.contains(where: { $0.orders == n }) {
                let est = big.seconds * Double(n) / Double(big.orders)
                Report.figure("simulation.\(formatCount(n)).seconds_estimated", est, "s", target: n == 100_000 ? .below(2, "2 s") : nil,
                              note: "ESTIMATE from the \(formatCount(big.orders)) run (\(Int(Double(big.orders) / big.seconds)) orders/s); run with --sim-sizes \(n) to measure")
            }
        }
        // Growth: cost per order and memory, relative to the smallest run.
        if let first = rows.first {
            for r in rows.dropFirst() {
                let x = Double(r.orders) / Double(first.orders)
                Report.figure("simulation.growth.\(formatCount(first.orders))_to_\(formatCount(r.orders)).time_ratio", r.seconds / first.seconds, "x",
                              note: "orders ×\(Int(x))")
                Report.figure("simulation.growth.\(formatCount(first.orders))_to_\(formatCount(r.orders)).rss_ratio", r.rss / first.rss, "x",
                              note: "orders ×\(Int(x)); sub-linear = streaming")
            }
        }
    }

    /// In the child: one size, figures on stdout.
    static func child(_ orders: Int, baseline: Library, candidate: Library) {
        let spec = steadySpec(orders: orders)
        let header = SimulationReport.Header(baseline: "shipped", candidate: "limit 3000, late fee day 21", mode: "synthetic", details: [])
        var report: SimulationReport?
        var shared = 0
        let seconds = Clock.seconds {
            let driver = Simulation.syntheticDriver(baseline: baseline, candidate: candidate, spec: spec)
            shared = driver.engine.sharedSteps
            report = SimulationReport.build(driver, header: header, changes: PolicyDiff.compare(baseline, candidate))
        }
        let rss = peakRSS()
        var steps = 0.0
        if let row = report?.kpis.first(where: { $0.name == "steps" }) {
            let digits: (String) -> Double = { Double($0.filter(\.isNumber)) ?? 0 }
            steps = digits(row.baseline) + digits(row.candidate)
        }
        let moved = report.map { $0.compared - $0.identical } ?? 0
        let n = formatCount(orders)
        var timeTarget: Target?
        var rssTarget: Target?
        if orders == 100_000 { timeTarget = .below(2, "2 s") }
        if orders == 1_000_000 { rssTarget = .below(1024 * 1024 * 1024, "1 GiB") }
        Report.figure("simulation.\(n).seconds", seconds, "s", target: timeTarget,
                      note: "\(orders) orders under the shipped policy and the docs/simulate.md change, \(spec.days) days of arrivals; \(moved) orders took another path")
        Report.figure("simulation.\(n).orders_per_second", Double(orders) / seconds, "/s")
        Report.figure("simulation.\(n).steps_per_second", steps / seconds, "/s", note: "\(Int(steps)) steps, both policies")
        Report.figure("simulation.\(n).shared_steps", steps > 0 ? Double(2 * shared) / steps * 100 : 0, "%",
                      note: "\(shared) steps the two policies took alike, computed once")
        Report.figure("simulation.\(n).peak_rss", rss, "B", target: rssTarget, note: String(format: "%.1f MiB", rss / 1_048_576))
    }
}
