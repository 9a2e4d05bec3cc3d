/// Renders diagnostics the way rustc does, with the source line and the span underlined.
///
/// ```text
/// error[E0201]: transition targets unknown state `remindd`
///   --> workflows/invoice.yaml:27:15
///    |
/// 27 |         goto: remindd
///    |               ^^^^^^^ no such state
///    |
///    = note: states: issued, reminded, paid
/// help: did you mean `reminded`?
/// ```
public struct DiagnosticRenderer: Sendable {
    /// File path → full text, for the excerpts. Files not present render without an excerpt.
    public var sources: [String: String]

    public init(sources: [String: String] = [:]) { self.sources = sources }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    public func render(_ d: Diagnostic) -> String {
        var out = "\(d.severity.rawValue)[\(d.code)]: \(d.message)\n"
        let labels = [(d.primary, "^")] + d.secondary.map { ($0, "-") }
        let gutter = String(labels.map(\.0.span.line).max() ?? 1).count
        let pad = String(repeating: " ", count: gutter)
        out += "\(pad)--> \(d.primary.span)\n"
        var lastFile = d.primary.span.file
        var printedAny = false
        // Labels on one line share one copy of the source line, each with its own underline row.
        var groups: [(file: String, line: Int, labels: [(Label, String)])] = []
        for (label, mark) in labels {
            if let i = groups.firstIndex(where: { $0.file == label.span.file && $0.line == label.span.line }) {
                groups[i].labels.append((label, mark))
            } else {
                groups.append((label.span.file, label.span.line, [(label, mark)]))
            }
        }
        for group in groups {
            guard let line = sourceLine(group.file, group.line) else { continue }
            if group.file != lastFile {
                out += "\(pad)::: \(group.labels[0].0.span)\n"
                lastFile = group.file
            }
            if !printedAny { out += "\(pad) |\n" }
            printedAny = true
            let number = String(group.line)
            out += String(repeating: " ", count: gutter - number.count) + number + " | " + line + "\n"
            for (label, mark) in group.labels {
                let span = label.span
                let visible = max(1, min(span.length, max(1, line.unicodeScalars.count - span.column + 1)))
                var under = String(repeating: " ", count: max(0, span.column - 1)) + String(repeating: mark, count: visible)
                if !label.text.isEmpty { under += " " + label.text }
                out += "\(pad) | " + under + "\n"
            }
        }
        if !d.notes.isEmpty {
            if printedAny { out += "\(pad) |\n" }
            for note in d.notes { out += "\(pad) = note: \(note)\n" }
        }
        if let help = d.help { out += "help: \(help)\n" }
        return out
    }

    /// The text of a 1-based line with tabs shown as spaces so columns line up.
    private func sourceLine(_ file: String, _ line: Int) -> String? {
        guard let text = sources[file], line >= 1 else { return nil }
        var current = 1
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            // "\r\n" is one Character in Swift: a file saved on Windows has no "\n" of its own.
            if text[i] == "\n" || text[i] == "\r\n" {
                if current == line { break }
                current += 1
                start = text.index(after: i)
            }
            i = text.index(after: i)
        }
        guard current == line else { return nil }
        var s = String(text[start..<i])
        if s.hasSuffix("\r") { s.removeLast() }
        return s.replacingAll("\t", with: " ")
    }

    /// A one-line summary: `2 errors, 1 warning`.
    public static func summary(_ diagnostics: [Diagnostic]) -> String {
        let e = diagnostics.errorCount, w = diagnostics.warningCount
        return "\(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")"
    }
}

extension Diagnostic {
    /// The machine-readable form printed by `--format json`.
    public var json: JSON {
        func label(_ l: Label) -> JSON {
            .object([("file", .string(l.span.file)), ("line", .number(ExactDecimal(l.span.line))),
                     ("column", .number(ExactDecimal(l.span.column))), ("length", .number(ExactDecimal(l.span.length))),
                     ("label", .string(l.text))])
        }
        var pairs: [(String, JSON)] = [
            ("severity", .string(severity.rawValue)), ("code", .string(code)), ("message", .string(message)),
            ("file", .string(primary.span.file)), ("line", .number(ExactDecimal(primary.span.line))),
            ("column", .number(ExactDecimal(primary.span.column))),
            ("primary", label(primary)), ("secondary", .array(secondary.map(label))),
            ("notes", .array(notes.map { .string($0) })),
        ]
        pairs.append(("help", help.map { .string($0) } ?? .null))
        return .object(pairs)
    }
}
