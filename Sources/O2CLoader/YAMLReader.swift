import O2CCore
import O2CModel
import Yams

/// Parses YAML text into `YAMLNode` documents, turning every failure into a located diagnostic.
///
/// Hostile input is bounded before libyaml sees it or while converting: file size, nesting depth
/// and the number of nodes an alias may expand to ("billion laughs") are all capped.
public enum YAMLReader {
    public static let maxFileBytes = 1 << 20
    public static let maxDepth = 64
    public static let maxNodes = 200_000

    public static func documents(_ text: String, file: String) -> ([YAMLNode], [Diagnostic]) {
        let here = Span(file: file, line: 1, column: 1)
        if text.utf8.count > maxFileBytes {
            return ([], [.error("E0002", "file is larger than \(maxFileBytes / 1024) KiB", at: here,
                                help: "split the definitions over several files")])
        }
        if let d = deepNesting(text, file: file) { return ([], [d]) }
        var converter = Converter(file: file, source: text)
        var docs: [YAMLNode] = []
        do {
            // The basic resolver: the loader reads each scalar's text and style and types it
            // itself, so Yams' default tag resolution (up to seven regular expressions per
            // scalar, run again when duplicate keys are checked) was a third of `o2c validate`.
            var sequence = try Yams.compose_all(yaml: text, .basic)
            while let node = sequence.next() {
                docs.append(try converter.convert(node, depth: 0))
            }
            if let error = sequence.error { throw error }
        } catch let limit as Converter.Limit {
            return ([], [limit.diagnostic])
        } catch let error as YamlError {
            return ([], [diagnostic(for: error, file: file, source: text)])
        } catch {
            return ([], [.error("E0001", "cannot read YAML: \(error)", at: here)])
        }
        return (docs, [])
    }

