import O2CCore

/// A type-checked, compiled node.
struct Checked {
    var type: ExprType
    var eval: Eval
    /// The value, when it is known at compile time (literals and folded constant subtrees).
    var constant: Value?
    var start: Int
    var end: Int
    /// Set while the node is a plain dotted path, so that `a.b.c` compiles to one closure:
    /// its names, whether each part is declared optional, and the span up to each part.
    var path: (root: String, fields: [String], nullable: [Bool], spans: [Span])?
    /// The dotted name the node reads, for `Expression.references`.
    var reference: String?
    /// On `currency(m)`: `m`, so that `money(x, currency(m))` takes `m`'s currency as it is
    /// instead of parsing its code again (`Functions.money`).
    var currencyOf: Eval?

    init(_ type: ExprType, _ eval: @escaping Eval, _ start: Int, _ end: Int, constant: Value? = nil) {
        self.type = type
        self.eval = eval
        self.start = start
        self.end = end
        self.constant = constant
    }
}

/// Type-checks a syntax tree and compiles it in the same walk.
///
/// Each problem becomes one diagnostic on the smallest span that shows it; a node with an error
/// returns `nil` and its parents stay silent, so one mistake never produces a cascade, while
/// independent mistakes in sibling subtrees are all reported.
final class Checker {
    let scope: TypeScope
    let map: SourceMap
    let scalars: [Unicode.Scalar]
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var references: [String] = []
    private var seen: Set<String> = []

    /// Constant folding runs operators on constants; none of them reads the clock.
    static let foldEnvironment = Environment(now: Instant(secondsSinceEpoch: 0))

    init(scope: TypeScope, map: SourceMap, scalars: [Unicode.Scalar]) {
        self.scope = scope
        self.map = map
        self.scalars = scalars
    }

    // MARK: Reporting

    func span(_ start: Int, _ end: Int) -> Span { map.span(start, end) }
    func span(_ c: Checked) -> Span { map.span(c.start, c.end) }
    func span(_ s: Syntax) -> Span { map.span(s.start, s.end) }

