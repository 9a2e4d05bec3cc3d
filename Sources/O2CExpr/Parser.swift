import O2CCore

/// A Pratt parser: one function per nesting level instead of one per precedence level, so a
/// bracket costs three stack frames, and the depth is checked before every recursive call.
///
/// Binding powers, lowest first: `if` (prefix, greedy) < `or` 1 < `and` 2 < `not` (prefix, 3)
/// < comparisons and `in` 4 (non-associative) < `??` 5 (right) < `+ -` 6 < `* / %` 7
/// < unary `-` 8 < postfix `.f`, `[i]`, calls.
struct Parser {
    private let tokens: [Token]
    private let scalars: [Unicode.Scalar]
    private var p = 0

    static func parse(_ tokens: [Token], _ scalars: [Unicode.Scalar]) throws(SyntaxError) -> Syntax {
        var parser = Parser(tokens: tokens, scalars: scalars)
        guard !tokens[0].isEnd else {
            throw SyntaxError(message: "empty expression", start: 0, end: 0, label: "expected an expression here")
        }
        let e = try parser.expression(0, depth: 1)
        let t = parser.tokens[parser.p]
        guard t.isEnd else {
            var err = SyntaxError(message: "unexpected \(parser.describe(t))", start: t.start, end: t.end,
                                  label: "expected an operator or the end of the expression")
            err.help = parser.hint(for: t)
            throw err
        }
        return e
    }

    private init(tokens: [Token], scalars: [Unicode.Scalar]) {
        self.tokens = tokens
        self.scalars = scalars
    }

    // MARK: Pratt core

    private enum Infix {
        case binary(BinaryOp)
        case logical(isAnd: Bool)
        case coalesce

        var power: (left: Int, right: Int) {
            switch self {
            case .logical(let isAnd): isAnd ? (2, 3) : (1, 2)
            case .binary(let op) where op.isArithmetic: op == .add || op == .sub ? (6, 7) : (7, 8)
            case .binary: (4, 5)
            case .coalesce: (5, 5)
            }
        }
    }

    /// The infix operator at the cursor and how many tokens it spans (`not in` is two).
    private func infix() -> (Infix, Int)? {
        switch tokens[p].kind {
        case .keyword(.or): return (.logical(isAnd: false), 1)
        case .keyword(.and): return (.logical(isAnd: true), 1)
        case .keyword(.in): return (.binary(.in), 1)
        case .keyword(.not) where tokens[p + 1].isKeyword(.in): return (.binary(.notIn), 2)
        case .symbol(let s):
            switch s {
            case .plus: return (.binary(.add), 1)
            case .minus: return (.binary(.sub), 1)
            case .star: return (.binary(.mul), 1)
            case .slash: return (.binary(.div), 1)
            case .percent: return (.binary(.mod), 1)
            case .eq: return (.binary(.eq), 1)
            case .ne: return (.binary(.ne), 1)
            case .lt: return (.binary(.lt), 1)
            case .le: return (.binary(.le), 1)
            case .gt: return (.binary(.gt), 1)
            case .ge: return (.binary(.ge), 1)
            case .coalesce: return (.coalesce, 1)
            default: return nil
            }
        default: return nil
        }
    }

    private mutating func expression(_ minPower: Int, depth: Int) throws(SyntaxError) -> Syntax {
        try checkDepth(depth)
        var lhs = try prefix(depth)
        while let (op, width) = infix() {
            let (left, right) = op.power
            if left < minPower { break }
            let opToken = tokens[p], opEnd = tokens[p + width - 1].end
            p += width
            let rhs = try expression(right, depth: depth + 1)
            switch op {
            case .logical(let isAnd):
                if case .logical(let a, let items) = lhs.kind, a == isAnd {
                    lhs = Syntax(.logical(isAnd: isAnd, items + [rhs]), lhs.start, rhs.end, children: items + [rhs])
                } else {
                    lhs = Syntax(.logical(isAnd: isAnd, [lhs, rhs]), lhs.start, rhs.end, children: [lhs, rhs])
                }
            case .coalesce:
                lhs = Syntax(.coalesce(lhs, rhs, opStart: opToken.start), lhs.start, rhs.end, children: [lhs, rhs])
            case .binary(let b):
                lhs = Syntax(.binary(b, lhs, rhs, opStart: opToken.start, opEnd: opEnd), lhs.start, rhs.end, children: [lhs, rhs])
                if left == 4, let (next, _) = infix(), case .binary(let nb) = next, !nb.isArithmetic {
                    let t = tokens[p]
                    throw SyntaxError(message: "comparisons cannot be chained", start: t.start, end: tokens[p].end,
                                      label: "second comparison", help: "combine two comparisons with `and`, like `a < b and b < c`")
                }
            }
            try checkHeight(lhs)
        }
        if tokens[p].isSymbol(.assign) {
            let t = tokens[p]
            throw SyntaxError(message: "unexpected `=`", start: t.start, end: t.end, help: "use `==` to compare values")
        }
        return lhs
    }

