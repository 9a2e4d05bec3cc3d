import O2CCore

/// A DMN-style decision-table input cell ("unary tests"), compiled against its column's type.
///
/// Matching rules for a null input: it matches `-`, `null` and `!= x`; it never matches an
/// ordering comparison or a range; `not(...)` matches when none of its items match.
public struct UnaryTest: Sendable, Hashable {
    public let source: String
    public let span: Span
    public let kind: Kind

    public indirect enum Kind: Sendable, Hashable {
        /// `-` or an empty cell.
        case any
        /// `not(a, b)`: none of the items matches.
        case not([Atom])
        /// `a, b, c`: at least one item matches.
        case anyOf([Atom])
    }

    public enum Atom: Sendable, Hashable {
        /// A bare value: `"new"`, `new` in a string column, `5000`, `policy.x`. A list value
        /// (`policy.segments`) matches any of its elements.
        case equals(Expression)
        /// `< 5000`, `>= policy.limit`, `!= "x"`.
        case compare(ComparisonOp, Expression)
        /// `[1000..5000)`, `(0..10]`: brackets include the bound, parentheses exclude it.
        case range(low: Expression, lowInclusive: Bool, high: Expression, highInclusive: Bool)
        /// A boolean expression where `?` is the input: `? > limit * 2`.
        case predicate(Expression)
    }

    public enum ComparisonOp: String, Sendable, Hashable {
        case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "=", ne = "!="
    }

    /// The cell compiled to one closure, so matching copies no `Expression` values.
    private let matcher: Matcher

    init(source: String, span: Span, kind: Kind) {
        self.source = source
        self.span = span
        self.kind = kind
        matcher = CellMatcher.build(kind)
    }

    public func matches(_ value: Value, _ env: Environment) throws(EvalError) -> Bool {
        try matcher(value, env)
    }

    public static func == (a: UnaryTest, b: UnaryTest) -> Bool {
        a.source == b.source && a.span == b.span && a.kind == b.kind
    }

    public func hash(into h: inout Hasher) {
        h.combine(source)
        h.combine(span)
    }
}

extension UnaryTest.Atom {
    /// Whether this one item matches (cells use their precompiled matcher instead).
    public func matches(_ value: Value, _ env: Environment) throws(EvalError) -> Bool {
        switch self {
        case .equals(let e):
            let v = try e.valueOrConstant(env)
            if case .list(let items) = v, e.type.element != nil {
                if case .list = value { return value == v }
                return items.contains(value)
            }
            return value == v
        case .compare(let op, let e):
            let v = try e.valueOrConstant(env)
            switch op {
            case .eq: return value == v
            case .ne: return value != v
            default:
                if value.isNull { return false }
                let o = try Ops.compare(value, v, e.span)
                switch op {
                case .lt: return o < 0
                case .le: return o <= 0
                case .gt: return o > 0
                default: return o >= 0
                }
            }
        case .range(let low, let lowInclusive, let high, let highInclusive):
            if value.isNull { return false }
            let lo = try Ops.compare(value, try low.evaluate(env), low.span)
            guard lowInclusive ? lo >= 0 : lo > 0 else { return false }
            let hi = try Ops.compare(value, try high.evaluate(env), high.span)
            return highInclusive ? hi <= 0 : hi < 0
        case .predicate(let e):
            var inner = env
            inner.input = value
            return try Ops.bool(try e.evaluate(inner), e.span)
        }
    }
}

extension Expression {
    /// The constant without a closure call when there is one: most cells are constants.
    @inline(__always)
    func valueOrConstant(_ env: Environment) throws(EvalError) -> Value {
        if let c = constantValue { return c }
        return try run(env)
    }
}