    func text(_ start: Int, _ end: Int) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars[start..<end])
        return String(v)
    }

    /// A node's source, when short enough to quote in a message or help.
    func quote(_ c: Checked) -> String? {
        let t = text(c.start, c.end)
        return t.unicodeScalars.count <= 40 && !t.contains("\n") ? t : nil
    }

    func error(_ code: String, _ message: String, _ start: Int, _ end: Int, label: String = "", help: String? = nil,
               notes: [String] = [], related: [(Int, Int, String)] = []) {
        diagnostics.append(Diagnostic(.error, code, message, at: Label(span(start, end), label),
                                      secondary: related.map { Label(span($0.0, $0.1), $0.2) }, notes: notes, help: help))
    }

    /// "operand of `+` may be null", with the `??` fix.
    func nullable(_ what: String, _ c: Checked) {
        if c.type == .null {
            error(Code.typeMismatch, "\(what) is `null`", c.start, c.end, label: "null")
            return
        }
        let subject = quote(c) ?? "x"
        error(Code.typeMismatch, "\(what) may be null", c.start, c.end, label: "has type `\(c.type)`",
              help: "use `\(subject) ?? default`")
    }

    /// "did you mean …?" for a word, skipped for absurdly long words: edit distance is quadratic.
    func didYouMean(_ word: String, in candidates: [String]) -> String? {
        guard word.utf8.count <= 64 else { return nil }
        return Suggest.didYouMean(word, in: candidates.filter { $0 != "?" })
    }

    /// The mismatch help for two nodes, using their constants and source text.
    func mismatchHelp(_ a: Checked, _ b: Checked) -> String? {
        let nodes = [a, b]
        return TypeHelp.mismatch(a.type, b.type) { k in
            guard let v = nodes[k].constant else { return nil }
            return (v, self.quote(nodes[k]) ?? v.description)
        }
    }

    // MARK: Walking

    func check(_ s: Syntax) -> Checked? {
        guard let c = checkNode(s) else { return nil }
        if let r = c.reference, seen.insert(r).inserted { references.append(r) }
        return c
    }

    /// Like `check` but leaves the reference unrecorded: a member access records the longer path.
    func checkNode(_ s: Syntax) -> Checked? {
        switch s.kind {
        case .literal(let v, let t):
            return Checked(t, Compiler.constant(v), s.start, s.end, constant: v)
        case .name(let n):
            return name(n, s)
        case .input:
            guard let t = scope["?"] else {
                error(Code.unknownName, "`?` is only allowed in decision-table input cells", s.start, s.end,
                      label: "no input value here")
                return nil
            }
            return Checked(t, Compiler.input(nullable: t.isOptional, span: span(s)), s.start, s.end)
        case .member(let base, let field, let fieldStart):
            return member(base, field, fieldStart, s)
        case .index(let base, let index):
            return self.index(base, index, s)
        case .call(let n, let nameEnd, let args):
            return call(n, nameEnd, args, s)
        case .negate(let x, let opEnd):
            return negate(x, opEnd, s)
        case .not(let x, _):
            guard let c = check(x), requireBool(c, "operand of `not`") else { return nil }
            return make(.bool, Compiler.not(c.eval, span: span(c)), s, from: [c])
        case .binary(let op, let a, let b, let opStart, let opEnd):
            return binary(op, a, b, opStart, opEnd, s)
        case .logical(let isAnd, let items):
            return logical(isAnd, items, s)
        case .coalesce(let a, let b, let opStart):
            return coalesce(a, b, opStart, s)
        case .condition(let c, let a, let b):
            return condition(c, a, b, s)
        case .list(let items):
            return list(items, s)
        case .object(let pairs):
            return object(pairs, s)
        }
    }

    /// A node from its inputs; folded to a constant when all inputs are constants and the
    /// operation is pure and succeeds (a failing one is left to fail at run time, with its span).
    func make(_ type: ExprType, _ eval: @escaping Eval, _ s: Syntax, from inputs: [Checked], pure: Bool = true) -> Checked {
        var c = Checked(type, eval, s.start, s.end)
        if pure, inputs.allSatisfy({ $0.constant != nil }), let v = try? eval(Checker.foldEnvironment) {
            c.constant = v
            c.eval = Compiler.constant(v)
        }
        return c
    }

    // MARK: Names and fields

    private func name(_ n: String, _ s: Syntax) -> Checked? {
        guard let t = scope[n] else {
            var help = didYouMean(n, in: scope.names)
            if help == nil, Functions.spec(n) != nil { help = "`\(n)` is a function: call it as `\(n)(...)`" }
            let names = scope.names.filter { $0 != "?" }
            error(Code.unknownName, "unknown name `\(n)`", s.start, s.end, label: "not found in scope", help: help,
                  notes: names.isEmpty ? [] : ["names in scope: \(Suggest.list(names))"])
            return nil
        }
        let sp = span(s)
        var c = Checked(t, Compiler.path(n, [], nullable: [t.isOptional], spans: [sp]), s.start, s.end)
        c.path = (n, [], [t.isOptional], [sp])
        c.reference = n
        return c
    }

    private func member(_ baseSyntax: Syntax, _ field: String, _ fieldStart: Int, _ s: Syntax) -> Checked? {
        guard let base = checkNode(baseSyntax) else { return nil }
        let subject = quote(base).map { "`\($0)`" } ?? "this value"
        let reference = base.reference.map { "\($0).\(field)" }
        let sp = span(s)
        var result: Checked
        switch base.type.unwrapped {
        case .any:
            result = Checked(.any, Compiler.member(base.eval, field, baseNullable: true, fieldNullable: true, span: sp),
                             s.start, s.end)
            if let p = base.path {
                result.path = (p.root, p.fields + [field], p.nullable + [true], p.spans + [sp])
                result.eval = Compiler.path(p.root, p.fields + [field], nullable: p.nullable + [true], spans: p.spans + [sp])
            }
        case .object(let o):
            guard let ft = o[field] else {
                error(Code.unknownField, "\(subject) has no field `\(field)`", fieldStart, s.end, label: "unknown field",
                      help: didYouMean(field, in: o.names),
                      notes: o.fields.isEmpty ? [] : ["\(subject) has fields: \(Suggest.list(o.names))"])
                return nil
            }
            let t = base.type.isNullable ? ft.optionalized : ft
            result = Checked(t, Compiler.member(base.eval, field, baseNullable: base.type.isOptional, fieldNullable: ft.isOptional,
                                                span: sp), s.start, s.end)
            if let p = base.path {
                let nullable = p.nullable + [ft.isOptional]
                result.path = (p.root, p.fields + [field], nullable, p.spans + [sp])
                result.eval = Compiler.path(p.root, p.fields + [field], nullable: nullable, spans: p.spans + [sp])
            }
        case .list(let element) where element.unwrapped == .any || element.unwrapped.isObject:
            // `lines.amount`: the field of every element.
            var ft: ExprType = .any
            if case .object(let o) = element.unwrapped {
                guard let f = o[field] else {
                    error(Code.unknownField, "elements of \(subject) have no field `\(field)`", fieldStart, s.end,
                          label: "unknown field", help: didYouMean(field, in: o.names),
                          notes: ["elements of \(subject) have fields: \(Suggest.list(o.names))"])
                    return nil
                }
                ft = element.isNullable ? f.optionalized : f
            }
            let t: ExprType = base.type.isNullable ? .optional(.list(ft)) : .list(ft)
            result = Checked(t, Compiler.project(base.eval, field, nullableList: base.type.isOptional, span: sp), s.start, s.end)
        default:
            var help: String?
            if base.type.unwrapped == .money, field == "amount" || field == "currency" {
                help = "use `\(field)(\(quote(base) ?? "x"))`"
            }
            error(Code.unknownField, "\(subject) has no field `\(field)`", fieldStart, s.end, label: "unknown field",
                  help: help, notes: ["\(subject) has type `\(base.type)`, which has no fields"])
            return nil
        }
        result.reference = reference
        return result
    }

    private func index(_ baseSyntax: Syntax, _ indexSyntax: Syntax, _ s: Syntax) -> Checked? {
        let b = check(baseSyntax), i = check(indexSyntax)
        guard let base = b, let index = i else { return nil }
        if base.type.isNullable {
            nullable("indexed value", base)
            return nil
        }
        let sp = span(s)
        switch base.type {
        case .list(let element):
            guard index.type == .int || index.type == .any else {
                if index.type.isNullable {
                    nullable("list index", index)
                } else {
                    error(Code.typeMismatch, "list index must be `int`, found `\(index.type)`", index.start, index.end,
                          label: "this is `\(index.type)`")
                }
                return nil
            }
            return make(element, Compiler.index(base.eval, index.eval, span: sp), s, from: [base, index])
        case .any:
            return make(.any, Compiler.index(base.eval, index.eval, span: sp), s, from: [base, index])
        case .object(let o):
            guard case .string(let key)? = index.constant else {
                error(Code.typeMismatch, "an object can only be indexed by a field name in quotes", index.start, index.end,
                      label: "not a constant field name", help: "use `.field` to read a field")
                return nil
            }
            let subject = quote(base).map { "`\($0)`" } ?? "this value"
            guard let ft = o[key] else {
                error(Code.unknownField, "\(subject) has no field `\(key)`", index.start, index.end, label: "unknown field",
                      help: didYouMean(key, in: o.names),
                      notes: o.fields.isEmpty ? [] : ["\(subject) has fields: \(Suggest.list(o.names))"])
                return nil
            }
            return make(ft, Compiler.member(base.eval, key, baseNullable: false, fieldNullable: ft.isOptional, span: sp), s,
                        from: [base])
        default:
            error(Code.typeMismatch, "cannot index `\(base.type)`", base.start, base.end, label: "has type `\(base.type)`",
                  notes: ["only lists and objects can be indexed"])
            return nil
        }
    }
}

extension ExprType {
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
