import O2CCore

/// Small inline SVG charts for the HTML report: no script, no external service, integer
/// coordinates (computed from exact decimals), so the same data draws the same bytes.
enum SVGChart {
    static let baselineColour = "#7a869a"
    static let candidateColour = "#d9480f"

    /// Two cumulative lines over days, with a y axis in the series' currency.
    static func lines(_ c: SimulationReport.CashSeries, width: Int = 720, height: Int = 260) -> String {
        let left = 90, right = 16, top = 16, bottom = 40
        let w = width - left - right, h = height - top - bottom
        let maximum = max(c.baseline.max() ?? .zero, c.candidate.max() ?? .zero)
        let scaleTop = maximum.isZero ? ExactDecimal.one : maximum
        let n = max(c.days.count - 1, 1)
        func x(_ i: Int) -> Int { left + i * w / n }
        func y(_ v: ExactDecimal) -> Int { top + h - Int(v.raw * Int128(h) / scaleTop.raw) }
        func path(_ values: [ExactDecimal]) -> String {
            values.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(x($0.offset)),\(y($0.element))" }.joined(separator: " ")
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"cash collected over time\">\n"
        for k in 0...4 {
            let v = (try? scaleTop * ExactDecimal(k) / 4) ?? .zero
            let yy = y(v)
            svg += "<line x1=\"\(left - 4)\" y1=\"\(yy)\" x2=\"\(left + w)\" y2=\"\(yy)\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(left - 8)\" y=\"\(yy + 4)\" text-anchor=\"end\" font-size=\"11\">\(v.rounded(places: 0).formatted(places: 0)) \(c.currency)</text>\n"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(top + h)\" x2=\"\(left + w)\" y2=\"\(top + h)\" stroke=\"#999\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + h)\" stroke=\"#999\"/>\n"
        let ticks = Set([0, n / 4, n / 2, 3 * n / 4, n]).sorted()
        for i in ticks where i < c.days.count {
            svg += "<text x=\"\(x(i))\" y=\"\(top + h + 18)\" text-anchor=\"middle\" font-size=\"11\">\(c.days[i])</text>\n"
        }
        svg += "<path d=\"\(path(c.baseline))\" fill=\"none\" stroke=\"\(baselineColour)\" stroke-width=\"2\"/>\n"
        svg += "<path d=\"\(path(c.candidate))\" fill=\"none\" stroke=\"\(candidateColour)\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n"
        svg += "<text x=\"\(left + 10)\" y=\"\(top + 14)\" font-size=\"12\" fill=\"\(baselineColour)\">— baseline</text>"
        svg += "<text x=\"\(left + 100)\" y=\"\(top + 14)\" font-size=\"12\" fill=\"\(candidateColour)\">- - candidate</text>\n"
        return svg + "</svg>"
    }

    /// Horizontal bars: one per change group, length by number of orders.
    static func bars(_ items: [(label: String, count: Int)], width: Int = 720) -> String {
        let rowHeight = 24, labelWidth = 300
        let height = max(items.count, 1) * rowHeight + 8
        let maximum = max(items.map(\.count).max() ?? 1, 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"orders per kind of change\">\n"
        for (i, item) in items.enumerated() {
            let y = 4 + i * rowHeight
            let length = max(1, item.count * (width - labelWidth - 60) / maximum)
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 16)\" text-anchor=\"end\" font-size=\"12\">\(HTMLText.escape(item.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(length)\" height=\"\(rowHeight - 8)\" fill=\"\(candidateColour)\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 16)\" font-size=\"12\">\(item.count)</text>\n"
        }
        return svg + "</svg>"
    }
}

enum HTMLText {
    static func escape(_ s: String) -> String {
        s.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;").replacingAll("\"", with: "&quot;")
    }

    /// `code` spans for text in backquotes, the rest escaped.
    static func inline(_ s: String) -> String {
        let parts = s.split(separator: "`", omittingEmptySubsequences: false)
        return parts.enumerated().map { $0.offset % 2 == 1 && parts.count % 2 == 1 ? "<code>\(escape(String($0.element)))</code>" : escape(String($0.element)) }
            .joined()
    }
}
