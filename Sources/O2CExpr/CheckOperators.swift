import O2CCore

/// Typing rules of operators, conditionals and collection literals.
extension Checker {
    /// `true` when `c` may be used as a condition; reports why not otherwise.
    func requireBool(_ c: Checked, _ what: String) -> Bool {
        if c.type == .bool || c.type == .any { return true }
        if c.type.isNullable, c.type.unwrapped == .bool {
            error(Code.typeMismatch, "\(what) may be null", c.start, c.end, label: "has type `\(c.type)`",
                  help: "use `\(quote(c) ?? "x") ?? false`")
            return false
        }
        error(Code.typeMismatch, "\(what) must be `bool`, found `\(c.type)`", c.start, c.end, label: "this is `\(c.type)`")
        return false
    }

    func negate(_ x: Syntax, _ opEnd: Int, _ s: Syntax) -> Checked? {
        guard let c = check(x) else { return nil }
        if c.type.isNullable {
            nullable("operand of `-`", c)
            return nil
        }
        guard c.type.isNumeric || c.type == .money || c.type == .duration || c.type == .any else {
            error(Code.typeMismatch, "cannot negate `\(c.type)`", s.start, opEnd, label: "applied to `\(c.type)`",
                  related: [(c.start, c.end, "`\(c.type)`")])
            return nil
        }
        let sp = span(s)
        return make(c.type, { env throws(EvalError) in try Ops.negate(try c.eval(env), sp) }, s, from: [c])
    }

    func binary(_ op: BinaryOp, _ a: Syntax, _ b: Syntax, _ opStart: Int, _ opEnd: Int, _ s: Syntax) -> Checked? {
        let lc = check(a), rc = check(b)
        guard let l = lc, let r = rc else { return nil }
        let symbol = op.rawValue
        func mismatch(_ message: String) -> Checked? {
            error(Code.typeMismatch, message, opStart, opEnd, help: mismatchHelp(l, r),
                  related: [(l.start, l.end, "`\(l.type)`"), (r.start, r.end, "`\(r.type)`")])
            return nil
        }
        if op.isArithmetic || op.isOrdering {
            for c in [l, r] where c.type.isNullable {
                nullable("operand of `\(symbol)`", c)
                return nil
            }
        }
        if op.isArithmetic {
            guard let t = ExprType.arithmetic(op, l.type, r.type) else {
                return mismatch("cannot apply `\(symbol)` to `\(l.type)` and `\(r.type)`")
            }
            if op == .add || op == .sub, l.type == .date || r.type == .date {
                for c in [l, r] {
                    if case .duration(let d)? = c.constant, d.seconds % 86_400 != 0 {
                        error(Code.typeMismatch, "`\(d)` is not a whole number of days, and a date moves in whole days",
                              c.start, c.end, label: "not whole days", help: "use whole days like `1d`, or a datetime")
                        return nil
                    }
                }
            }
            return make(t, Compiler.arithmetic(op, l.eval, r.eval, span: span(s)), s, from: [l, r])
        }
        if op.isOrdering {
            for c in [l, r] where !c.type.isOrderable {
                error(Code.typeMismatch, "cannot order `\(c.type)` values", opStart, opEnd,
                      help: c.type == .bool ? "bool values can only be compared with `==` and `!=`" : nil,
                      related: [(c.start, c.end, "`\(c.type)`")])
                return nil
            }
            guard ExprType.comparable(l.type, r.type) else { return mismatch("cannot compare `\(l.type)` with `\(r.type)`") }
            return make(.bool, Compiler.ordering(op, l.eval, r.eval, span: span(s)), s, from: [l, r])
        }
        if op.isEquality {
            guard ExprType.comparable(l.type, r.type) else { return mismatch("cannot compare `\(l.type)` with `\(r.type)`") }
            let negated = op == .ne
            let eval: Eval
            if let c = r.constant {
                eval = Compiler.equality(negated: negated, l.eval, constant: c)
            } else if let c = l.constant {
                eval = Compiler.equality(negated: negated, r.eval, constant: c)
            } else {
                eval = Compiler.equality(negated: negated, l.eval, r.eval)
            }
            return make(.bool, eval, s, from: [l, r])
        }
        // `in` and `not in`.
        if r.type.isNullable {
            nullable("right side of `\(symbol)`", r)
            return nil
        }
        switch r.type {
        case .list(let element):
            guard ExprType.comparable(l.type, element) else {
                return mismatch("cannot look for `\(l.type)` in `\(r.type)`")
            }
        case .string:
            if l.type.isNullable {
                nullable("left side of `\(symbol)`", l)
                return nil
            }
            guard l.type == .string || l.type == .any else { return mismatch("cannot look for `\(l.type)` in `string`") }
        case .any:
            break
        default:
            error(Code.typeMismatch, "`\(symbol)` needs a list or a string on its right, found `\(r.type)`", r.start, r.end,
                  label: "this is `\(r.type)`")
            return nil
        }
        return make(.bool, Compiler.membership(negated: op == .notIn, l.eval, r.eval, span: span(s)), s, from: [l, r])
    }

