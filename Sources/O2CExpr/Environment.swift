import O2CCore

/// The values an expression reads when it runs, and the current time.
///
/// Time is an input, not a call to the system clock, so evaluation is pure and replays give the
/// same answers. The decision-table input `?` lives in its own slot so that testing a cell does
/// not copy the table.
public struct Environment: Sendable {
    public var now: Instant
    var table: NameTable
    var input: Value = .null

    public init(now: Instant, values: [String: Value] = [:]) {
        self.now = now
        table = NameTable(values)
    }

    /// The value bound to a name; `"?"` is the decision-table input value.
    ///
    /// `name == "?"` alone went through the standard library's slow comparison for every name
    /// that is not the literal's own bits (all of them: ≈400 k names bound per simulation of
    /// 500 orders, 27 instructions each); a one-byte name is the only one that can be `"?"`.
    public subscript(name: String) -> Value? {
        get { Environment.isInput(name) ? input : table[name] }
        set {
            if Environment.isInput(name) { input = newValue ?? .null } else { table[name] = newValue }
        }
    }

    @inline(__always)
    static func isInput(_ name: String) -> Bool { name.utf8.count == 1 && name == "?" }

    /// Makes room for `count` names in all before binding them one by one.
    public mutating func reserve(_ count: Int) { table.reserve(count) }

    /// All bound names and values (a copy, for printing and debugging).
    public var values: [String: Value] { table.dictionary }
}

/// A runtime failure: overflow, division by zero, mixed currencies, a missing value.
///
/// The span points at the smallest part of the expression that failed, so the engine can report
/// it like a compile-time diagnostic.
public struct EvalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var span: Span

    public init(message: String, span: Span) {
        self.message = message
        self.span = span
    }

    public var description: String { "\(span): \(message)" }
}
