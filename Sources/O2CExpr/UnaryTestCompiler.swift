import O2CCore

/// Compiles decision-table input cells.
///
/// The cell's structure (`-`, `not(...)`, items, ranges, leading comparison operators) is found
/// first by `CellScanner`; each value inside is then an ordinary expression compiled at its own
/// offset, so its diagnostics point into the cell.
extension UnaryTest {
    public static func compile(_ cell: String, at span: Span, inputType: ExprType,
                               scope: TypeScope) -> (UnaryTest?, [Diagnostic]) {
        if let tooLong = Expression.lengthDiagnostic(cell, at: span) { return (nil, [tooLong]) }
        let scalars = Array(cell.unicodeScalars)
        var c = CellCompiler(scanner: CellScanner(s: scalars), map: SourceMap(scalars, base: span),
                             inputType: inputType, scope: scope)
        let kind = c.compile()
        guard let kind, c.diagnostics.isEmpty else { return (nil, c.diagnostics) }
        return (UnaryTest(source: cell, span: span, kind: kind), [])
    }
}

private struct CellCompiler {
    let scanner: CellScanner
    let map: SourceMap
    let inputType: ExprType
    let scope: TypeScope
    var diagnostics: [Diagnostic] = []

    init(scanner: CellScanner, map: SourceMap, inputType: ExprType, scope: TypeScope) {
        self.scanner = scanner
        self.map = map
        self.inputType = inputType
        self.scope = scope
    }

    var s: [Unicode.Scalar] { scanner.s }

    mutating func fail(_ message: String, _ start: Int, _ end: Int, code: String = Code.badCell,
                       label: String = "", help: String? = nil) {
        diagnostics.append(.error(code, message, at: map.span(start, end), label: label, help: help))
    }

    mutating func compile() -> UnaryTest.Kind? {
        let (a, b) = scanner.trim(0, s.count)
        if a == b || (b == a + 1 && s[a] == "-") { return .any }
        // `not(...)` around the whole cell.
        if b - a >= 4, scanner.text(a, a + 3) == "not", !isIdentChar(s[a + 3]) {
            var open = a + 3
            while open < b, isSpace(s[open]) { open += 1 }
            if open < b, s[open] == "(", scanner.closing(open, b) == b - 1 {
                let (ia, ib) = scanner.trim(open + 1, b - 1)
                guard ia < ib else {
                    fail("`not(...)` needs at least one item", a, b, label: "empty", help: "write the values to exclude, like `not(1, 2)`")
                    return nil
                }
                return atoms(ia, ib).map { .not($0) }
            }
        }
        return atoms(a, b).map { .anyOf($0) }
    }

    mutating func atoms(_ start: Int, _ end: Int) -> [UnaryTest.Atom]? {
        var out: [UnaryTest.Atom] = []
        var ok = true
        for (a, b) in scanner.items(start, end) {
            if let atom = atom(a, b) { out.append(atom) } else { ok = false }
        }
        return ok ? out : nil
    }

    private static let operators: [(String, UnaryTest.ComparisonOp)] = [
        ("<=", .le), (">=", .ge), ("!=", .ne), ("==", .eq), ("<", .lt), (">", .gt), ("=", .eq),
    ]

