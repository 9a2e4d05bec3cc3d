/// Bounds on hostile or accidental input. Every stage checks them before it does work that could
/// grow without limit, so a 10 MB expression or a thousand nested brackets yields a diagnostic
/// rather than a hang or a stack overflow.
public enum ExpressionLimits {
    /// Longest source text accepted, in Unicode scalars (what `Span` counts).
    public static let maxLength = 4096
    /// Deepest nesting accepted: brackets, prefix operators and the height of the syntax tree.
    public static let maxDepth = 64
}

/// The stable diagnostic codes of the expression layer; `docs/expressions.md` documents each.
enum Code {
    static let syntax = "E0501"
    static let unknownName = "E0502"
    static let unknownField = "E0503"
    static let typeMismatch = "E0504"
    static let unknownFunction = "E0505"
    static let badArguments = "E0506"
    static let tooComplex = "E0507"
    static let badCell = "E0508"
}