    private func checkDepth(_ depth: Int) throws(SyntaxError) {
        guard depth <= ExpressionLimits.maxDepth else {
            let t = tokens[p]
            throw SyntaxError(code: Code.tooComplex, message: "expression is nested too deeply", start: t.start, end: t.end,
                              label: "more than \(ExpressionLimits.maxDepth) levels deep here",
                              help: "split it into simpler expressions or named decisions",
                              notes: ["the limit is \(ExpressionLimits.maxDepth) levels of nesting"])
        }
    }

    private func checkHeight(_ s: Syntax) throws(SyntaxError) {
        guard s.height <= ExpressionLimits.maxDepth else {
            throw SyntaxError(code: Code.tooComplex, message: "expression is nested too deeply", start: s.start, end: s.end,
                              label: "more than \(ExpressionLimits.maxDepth) levels deep",
                              help: "split it into simpler expressions or named decisions",
                              notes: ["the limit is \(ExpressionLimits.maxDepth) levels of nesting"])
        }
    }

    // MARK: Prefix forms and primaries

    private mutating func prefix(_ depth: Int) throws(SyntaxError) -> Syntax {
        let t = tokens[p]
        switch t.kind {
        case .symbol(.minus):
            p += 1
            let operand = try expression(8, depth: depth + 1)
            return try checked(Syntax(.negate(operand, opEnd: t.end), t.start, operand.end, children: [operand]))
        case .keyword(.not):
            p += 1
            let operand = try expression(3, depth: depth + 1)
            return try checked(Syntax(.not(operand, opEnd: t.end), t.start, operand.end, children: [operand]))
        case .keyword(.if):
            p += 1
            let c = try expression(0, depth: depth + 1)
            try expectKeyword(.then, after: t)
            let a = try expression(0, depth: depth + 1)
            try expectKeyword(.else, after: t)
            let b = try expression(0, depth: depth + 1)
            return try checked(Syntax(.condition(c, then: a, else: b), t.start, b.end, children: [c, a, b]))
        default:
            return try postfix(try primary(depth), depth)
        }
    }

    private mutating func primary(_ depth: Int) throws(SyntaxError) -> Syntax {
        let t = tokens[p]
        func literal(_ v: Value, _ type: ExprType) -> Syntax {
            p += 1
            return Syntax(.literal(v, type), t.start, t.end)
        }
        switch t.kind {
        case .number(let n, let isInteger): return literal(.number(n), isInteger ? .int : .decimal)
        case .money(let m): return literal(.money(m), .money)
        case .string(let s): return literal(.string(s), .string)
        case .date(let d): return literal(.date(d), .date)
        case .datetime(let d): return literal(.datetime(d), .datetime)
        case .duration(let d): return literal(.duration(d), .duration)
        case .keyword(.true): return literal(.bool(true), .bool)
        case .keyword(.false): return literal(.bool(false), .bool)
        case .keyword(.null): return literal(.null, .null)
        case .symbol(.question):
            p += 1
            return Syntax(.input, t.start, t.end)
        case .identifier(let name):
            p += 1
            guard tokens[p].isSymbol(.lparen) else { return Syntax(.name(name), t.start, t.end) }
            let open = tokens[p]
            p += 1
            let (args, end) = try sequence(closing: .rparen, open: open, depth: depth)
            return try checked(Syntax(.call(name, nameEnd: t.end, args), t.start, end, children: args))
        case .symbol(.lparen):
            p += 1
            var inner = try expression(0, depth: depth + 1)
            let close = try expect(.rparen, open: t)
            inner.start = t.start
            inner.end = close.end
            return inner
        case .symbol(.lbracket):
            p += 1
            let (items, end) = try sequence(closing: .rbracket, open: t, depth: depth)
            return try checked(Syntax(.list(items), t.start, end, children: items))
        case .symbol(.lbrace):
            p += 1
            return try object(open: t, depth: depth)
        default:
            var err = SyntaxError(message: "expected an expression, found \(describe(t))", start: t.start, end: t.end,
                                  label: "expected an expression")
            err.help = hint(for: t)
            throw err
        }
    }

