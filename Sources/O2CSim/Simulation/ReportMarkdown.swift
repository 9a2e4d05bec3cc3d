import O2CCore

/// The report as GitHub-flavoured Markdown, for a pull request or a wiki page.
public enum ReportMarkdown {
    public static func render(_ r: SimulationReport) -> String {
        var out = "# Policy simulation: \(cell(r.header.candidate)) against \(cell(r.header.baseline))\n\n"
        for d in r.header.details { out += "- \(r.header.mode): \(d)\n" }

        out += "\n## What changed in the policy\n\n"
        if r.changes.isEmpty { out += "Nothing: the two libraries define the same policy.\n" }
        for c in r.changes { out += "- \(c.text)\n" }

        out += "\n## Key figures\n\n| | baseline | candidate | delta |\n|---|---:|---:|---:|\n"
        var section = ""
        for k in r.kpis {
            if k.section != section {
                section = k.section
                out += "| **\(section)** | | | |\n"
            }
            let delta = k.changed ? "**\(cell(k.delta))**" : cell(k.delta)
            out += "| \(cell(k.name)) | \(cell(k.baseline)) | \(cell(k.candidate)) | \(delta) |\n"
        }

        out += "\n## " + ReportText.pathsTitle(r) + "\n"
        if !r.groups.isEmpty {
            out += "\n| change | orders | at stake | fee delta |\n|---|---:|---:|---:|\n"
            for g in r.groups {
                out += "| \(cell(g.label)) | \(g.count) | \(g.atStake.text()) | \(ReportText.feeDelta(g) ?? "") |\n"
            }
            for g in r.groups {
                out += "\n### \(cell(g.label))\n\n"
                if let e = ReportText.endings(g) { out += "Ending: \(e).\n\n" }
                for e in g.examples { out += "- \(ReportText.example(e))\n" }
            }
        }
        for n in r.notes {
            out += "\n> **Note:** \(n.title)\n"
            for l in n.lines { out += "> - \(l)\n" }
        }
        return out
    }

    /// Escapes what would break a table cell.
    static func cell(_ s: String) -> String { s.replacingAll("|", with: "\\|").replacingAll("\n", with: " ") }
}
