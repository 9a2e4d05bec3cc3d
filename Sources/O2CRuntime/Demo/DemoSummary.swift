import O2CCore
import O2CSim

/// The demo's closing summary, for a finance lead: what happened to the orders, where the
/// money is, whether the books reconcile, and the KPIs.
public enum DemoSummary {
    public static func text(_ o: Demo.Outcome, spec: PopulationSpec, database: String, notices: String?) -> String {
        let r = o.report
        var lines = [
            "o2c demo — \(o.ordersStarted) orders from \(spec.start.day) over \(spec.days) days (seed \(spec.seed)), books closed \(r.to.day)",
            "",
        ]
        for section in [r.orderSection, r.activitySection, r.moneySection, r.reconciliationSection, o.kpis.kpiSection, o.kpis.recoverySection]
        where !section.isEmpty {
            lines += section
            lines.append("")
        }
        lines.append("The outside world")
        lines.append(ReportFormat.line("events delivered", "\(o.eventsDelivered)", note: "payments, deliveries, replies, decisions"))
        lines.append(ReportFormat.line("still to come after \(r.to.day)", "\(o.eventsAfterEnd)", note: "promised payments, deliveries"))
        for (reason, n) in o.refused { lines.append(ReportFormat.line("refused", "\(n)", note: reason)) }
        lines.append("")
        lines.append("Look closer: \(reportCommand(o, database: database)) · o2c list --db \(database) · o2c show order-SO-00001 --db \(database)"
            + (notices.map { " · notices in \($0)/" } ?? ""))
        return lines.joined(separator: "\n")
    }

    /// The `o2c report` command that shows the same KPIs: `--to` names the last day included, and
    /// the demo's period ends at midnight, so that is the day before the printed end.
    static func reportCommand(_ o: Demo.Outcome, database: String) -> String {
        let (from, to) = (o.kpis.from, o.kpis.to)
        let lastDay = to == to.day.startInstant ? Day(daysSinceEpoch: to.day.daysSinceEpoch - 1) : to.day
        return "o2c report --db \(database) --from \(from.day) --to \(lastDay)"
    }

    public static func json(_ o: Demo.Outcome, spec: PopulationSpec, database: String) -> JSON {
        .object([
            ("seed", .number(ExactDecimal(Int(spec.seed)))), ("orders", .number(ExactDecimal(o.ordersStarted))), ("database", .string(database)),
            ("events_delivered", .number(ExactDecimal(o.eventsDelivered))), ("events_after_end", .number(ExactDecimal(o.eventsAfterEnd))),
            ("refused", .object(o.refused.map { ($0.reason, .number(ExactDecimal($0.count))) })),
            ("report", o.report.json), ("kpis", o.kpis.json),
        ])
    }
}
