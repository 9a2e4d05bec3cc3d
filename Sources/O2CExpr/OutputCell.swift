import O2CCore

/// Decision-table output cells.
///
/// Analysts fill text outputs with plain text (`Manual review`), so for string outputs the cell is
/// literal text unless it starts with `=`; a cell that is exactly one quoted string loses its
/// quotes. Every other output type is an expression.
extension Expression {
    public static func compileOutputCell(_ cell: String, at span: Span, outputType: ExprType,
                                         scope: TypeScope) -> (Expression?, [Diagnostic]) {
        if let tooLong = lengthDiagnostic(cell, at: span) { return (nil, [tooLong]) }
        let scalars = Array(cell.unicodeScalars)
        let scanner = CellScanner(s: scalars), map = SourceMap(scalars, base: span)
        let (a, b) = scanner.trim(0, scalars.count)
        let text = scanner.text(a, b)
        func constant(_ v: Value) -> Expression {
            Expression(source: text, span: map.span(a, b), type: v.isNull ? outputType : .string, references: [],
                       constantValue: v, run: Compiler.constant(v))
        }
        if outputType.unwrapped == .string {
            if a < b, scalars[a] == "=" {
                let (ea, eb) = scanner.trim(a + 1, b)
                return compile(scanner.text(ea, eb), at: map.span(ea, max(eb, ea + 1)), scope: scope, expecting: outputType)
            }
            if a == b { return (constant(outputType.isOptional ? .null : .string("")), []) }
            if scalars[a] == "\"" || scalars[a] == "'",
               let tokens = try? Lexer.tokenize(Array(scalars[a..<b])), tokens.count == 2, case .string(let s) = tokens[0].kind {
                return (constant(.string(s)), [])
            }
            return (constant(.string(text)), [])
        }
        if a == b || text == "-" {
            if outputType.isOptional { return (constant(.null), []) }
            return (nil, [.error(Code.badCell, "empty output cell", at: map.span(a, b), label: "needs a value",
                                 help: "write a value of type `\(outputType)`")])
        }
        return compile(text, at: map.span(a, b), scope: scope, expecting: outputType)
    }
}