    /// Flow collections (`[[[[…`) and very deep indentation would recurse deeply inside libyaml and
    /// Yams; reject them before parsing.
    private static func deepNesting(_ text: String, file: String) -> Diagnostic? {
        var depth = 0, line = 1, column = 0
        var quote: UInt8? = nil
        var lineStart = true, indent = 0
        for b in text.utf8 {
            column += 1
            if b == 10 { line += 1; column = 0; lineStart = true; indent = 0; quote = nil; continue }
            if lineStart {
                if b == 32 { indent += 1; if indent > maxDepth * 4 { return tooDeep(file, line, column) }; continue }
                lineStart = false
            }
            if let q = quote { if b == q { quote = nil }; continue }
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = b
            case UInt8(ascii: "#"): quote = 10 // a comment runs to the end of the line
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth { return tooDeep(file, line, column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    private static func tooDeep(_ file: String, _ line: Int, _ column: Int) -> Diagnostic {
        .error("E0003", "YAML is nested deeper than \(maxDepth) levels", at: Span(file: file, line: line, column: column),
               help: "flatten the structure; workflow files never need this depth")
    }

    static func diagnostic(for error: YamlError, file: String, source: String) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            if character(atLine: mark.line, column: mark.column, in: source) == "\t" {
                // libyaml's words for it ("cannot start any token") do not say what is wrong.
                return .error("E0001", "invalid YAML: a tab character; YAML indents with spaces only",
                              at: Span(file: file, line: mark.line, column: mark.column),
                              help: "replace the tab with spaces (the same number as the lines around it)")
            }
            return .error("E0001", "invalid YAML: \(problem)", at: Span(file: file, line: mark.line, column: mark.column),
                          help: yamlHelp(problem))
        case .reader(let problem, let offset, _, _):
            let (line, column) = position(ofByte: offset ?? 0, in: source)
            return .error("E0005", "file is not valid UTF-8 text: \(problem)", at: Span(file: file, line: line, column: column),
                          help: "save the file as UTF-8")
        case .duplicatedKeysInMapping(let keys, let context):
            let key = keys.first ?? "?"
            let first = Span(file: file, line: context.mark.line, column: context.mark.column, length: key.count)
            let second = secondOccurrence(of: key, after: first, in: source) ?? first
            return Diagnostic(.error, "E0103", "duplicate key `\(key)`", at: Label(second, "declared again here"),
                              secondary: second == first ? [] : [Label(first, "first declared here")],
                              notes: ["state, event, variable and policy names must be unique within their mapping"],
                              help: "rename or remove one of them")
        default:
            return .error("E0001", "invalid YAML: \(error)", at: Span(file: file, line: 1, column: 1))
        }
    }

    /// The character at a 1-based line and column (columns count Unicode scalars, as libyaml's).
    static func character(atLine line: Int, column: Int, in source: String) -> Character? {
        var n = 0
        for text in source.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            guard n == line else { continue }
            let scalars = Array(text.unicodeScalars)
            return column >= 1 && column <= scalars.count ? Character(scalars[column - 1]) : nil
        }
        return nil
    }

    private static func yamlHelp(_ problem: String) -> String? {
        if problem.contains("mapping values are not allowed") {
            return "a value containing `: ` must be quoted, e.g. `when: \"a > b\"`"
        }
        if problem.contains("tab") { return "indent with spaces, not tabs" }
        if problem.contains("did not find expected key") { return "check the indentation of this line against the lines above" }
        if problem.contains("undefined alias") { return "define the anchor (`&name`) before using the alias (`*name`)" }
        return nil
    }

    /// Yams reports a duplicate key at its first occurrence; find the repeat at the same column.
    private static func secondOccurrence(of key: String, after first: Span, in source: String) -> Span? {
        var lineNumber = 0
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            guard lineNumber > first.line else { continue }
            let scalars = Array(line.unicodeScalars)
            guard scalars.count >= first.column - 1 + key.count else { continue }
            let leading = scalars.prefix(first.column - 1)
            if leading.allSatisfy({ $0 == " " || $0 == "-" }) {
                let rest = String(String.UnicodeScalarView(scalars.dropFirst(first.column - 1)))
                if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                    return Span(file: first.file, line: lineNumber, column: first.column, length: key.count)
                }
            }
            if let firstNonSpace = scalars.firstIndex(where: { $0 != " " }), firstNonSpace < first.column - 1 {
                if scalars[firstNonSpace] != "#" { return nil } // left the mapping
            }
        }
        return nil
    }

    static func position(ofByte offset: Int, in source: String) -> (Int, Int) {
        var line = 1, column = 1, i = 0
        for b in source.utf8 {
            if i >= offset { break }
            if b == 10 { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }
}

/// Converts Yams nodes, counting every node so that aliases cannot multiply the work without bound.
private struct Converter {
    struct Limit: Error { var diagnostic: Diagnostic }

    let file: String
    let lines: [Substring]
    var visited = 0

    init(file: String, source: String) {
        self.file = file
        // By UTF-8 byte: splitting by Character walks grapheme clusters (50 M instructions for the shipped library).
        lines = source.utf8.split(separator: 10, omittingEmptySubsequences: false).map { Substring($0) }
    }

    mutating func convert(_ node: Node, depth: Int) throws(Limit) -> YAMLNode {
        visited += 1
        let mark = node.mark.map { Span(file: file, line: $0.line, column: $0.column) } ?? Span(file: file, line: 1, column: 1)
        if visited > YAMLReader.maxNodes {
            throw Limit(diagnostic: .error("E0004", "YAML expands to more than \(YAMLReader.maxNodes) nodes", at: mark,
                                           notes: ["aliases (`*name`) that repeat anchors can multiply a small file into a huge one"],
                                           help: "remove the repeated aliases"))
        }
        if depth > YAMLReader.maxDepth {
            throw Limit(diagnostic: .error("E0003", "YAML is nested deeper than \(YAMLReader.maxDepth) levels", at: mark,
                                           help: "flatten the structure; workflow files never need this depth"))
        }
        switch node {
        case .scalar(let s):
            return .scalar(scalar(s.string, style: s.style, mark: mark))
        case .mapping(let m):
            var pairs: [(key: YAMLScalar, value: YAMLNode)] = []
            for (k, v) in m {
                let keyNode = try convert(k, depth: depth + 1)
                let key: YAMLScalar
                if case .scalar(let s) = keyNode { key = s } else { key = YAMLScalar(text: "<complex key>", span: keyNode.span, style: .plain) }
                pairs.append((key, try convert(v, depth: depth + 1)))
            }
            return .mapping(pairs, mark)
        case .sequence(let s):
            var items: [YAMLNode] = []
            for item in s { items.append(try convert(item, depth: depth + 1)) }
            return .sequence(items, mark)
        case .alias:
            throw Limit(diagnostic: .error("E0004", "unresolved YAML alias", at: mark))
        }
    }

    /// Moves the span from the quote or block indicator to the first character of the text.
    func scalar(_ text: String, style: Node.Scalar.Style, mark: Span) -> YAMLScalar {
        let firstLine = text.prefix { $0 != "\n" }
        switch style {
        case .singleQuoted:
            return YAMLScalar(text: text, span: mark.shifted(by: 1, length: firstLine.count), style: .singleQuoted)
        case .doubleQuoted:
            return YAMLScalar(text: text, span: mark.shifted(by: 1, length: firstLine.count), style: .doubleQuoted)
        case .literal, .folded:
            var line = mark.line + 1
            while line - 1 < lines.count, lines[line - 1].allSatisfy({ $0 == " " }) { line += 1 }
            let indent = line - 1 < lines.count ? lines[line - 1].prefix { $0 == " " }.count : 0
            return YAMLScalar(text: text, span: Span(file: file, line: line, column: indent + 1, length: firstLine.count),
                              style: style == .literal ? .literal : .folded)
        default:
            return YAMLScalar(text: text, span: Span(file: file, line: mark.line, column: mark.column, length: max(1, firstLine.count)),
                              style: .plain)
        }
    }
}
