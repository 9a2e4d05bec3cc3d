import O2CCore

/// The report as one self-contained HTML page: inline CSS and SVG charts, no script, nothing
/// fetched from anywhere, so it can be mailed or archived as is.
public enum ReportHTML {
    public static func render(_ r: SimulationReport) -> String {
        let e = HTMLText.escape, i = HTMLText.inline
        var out = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>Policy simulation: \(e(r.header.candidate)) against \(e(r.header.baseline))</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
        table{border-collapse:collapse;width:100%;margin:1em 0}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:right}
        td:first-child,th:first-child{text-align:left}tr.section td{font-weight:bold;background:#f4f4f4}
        tr.changed td:last-child{font-weight:bold;color:#d9480f}code{background:#f2f2f2;padding:0 3px;border-radius:3px}
        .note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5em 1em;margin:1em 0}
        </style></head><body>
        <h1>Policy simulation</h1>
        <p>Candidate <strong>\(e(r.header.candidate))</strong> against baseline <strong>\(e(r.header.baseline))</strong>.</p>
        <ul>
        """
        out += "\n"
        for d in r.header.details { out += "<li>\(e(r.header.mode)): \(i(d))</li>\n" }
        out += "</ul>\n<h2>What changed in the policy</h2>\n"
        if r.changes.isEmpty { out += "<p>Nothing: the two libraries define the same policy.</p>\n" }
        else {
            out += "<ul>\n"
            for c in r.changes { out += "<li>\(i(c.text))</li>\n" }
            out += "</ul>\n"
        }

        out += "<h2>Key figures</h2>\n<table><tr><th></th><th>baseline</th><th>candidate</th><th>delta</th></tr>\n"
        var section = ""
        for k in r.kpis {
            if k.section != section {
                section = k.section
                out += "<tr class=\"section\"><td colspan=\"4\">\(e(section))</td></tr>\n"
            }
            out += "<tr\(k.changed ? " class=\"changed\"" : "")><td>\(i(k.name))</td><td>\(e(k.baseline))</td><td>\(e(k.candidate))</td><td>\(e(k.delta))</td></tr>\n"
        }
        out += "</table>\n"
        if let c = r.cash {
            out += "<h2>Cash collected over time (\(e(c.currency.code)), cumulative</h2>\n" + SVGChart.lines(c) + "\n"
        }

        out += "<h2>\(i(ReportText.pathsTitle(r)))</h2>\n"
        if !r.groups.isEmpty {
            out += SVGChart.bars(r.groups.map { ($0.label, $0.count) }) + "\n"
            out += "<table><tr><th>change</th><th>orders</th><th>at stake</th><th>fee delta</th></tr>\n"
            for g in r.groups {
                out += "<tr><td>\(i(g.label))</td><td>\(g.count)</td><td>\(e(g.atStake.text()))</td><td>\(e(ReportText.feeDelta(g) ?? ""))</td></tr>\n"
            }
            out += "</table>\n"
            for g in r.groups {
                out += "<h3>\(i(g.label))</h3>\n"
                if let x = ReportText.endings(g) { out += "<p>Ending: \(i(x)).</p>\n" }
                out += "<ul>\n"
                for x in g.examples { out += "<li>\(i(ReportText.example(x)))</li>\n" }
                out += "</ul>\n"
            }
        }
        for n in r.notes {
            out += "<div class=\"note\"><strong>Note:</strong> \(i(n.title))<ul>\n"
            for l in n.lines { out += "<li>\(i(l))</li>\n" }
            out += "</ul></div>\n"
        }
        return out + "</body></html>\n"
    }
}
