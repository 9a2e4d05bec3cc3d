/// A problem found in a user's file or input, shaped after rustc and miette.
///
/// The message states the problem without a fix; `help` carries the fix. Codes are stable so
/// that docs, tests and users can search for them (`docs/diagnostics.md` lists every one).
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning, note
        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    /// Stable code such as `E0201`.
    public var code: String
    /// One lowercase line naming the thing in backticks, with no fix in it.
    public var message: String
    /// Where the problem is, with a short label under the underlined span.
    public var primary: Label
    /// Related places ("first declared here").
    public var secondary: [Label]
    /// Facts worth knowing (the valid names, the limit that was hit).
    public var notes: [String]
    /// The likely fix ("did you mean `reminded`?").
    public var help: String?

    public init(_ severity: Severity, _ code: String, _ message: String, at primary: Label,
                secondary: [Label] = [], notes: [String] = [], help: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.primary = primary
        self.secondary = secondary
        self.notes = notes
        self.help = help
    }

    public static func error(_ code: String, _ message: String, at span: Span, label: String = "",
                             notes: [String] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(.error, code, message, at: Label(span, label), notes: notes, help: help)
    }

    public static func warning(_ code: String, _ message: String, at span: Span, label: String = "",
                               notes: [String] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(.warning, code, message, at: Label(span, label), notes: notes, help: help)
    }
}

/// A region of one source file: 1-based line and column (in Unicode scalars), and a length.
public struct Span: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var length: Int

    public init(file: String, line: Int, column: Int, length: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
        self.length = max(1, length)
    }

    /// A place with no file, for input that did not come from one (a `--data` argument).
    public static func unknown(_ name: String = "<input>") -> Span { Span(file: name, line: 1, column: 1) }

    /// The span `offset` scalars further along the same line (for a token inside a scalar).
    public func shifted(by offset: Int, length: Int) -> Span {
        Span(file: file, line: line, column: column + offset, length: length)
    }

    public static func < (a: Span, b: Span) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A span with a short explanation shown under it.
public struct Label: Sendable, Hashable {
    public var span: Span
    public var text: String
    public init(_ span: Span, _ text: String = "") {
        self.span = span
        self.text = text
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { count(where: { $0.severity == .error }) }
    public var warningCount: Int { count(where: { $0.severity == .warning }) }

    /// Sorted by file, line, column, code; exact duplicates dropped ("one message per error").
    public var normalized: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return filter { seen.insert($0).inserted }
            .sorted { ($0.primary.span, $0.code, $0.message) < ($1.primary.span, $1.code, $1.message) }
    }
}

/// Anything that can be reported as one diagnostic (runtime errors use the same codes and shape).
public protocol DiagnosticConvertible: Error {
    var diagnostic: Diagnostic { get }
}

/// A diagnostic can be thrown where a single problem ends the work (reading one file).
extension Diagnostic: Error {}
