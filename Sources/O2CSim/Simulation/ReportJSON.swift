import O2CCore

/// The report as JSON for programs: the same content as the text, keys in a fixed order,
/// money as `"1240.00 EUR"` strings (exact, like every other o2c JSON output). Each key figure
/// has one JSON type per row, given by its kind: counts and decimals (DSO) are numbers (`null`
/// when there is none), money is text; `kind` says which.
public enum ReportJSON {
    public static func render(_ r: SimulationReport) -> String {
        json(r).serialized(pretty: true) + "\n"
    }

    public static func json(_ r: SimulationReport) -> JSON {
        func s(_ x: String) -> JSON { .string(x) }
        func n(_ x: Int) -> JSON { .number(ExactDecimal(x)) }
        func figure(_ x: String, _ kind: SimulationReport.KPIRow.Kind) -> JSON {
            kind == .money ? .string(x) : ExactDecimal(x).map(JSON.number) ?? .null
        }
        func item(_ i: TraceItem?) -> JSON {
            guard let i else { return .null }
            return .object([("at", s(i.at.description)), ("instance", s(i.instance)), ("workflow", s(i.workflow)), ("state", s(i.state)),
                            ("action", s(i.action))])
        }
        let header: JSON = .object([("baseline", s(r.header.baseline)), ("candidate", s(r.header.candidate)), ("mode", s(r.header.mode)),
                                    ("details", .array(r.header.details.map(s)))])
        let changes: JSON = .array(r.changes.map {
            .object([("file", s($0.file)), ("subject", s($0.subject)), ("kind", s($0.kind.rawValue)), ("detail", s($0.detail)), ("text", s($0.text))])
        })
        let kpis: JSON = .array(r.kpis.map {
            .object([("section", s($0.section)), ("name", s($0.name)), ("kind", s($0.kind.rawValue)), ("baseline", figure($0.baseline, $0.kind)),
                     ("candidate", figure($0.candidate, $0.kind)), ("delta", figure($0.delta, $0.kind)), ("changed", .bool($0.changed))])
        })
        let groups: JSON = .array(r.groups.map { g in
            .object([("change", s(g.label)), ("orders", n(g.count)), ("at_stake", s(g.atStake.text())), ("fee_delta", s(ReportText.feeDelta(g) ?? "0")),
                     ("endings", .array(g.sortedEndings.map { .object([("ending", s($0.ending)), ("orders", n($0.count))]) })),
                     ("examples", .array(g.examples.map { e in
                         .object([("order", s(e.root)), ("started", s(e.started.description)), ("at", s(e.divergence.at.description)),
                                  ("place", s(e.divergence.place)), ("baseline", item(e.divergence.baseline)), ("candidate", item(e.divergence.candidate))])
                     }))])
        })
        let paths: JSON = .object([("compared", n(r.compared)), ("identical", n(r.identical)), ("changed", n(r.changed)), ("groups", groups)])
        let notes: JSON = .array(r.notes.map { .object([("title", s($0.title)), ("lines", .array($0.lines.map(s)))]) })
        var cash: JSON = .null
        if let c = r.cash {
            cash = .object([("currency", s(c.currency.code)), ("days", .array(c.days.map { s($0.description) })),
                            ("baseline", .array(c.baseline.map { .number($0) })), ("candidate", .array(c.candidate.map { .number($0) }))])
        }
        return .object([("header", header), ("policy_changes", changes), ("kpis", kpis), ("paths", paths), ("notes", notes), ("cash_collected", cash)])
    }
}
