import O2CCore
import O2CModel

/// A type error in an expression that reads a policy value may be the value's fault, not the
/// expression's: a policy value's type comes from how it is written, so an analyst who writes
/// `10.15 EUR` for a percent in rules/ gets errors at every use in workflows/ and none at the
/// line they changed. Each such error also points at the value (a secondary label in the rules
/// file), so the fix is found whichever side is wrong.
enum PolicyTypeHints {
    /// Codes of type errors: a mismatch (E0504) and a wrong function argument (E0506).
    static let codes: Set<String> = ["E0504", "E0506"]

    static func annotate(_ diagnostics: [Diagnostic], policy: [PolicyValue], sources: [String: String]) -> [Diagnostic] {
        let byName = Dictionary(policy.filter { $0.type != .any }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        guard !byName.isEmpty else { return diagnostics }
        var lines: [String: [Substring]] = [:]
        return diagnostics.map { d in
            guard codes.contains(d.code), let text = sources[d.primary.span.file] else { return d }
            let fileLines = lines[d.primary.span.file] ?? text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            lines[d.primary.span.file] = fileLines
            let n = d.primary.span.line - 1
            guard n >= 0, n < fileLines.count else { return d }
            // Only the values under the error's own labels: the operands it names, not every
            // policy value that happens to be on the line.
            let marked = ([d.primary] + d.secondary).map(\.span).filter { $0.file == d.primary.span.file && $0.line == d.primary.span.line }
            var out = d
            for (name, columns) in names(in: fileLines[n])
            where marked.contains(where: { $0.column < columns.upperBound && columns.lowerBound < $0.column + max($0.length, 1) }) {
                guard let p = byName[name], !out.secondary.contains(where: { $0.span == p.span }) else { continue }
                out.secondary.append(Label(p.span, "`policy.\(name)` is \(p.type), from its value here"))
                // The expression's own fix may be the wrong one: say which side to look at first.
                let was = out.help.map { "; if not, \($0)" } ?? ""
                out.help = "if `policy.\(name)` should not be \(p.type), fix its value in \(p.file)\(was)"
            }
            return out
        }
    }

    /// The names read as `policy.<name>` on a line, each with its 1-based columns (Unicode
    /// scalars, as spans count them).
    static func names(in line: Substring) -> [(name: String, columns: Range<Int>)] {
        let scalars = Array(line.unicodeScalars)
        let word = { (c: Unicode.Scalar) in c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" }
        let prefix = Array("policy.".unicodeScalars)
        var found: [(String, Range<Int>)] = []
        var i = 0
        while i + prefix.count <= scalars.count {
            guard Array(scalars[i..<i + prefix.count]) == prefix, i == 0 || !(word(scalars[i - 1]) || scalars[i - 1] == ".") else { i += 1; continue }
            var j = i + prefix.count
            while j < scalars.count, word(scalars[j]) { j += 1 }
            if j > i + prefix.count {
                found.append((String(String.UnicodeScalarView(scalars[(i + prefix.count)..<j])), (i + 1)..<(j + 1)))
            }
            i = j
        }
        return found
    }
}
