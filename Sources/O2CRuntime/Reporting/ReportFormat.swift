import O2CCore

/// How reports print numbers for people: money with thousands separators and two decimals,
/// days and percents with one decimal (half-up), `n/a` for what is undefined.
public enum ReportFormat {
    public static func money(_ d: ExactDecimal, _ c: Currency?) -> String {
        let places = c?.minorUnits ?? 2
        let text = d.rounded(places: places).formatted(places: places)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        grouped = whole + grouped
        let decimals = parts.count > 1 ? "." + parts[1] : ""
        return (negative ? "-" : "") + grouped + decimals + (c.map { " \($0.code)" } ?? "")
    }

    public static func one(_ d: ExactDecimal?) -> String {
        guard let d else { return "n/a" }
        return d.rounded(places: 1).formatted(places: 1)
    }

    public static func days(_ d: ExactDecimal?) -> String { d == nil ? "n/a" : "\(one(d)) days" }
    public static func percent(_ d: ExactDecimal?) -> String { d == nil ? "n/a" : "\(one(d)) %" }

    /// `label ........ value` in fixed columns.
    public static func line(_ label: String, _ value: String, note: String = "", width: Int = 34) -> String {
        let pad = max(1, width - label.count)
        return "  " + label + String(repeating: " ", count: pad) + value + (note.isEmpty ? "" : "   " + note)
    }

    /// `✓`, or the difference.
    public static func check(_ difference: ExactDecimal, _ c: Currency?) -> String {
        difference.isZero ? "✓" : "✗ off by \(money(difference, c))"
    }
}