    private mutating func postfix(_ base: Syntax, _ depth: Int) throws(SyntaxError) -> Syntax {
        var e = base
        while true {
            let t = tokens[p]
            if t.isSymbol(.dot) {
                p += 1
                let f = tokens[p]
                let field: String
                switch f.kind {
                case .identifier(let n): field = n
                case .keyword(let k): field = k.rawValue
                default:
                    throw SyntaxError(message: "expected a field name after `.`, found \(describe(f))", start: f.start, end: f.end,
                                      label: "expected a field name")
                }
                p += 1
                e = try checked(Syntax(.member(e, field: field, fieldStart: f.start), e.start, f.end, children: [e]))
            } else if t.isSymbol(.lbracket) {
                p += 1
                let index = try expression(0, depth: depth + 1)
                let close = try expect(.rbracket, open: t)
                e = try checked(Syntax(.index(e, index), e.start, close.end, children: [e, index]))
            } else {
                return e
            }
        }
    }

    /// Comma-separated expressions up to `closing`; a trailing comma is allowed.
    private mutating func sequence(closing: Symbol, open: Token, depth: Int) throws(SyntaxError) -> ([Syntax], Int) {
        var items: [Syntax] = []
        while !tokens[p].isSymbol(closing) {
            items.append(try expression(0, depth: depth + 1))
            if tokens[p].isSymbol(.comma) { p += 1 } else { break }
        }
        let close = try expect(closing, open: open)
        return (items, close.end)
    }

    private mutating func object(open: Token, depth: Int) throws(SyntaxError) -> Syntax {
        var pairs: [(key: String, value: Syntax)] = []
        var seen: [String: Int] = [:]
        while !tokens[p].isSymbol(.rbrace) {
            let k = tokens[p]
            let key: String
            switch k.kind {
            case .identifier(let n): key = n
            case .keyword(let kw): key = kw.rawValue
            case .string(let s): key = s
            default:
                throw SyntaxError(message: "expected a field name, found \(describe(k))", start: k.start, end: k.end,
                                  label: "expected a field name")
            }
            if let first = seen[key] {
                throw SyntaxError(message: "duplicate field `\(key)`", start: k.start, end: k.end, label: "duplicate",
                                  related: [.init(start: first, end: first + 1, label: "first written here")])
            }
            seen[key] = k.start
            p += 1
            let colon = tokens[p]
            guard colon.isSymbol(.colon) else {
                throw SyntaxError(message: "expected `:` after field `\(key)`, found \(describe(colon))",
                                  start: colon.start, end: colon.end, label: "expected `:`")
            }
            p += 1
            pairs.append((key, try expression(0, depth: depth + 1)))
            if tokens[p].isSymbol(.comma) { p += 1 } else { break }
        }
        let close = try expect(.rbrace, open: open)
        let children = pairs.map(\.value)
        return try checked(Syntax(.object(pairs), open.start, close.end, children: children))
    }

    // MARK: Helpers

    private func checked(_ s: Syntax) throws(SyntaxError) -> Syntax {
        try checkHeight(s)
        return s
    }

    private mutating func expect(_ s: Symbol, open: Token) throws(SyntaxError) -> Token {
        let t = tokens[p]
        guard t.isSymbol(s) else {
            var err = SyntaxError(message: "expected `\(s.rawValue)`, found \(describe(t))", start: t.start, end: t.end,
                                  label: "expected `\(s.rawValue)`",
                                  related: [.init(start: open.start, end: open.end, label: "to close this")])
            err.help = hint(for: t)
            throw err
        }
        p += 1
        return t
    }

    private mutating func expectKeyword(_ k: Keyword, after ifToken: Token) throws(SyntaxError) {
        let t = tokens[p]
        guard t.isKeyword(k) else {
            throw SyntaxError(message: "expected `\(k.rawValue)`, found \(describe(t))", start: t.start, end: t.end,
                              label: "expected `\(k.rawValue)`",
                              help: "write a conditional as `if condition then value else other`",
                              related: [.init(start: ifToken.start, end: ifToken.end, label: "this `if`")])
        }
        p += 1
    }

    /// How a token is named in a message: its text in backticks, or "end of input".
    private func describe(_ t: Token) -> String {
        if t.isEnd { return "end of input" }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars[t.start..<min(t.end, t.start + 40)])
        return "`\(String(v))`"
    }

    /// Help for habits from other languages.
    private func hint(for t: Token) -> String? {
        switch t.kind {
        case .symbol(.assign): return "use `==` to compare values"
        case .symbol(.dotdot): return "ranges are written `[low..high]`, with `(` or `)` for an open end"
        case .identifier(let w):
            if let k = Keyword(rawValue: w.lowercased()) { return "keywords are lowercase: write `\(k.rawValue)`" }
            if w == "EQ" || w == "NE" { return "use `==` or `!=` to compare values" }
            return nil
        default: return nil
        }
    }
}
