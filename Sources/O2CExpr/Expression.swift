import O2CCore

/// A parsed, type-checked, compiled expression: immutable, `Sendable`, cheap to evaluate often.
///
/// Compilation does all the name, type and function resolution once; `evaluate` only runs a tree
/// of closures. Equality and hashing use the text, where it was written and its type, which is
/// what identifies an expression in a model.
///
/// Its parts live in one immutable object: the engine copies expressions as it walks a workflow
/// (an action's `(name, expression)` pairs, a state's transitions), and each copy of six stored
/// parts retained and released five references.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    private final class Parts: Sendable {
        let source: String
        let span: Span
        let type: ExprType
        let references: [String]
        let constantValue: Value?
        let run: Eval

        init(source: String, span: Span, type: ExprType, references: [String], constantValue: Value?, run: @escaping Eval) {
            self.source = source
            self.span = span
            self.type = type
            self.references = references
            self.constantValue = constantValue
            self.run = run
        }
    }

    private let parts: Parts

    /// The text as written.
    public var source: String { parts.source }
    /// Where the text starts in its file.
    public var span: Span { parts.span }
    /// The static type.
    public var type: ExprType { parts.type }
    /// Dotted paths read by the expression, in order of first use, as far as statically known.
    public var references: [String] { parts.references }
    /// The value, when the expression is a constant (`5000 EUR`, `2 * 7d`).
    public var constantValue: Value? { parts.constantValue }
    var run: Eval { parts.run }

    init(source: String, span: Span, type: ExprType, references: [String], constantValue: Value?, run: @escaping Eval) {
        parts = Parts(source: source, span: span, type: type, references: references, constantValue: constantValue, run: run)
    }

    public static func == (a: Expression, b: Expression) -> Bool {
        a.source == b.source && a.span == b.span && a.type == b.type
    }

    public func hash(into h: inout Hasher) {
        h.combine(source)
        h.combine(span)
    }

    public var description: String { source }

    /// Pure and deterministic: the current time comes from `env.now`.
    @inline(__always)
    public func evaluate(_ env: Environment) throws(EvalError) -> Value { try parts.run(env) }

    /// A constant expression, for defaults and synthesized values.
    public static func constant(_ value: Value, type: ExprType, at span: Span) -> Expression {
        Expression(source: value.description, span: span, type: type, references: [], constantValue: value,
                   run: Compiler.constant(value))
    }

    /// Parses, type-checks and compiles. Never throws, crashes or hangs: every problem is a diagnostic.
    /// With `expecting`, the result type must be assignable to it.
    public static func compile(_ source: String, at span: Span, scope: TypeScope,
                               expecting: ExprType? = nil) -> (Expression?, [Diagnostic]) {
        if let tooLong = lengthDiagnostic(source, at: span) { return (nil, [tooLong]) }
        let scalars = Array(source.unicodeScalars)
        let map = SourceMap(scalars, base: span)
        let tree: Syntax
        do throws(SyntaxError) {
            tree = try Parser.parse(try Lexer.tokenize(scalars), scalars)
        } catch {
            return (nil, [error.diagnostic(map)])
        }
        let checker = Checker(scope: scope, map: map, scalars: scalars)
        guard let c = checker.check(tree), checker.diagnostics.isEmpty else { return (nil, checker.diagnostics) }
        if let expecting, !c.type.isAssignable(to: expecting) {
            return (nil, [expectedDiagnostic(c, expecting, checker)])
        }
        return (Expression(source: source, span: span, type: c.type, references: checker.references,
                           constantValue: c.constant, run: c.eval), [])
    }

    /// E0507 for text over the limit, counted without copying it.
    static func lengthDiagnostic(_ source: String, at span: Span) -> Diagnostic? {
        var n = 0
        for _ in source.unicodeScalars {
            n += 1
            if n > ExpressionLimits.maxLength {
                return .error(Code.tooComplex, "expression is too long", at: Span(file: span.file, line: span.line, column: span.column, length: 1),
                              label: "this expression", notes: ["the limit is \(ExpressionLimits.maxLength) characters"],
                              help: "split it into named decisions or shorter expressions")
            }
        }
        return nil
    }

    private static func expectedDiagnostic(_ c: Checked, _ expecting: ExprType, _ checker: Checker) -> Diagnostic {
        var help: String?
        if c.type.isNullable, c.type.unwrapped.isAssignable(to: expecting) {
            help = "use `\(checker.quote(c) ?? "x") ?? default`"
        } else {
            help = TypeHelp.mismatch(c.type, expecting) { k in
                guard k == 0, let v = c.constant else { return nil }
                return (v, checker.quote(c) ?? v.description)
            }
        }
        return .error(Code.typeMismatch, "expected `\(expecting)`, found `\(c.type)`", at: checker.span(c),
                      label: "this is `\(c.type)`", help: help)
    }
}
