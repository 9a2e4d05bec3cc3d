import O2CCore

/// The report as plain text for a terminal: aligned columns, no colour, stable bytes.
public enum ReportText {
    public static func render(_ r: SimulationReport) -> String {
        var out = "o2c simulate: candidate \(r.header.candidate) against baseline \(r.header.baseline)\n"
        for d in r.header.details { out += "\(r.header.mode): \(d)\n" }

        out += "\nWhat changed in the policy (\(r.changes.count))\n"
        if r.changes.isEmpty { out += "  nothing: the two libraries define the same policy\n" }
        for c in r.changes { out += "  \(c.text)\n" }

        out += "\nKey figures\n"
        let nameWidth = max(48, (r.kpis.map { $0.name.count }.max() ?? 0) + 6)
        let w = max(14, r.kpis.flatMap { [$0.baseline.count, $0.candidate.count, $0.delta.count] }.max() ?? 0) + 2
        out += pad("", nameWidth) + alignRight("baseline", w) + alignRight("candidate", w) + alignRight("delta", w) + "\n"
        var section = ""
        let folded = r.kpis.filter { $0.name.hasPrefix(noticePrefix) && !$0.changed }
        for k in r.kpis {
            if k.section != section {
                section = k.section
                out += "  \(section)\n"
            }
            if k.name.hasPrefix(noticePrefix) && !k.changed {
                // A terminal cannot show forty unchanged templates usefully: one line for them all
                // (every format but text lists each).
                guard k == folded.first, folded.count > 1 else {
                    if folded.count == 1 { out += row(k, nameWidth, w) }
                    continue
                }
                let x = folded.compactMap { Int($0.baseline) }.reduce(0, +), y = folded.compactMap { Int($0.candidate) }.reduce(0, +)
                out += row(.init(section: k.section, name: "notices, \(folded.count) other templates (unchanged)", baseline: "\(x)", candidate: "\(y)", delta: "0", changed: false), nameWidth, w)
                continue
            }
            out += row(k, nameWidth, w)
        }

        out += "\n" + pathsTitle(r) + "\n"
        for g in r.groups {
            out += "  \(g.label): \(groupSummary(g))\n"
            if let e = endings(g) { out += "    ending \(e)\n" }
            for e in g.examples { out += "    \(example(e))\n" }
        }
        for n in r.notes {
            out += "\nNote: \(n.title)\n"
            for l in n.lines { out += "  \(l)\n" }
        }
        return out
    }

    static let noticePrefix = "notices `"

    static func row(_ k: SimulationReport.KPIRow, _ nameWidth: Int, _ w: Int) -> String {
        pad("    " + k.name, nameWidth) + alignRight(k.baseline, w) + alignRight(k.candidate, w) + alignRight(k.delta, w) + (k.changed ? "  *" : "") + "\n"
    }

    public static func pathsTitle(_ r: SimulationReport) -> String {
        if r.compared == 0 { return "Orders whose path changed: none compared" }
        if r.changed == 0 { return "Orders whose path changed: none of \(r.compared) (every order behaves identically under both policies)" }
        return "Orders whose path changed: \(r.changed) of \(r.compared) (\(r.identical) unchanged)"
    }

    /// "12 orders, 48000.00 EUR at stake, fees +480.00 EUR".
    static func groupSummary(_ g: ChangeGroup) -> String {
        "\(g.count) order\(g.count == 1 ? "" : "s"), \(g.atStake.text()) at stake" + (feeDelta(g).map { ", fees \($0)" } ?? "")
    }

    /// "3 × `completed` → `rejected`, 1 × `completed` → still running", or nil when every order
    /// of the group ends as it did.
    static func endings(_ g: ChangeGroup) -> String? {
        let e = g.sortedEndings
        return e.isEmpty ? nil : e.map { "\($0.count) × \($0.ending)" }.joined(separator: ", ")
    }

    /// "+480.00 EUR", or nil when the group's fees did not change.
    static func feeDelta(_ g: ChangeGroup) -> String? {
        guard !g.feeDelta.isZero else { return nil }
        return g.feeDelta.currencies.map { c in
            let v = g.feeDelta.amount(c)
            return (v.isNegative ? "" : "+") + Money(v, c).description
        }.joined(separator: " ")
    }

    /// "SO-00042 at 2026-01-07T10:12:00Z in credit_check.checking: baseline → released; candidate → in_review".
    static func example(_ e: ChangeGroup.Example) -> String {
        let d = e.divergence
        func side(_ i: TraceItem?) -> String {
            guard let i else { return "nothing more" }
            return i.action + (i.place != d.place || i.at != d.at ? " (\(i.place), \(i.at))" : "")
        }
        return "\(e.root) at \(d.at) in \(d.place): baseline \(side(d.baseline)); candidate \(side(d.candidate))"
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    static func alignRight(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}