    func logical(_ isAnd: Bool, _ items: [Syntax], _ s: Syntax) -> Checked? {
        let checked = items.map { check($0) }
        let word = isAnd ? "and" : "or"
        var ok = true
        for c in checked {
            guard let c else { ok = false; continue }
            if !requireBool(c, "operand of `\(word)`") { ok = false }
        }
        guard ok else { return nil }
        let cs = checked.compactMap { $0 }
        return make(.bool, Compiler.logical(isAnd: isAnd, cs.map { Step(eval: $0.eval, span: span($0)) }), s, from: cs)
    }

    func coalesce(_ a: Syntax, _ b: Syntax, _ opStart: Int, _ s: Syntax) -> Checked? {
        let lc = check(a), rc = check(b)
        guard let l = lc, let r = rc else { return nil }
        let left = l.type == .null ? r.type : l.type.unwrapped
        guard let joined = ExprType.join(left, r.type) else {
            error(Code.typeMismatch, "the two sides of `??` have different types, `\(l.type)` and `\(r.type)`", opStart, opStart + 2,
                  help: mismatchHelp(l, r), related: [(l.start, l.end, "`\(l.type)`"), (r.start, r.end, "`\(r.type)`")])
            return nil
        }
        let t = r.type.isNullable ? joined.optionalized : joined
        if let v = l.constant {
            return v.isNull ? Checked(t, r.eval, s.start, s.end, constant: r.constant)
                            : Checked(t, l.eval, s.start, s.end, constant: v)
        }
        return Checked(t, Compiler.coalesce(l.eval, r.eval), s.start, s.end)
    }

    func condition(_ cs: Syntax, _ a: Syntax, _ b: Syntax, _ s: Syntax) -> Checked? {
        let cc = check(cs), ac = check(a), bc = check(b)
        guard let c = cc, let x = ac, let y = bc, requireBool(c, "condition of `if`") else { return nil }
        guard let t = ExprType.join(x.type, y.type) else {
            error(Code.typeMismatch, "the branches of `if` have different types, `\(x.type)` and `\(y.type)`", y.start, y.end,
                  label: "this is `\(y.type)`", help: mismatchHelp(x, y), related: [(x.start, x.end, "this is `\(x.type)`")])
            return nil
        }
        if case .bool(let v)? = c.constant {
            let chosen = v ? x : y
            return Checked(t, chosen.eval, s.start, s.end, constant: chosen.constant)
        }
        return Checked(t, Compiler.condition(c.eval, x.eval, y.eval, span: span(c)), s.start, s.end)
    }

    func list(_ items: [Syntax], _ s: Syntax) -> Checked? {
        let checked = items.map { check($0) }
        guard checked.allSatisfy({ $0 != nil }) else { return nil }
        let cs = checked.compactMap { $0 }
        var element: ExprType = cs.first?.type ?? .any
        for c in cs.dropFirst() {
            guard let j = ExprType.join(element, c.type) else {
                error(Code.typeMismatch, "list elements have different types, `\(element)` and `\(c.type)`", c.start, c.end,
                      label: "this is `\(c.type)`", help: mismatchHelp(cs[0], c),
                      related: [(cs[0].start, cs[0].end, "this is `\(cs[0].type)`")])
                return nil
            }
            element = j
        }
        return make(.list(element), Compiler.list(cs.map { Step(eval: $0.eval, span: span($0)) }), s, from: cs)
    }

    func object(_ pairs: [(key: String, value: Syntax)], _ s: Syntax) -> Checked? {
        let checked = pairs.map { check($0.value) }
        guard checked.allSatisfy({ $0 != nil }) else { return nil }
        let cs = checked.compactMap { $0 }
        let type = ExprType.object(ObjectType(zip(pairs, cs).map { ObjectType.Field(name: $0.key, type: $1.type) }))
        return make(type, Compiler.object(pairs.map(\.key), cs.map { Step(eval: $0.eval, span: span($0)) }), s, from: cs)
    }

    func call(_ name: String, _ nameEnd: Int, _ args: [Syntax], _ s: Syntax) -> Checked? {
        let checked = args.map { check($0) }
        guard let spec = Functions.spec(name) else {
            var help = didYouMean(name, in: Functions.names)
            if help == nil, scope[name] != nil { help = "`\(name)` is a value, not a function" }
            error(Code.unknownFunction, "unknown function `\(name)`", s.start, nameEnd, label: "unknown function", help: help)
            return nil
        }
        guard checked.allSatisfy({ $0 != nil }) else { return nil }
        let call = Call(spec: spec, args: checked.compactMap { $0 }, start: s.start, end: s.end, span: span(s), checker: self)
        guard call.checkArity(), let (type, eval) = Functions.resolve(call) else { return nil }
        var c = make(type, eval, s, from: call.args, pure: spec.pure)
        if name == "currency", call.args.count == 1 { c.currencyOf = call.args[0].eval }
        return c
    }
}