    mutating func atom(_ a: Int, _ b: Int) -> UnaryTest.Atom? {
        guard a < b else {
            fail("empty item in decision-table cell", a, a, label: "nothing here", help: "remove the extra comma")
            return nil
        }
        let isText = inputType.unwrapped == .string
        if isText, scanner.isBareWord(a, b) { return .equals(literal(.string(scanner.text(a, b)), a, b)) }
        if s[a] == "[" || s[a] == "(", s[b - 1] == "]" || s[b - 1] == ")", let dots = scanner.rangeDots(a, b) {
            return range(a, b, dots)
        }
        for (symbol, op) in Self.operators where scanner.text(a, min(b, a + symbol.count)) == symbol {
            let (ea, eb) = scanner.trim(a + symbol.count, b)
            guard ea < eb else {
                fail("`\(symbol)` needs a value after it", a, b, label: "missing value", help: "write a value, like `\(symbol) 5000`")
                return nil
            }
            let e = isText && scanner.isBareWord(ea, eb) ? literal(.string(scanner.text(ea, eb)), ea, eb) : expression(ea, eb)
            guard let e, check(e, ordering: op != .eq && op != .ne, a, b) else { return nil }
            return .compare(op, e)
        }
        if mentionsInput(a, b) {
            guard let e = expression(a, b, input: true, expecting: .bool) else { return nil }
            return .predicate(e)
        }
        guard let e = expression(a, b) else { return nil }
        // A list value in a scalar column (`policy.allowed_segments`) matches any of its elements.
        if let element = e.type.element, inputType.unwrapped.element == nil, ExprType.comparable(inputType, element) {
            return .equals(e)
        }
        guard check(e, ordering: false, a, b) else { return nil }
        return .equals(e)
    }

    mutating func range(_ a: Int, _ b: Int, _ dots: Int) -> UnaryTest.Atom? {
        let (la, lb) = scanner.trim(a + 1, dots), (ha, hb) = scanner.trim(dots + 2, b - 1)
        guard la < lb, ha < hb else {
            fail("range needs a low and a high bound", a, b, label: "incomplete range", help: "write it like `[1000..5000)`")
            return nil
        }
        let low = expression(la, lb), high = expression(ha, hb)
        guard let low, let high else { return nil }
        guard check(low, ordering: true, la, lb), check(high, ordering: true, ha, hb) else { return nil }
        return .range(low: low, lowInclusive: s[a] == "[", high: high, highInclusive: s[b - 1] == "]")
    }

    /// Whether the item uses `?` (lexing can fail here; then it is not a predicate and the
    /// ordinary compile reports the lexing error).
    func mentionsInput(_ a: Int, _ b: Int) -> Bool {
        guard let tokens = try? Lexer.tokenize(Array(s[a..<b])) else { return false }
        return tokens.contains { $0.isSymbol(.question) }
    }

    func literal(_ v: Value, _ a: Int, _ b: Int) -> Expression {
        Expression(source: scanner.text(a, b), span: map.span(a, b), type: .string, references: [], constantValue: v,
                   run: Compiler.constant(v))
    }

    mutating func expression(_ a: Int, _ b: Int, input: Bool = false, expecting: ExprType? = nil) -> Expression? {
        let (e, d) = Expression.compile(scanner.text(a, b), at: map.span(a, b),
                                        scope: input ? scope.adding("?", inputType) : scope, expecting: expecting)
        diagnostics += d
        return e
    }

    /// Whether a value may be compared with the column's input (`ordering`: with `<` or a range).
    mutating func check(_ e: Expression, ordering: Bool, _ a: Int, _ b: Int) -> Bool {
        let input = inputType
        if ordering {
            guard input.unwrapped.isOrderable else {
                fail("cannot order input of type `\(input)`", a, b, code: Code.typeMismatch, label: "needs an ordered input",
                     help: input.unwrapped == .bool ? "test a bool column with `true`, `false` or `-`" : nil)
                return false
            }
            if e.type.isNullable {
                fail("bound `\(e.source)` may be null", a, b, code: Code.typeMismatch, label: "has type `\(e.type)`",
                     help: "use `\(e.source) ?? default`")
                return false
            }
        }
        let fits = ordering ? ExprType.orderable(input.unwrapped, e.type) : ExprType.comparable(input, e.type)
        guard fits else {
            var help = TypeHelp.mismatch(input, e.type) { k in
                guard k == 1, let v = e.constantValue else { return nil }
                return (v, e.source)
            }
            if help == nil, e.type == .bool, input.unwrapped != .bool {
                help = "write a condition on the input with `?`, like `? > 5000`"
            }
            fail("cannot compare input of type `\(input)` with `\(e.type)`", a, b, code: Code.typeMismatch,
                 label: "this is `\(e.type)`", help: help)
            return false
        }
        return true
    }
}
