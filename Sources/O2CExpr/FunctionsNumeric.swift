import O2CCore

/// Numbers and money: `min max abs round floor ceil clamp percent money amount currency`.
extension Functions {
    static let orderableKinds = "a number, money, a date, a datetime, a duration or a string"

    static func minMax(_ c: Call) -> (ExprType, Eval)? {
        let wantLess = c.name == "min", name = c.name, sp = c.span
        if c.args.count == 1 {
            // `min(list)`.
            guard c.accept(0, "a list (or give two or more values)", { $0.element != nil }) else { return nil }
            let element = c.args[0].type.element ?? .any
            guard element.isOrderable, !element.isNullable else {
                let a = c.args[0]
                c.checker.error(Code.badArguments, "the elements of argument 1 of `\(name)` cannot be ordered", a.start, a.end,
                                label: "this is `\(a.type)`", notes: ["`\(name)` works on \(orderableKinds)"])
                return nil
            }
            let list = c.args[0].eval
            return (element, { env throws(EvalError) in
                let v = try list(env)
                guard case .list(let items) = v else { throw badKind(name, v, sp) }
                guard var best = items.first else { throw EvalError(message: "`\(name)` of an empty list", span: sp) }
                for item in items.dropFirst() {
                    let o = try Ops.compare(item, best, sp)
                    if wantLess ? o < 0 : o > 0 { best = item }
                }
                return best
            })
        }
        let ok = c.args.indices.map { c.accept($0, orderableKinds, \.isOrderable) }
        guard !ok.contains(false) else { return nil }
        var type = c.args[0].type
        for i in 1..<c.args.count {
            guard let j = ExprType.join(type, c.args[i].type) else {
                c.conflict(0, i)
                return nil
            }
            type = j
        }
        let steps = c.args.map { Step(eval: $0.eval, span: c.span) }
        return (type, { env throws(EvalError) in
            var best = try steps[0].eval(env)
            for step in steps.dropFirst() {
                let v = try step.eval(env)
                let o = try Ops.compare(v, best, sp)
                if wantLess ? o < 0 : o > 0 { best = v }
            }
            return best
        })
    }

    static func abs(_ c: Call) -> (ExprType, Eval)? {
        guard c.accept(0, "a number, money or a duration", { $0.isNumeric || $0 == .money || $0 == .duration }) else { return nil }
        let x = c.args[0].eval, sp = c.span
        return (c.args[0].type, { env throws(EvalError) in
            let v = try x(env)
            switch v {
            case .number(let n): return n.isNegative ? try Ops.negate(v, sp) : v
            case .money(let m): return m.amount.isNegative ? try Ops.negate(v, sp) : v
            case .duration(let d): return d.seconds < 0 ? try Ops.negate(v, sp) : v
            default: throw badKind("abs", v, sp)
            }
        })
    }

    static let placesRange = -20...20

    static func round(_ c: Call) -> (ExprType, Eval)? {
        var ok = [c.accept(0, "a number or money", { $0.isNumeric || $0 == .money })]
        if c.args.count > 1 { ok.append(c.accept(1, "an `int`", { $0 == .int })) }
        if c.args.count > 2 { ok.append(c.accept(2, "a rounding mode such as `\"half_even\"`", { $0 == .string })) }
        guard !ok.contains(false) else { return nil }
        if c.args.count > 1, case .number(let n)? = c.args[1].constant, !(n.intValue.map(placesRange.contains) ?? false) {
            let a = c.args[1]
            c.checker.error(Code.badArguments, "`round` cannot round to `\(n)` places", a.start, a.end,
                            label: "out of range", notes: ["places go from \(placesRange.lowerBound) to \(placesRange.upperBound)"])
            return nil
        }
        var mode: RoundingMode? = .halfUp
        if c.args.count > 2 {
            mode = nil
            if let text = c.constantString(2) {
                guard let m = RoundingMode(rawValue: text) else {
                    let a = c.args[2], modes = RoundingMode.allCases.map(\.rawValue)
                    c.checker.error(Code.badArguments, "unknown rounding mode `\(text)`", a.start, a.end, label: "unknown mode",
                                    help: Suggest.closest(to: text, in: modes).map { "did you mean `\"\($0)\"`?" },
                                    notes: ["rounding modes: \(modes.joined(separator: ", "))"])
                    return nil
                }
                mode = m
            }
        }
        let fixedMode = mode
        let x = c.args[0].eval, sp = c.span
        let places: Eval = c.args.count > 1 ? c.args[1].eval : Compiler.constant(.int(0))
        let modeEval: Eval = c.args.count > 2 ? c.args[2].eval : Compiler.constant(.null)
        return (c.args[0].type, { env throws(EvalError) in
            let v = try x(env)
            let pv = try places(env)
            guard case .number(let pn) = pv, let p = pn.intValue, placesRange.contains(p) else {
                throw EvalError(message: "`round` cannot round to `\(pv)` places", span: sp)
            }
            var mode = RoundingMode.halfUp
            if let fixedMode {
                mode = fixedMode
            } else {
                let mv = try modeEval(env)
                guard case .string(let s) = mv, let m = RoundingMode(rawValue: s) else {
                    throw EvalError(message: "unknown rounding mode `\(mv.plainText)`", span: sp)
                }
                mode = m
            }
            switch v {
            case .number(let n): return .number(n.rounded(places: p, mode: mode))
            case .money(let m): return .money(Money(m.amount.rounded(places: p, mode: mode), m.currency))
            default: throw badKind("round", v, sp)
            }
        })
    }

    static func floorCeil(_ c: Call) -> (ExprType, Eval)? {
        guard c.accept(0, "a number or money", { $0.isNumeric || $0 == .money }) else { return nil }
        let mode: RoundingMode = c.name == "floor" ? .floor : .ceiling
        let x = c.args[0].eval, sp = c.span, name = c.name
        let type: ExprType = c.args[0].type == .money ? .money : (c.args[0].type == .any ? .any : .int)
        return (type, { env throws(EvalError) in
            let v = try x(env)
            switch v {
            case .number(let n): return .number(n.rounded(places: 0, mode: mode))
            case .money(let m): return .money(Money(m.amount.rounded(places: 0, mode: mode), m.currency))
            default: throw badKind(name, v, sp)
            }
        })
    }

    static func clamp(_ c: Call) -> (ExprType, Eval)? {
        let ok = c.args.indices.map { c.accept($0, orderableKinds, \.isOrderable) }
        guard !ok.contains(false) else { return nil }
        var type = c.args[0].type
        for i in 1...2 {
            guard let j = ExprType.join(type, c.args[i].type) else {
                c.conflict(0, i)
                return nil
            }
            type = j
        }
        let x = c.args[0].eval, lo = c.args[1].eval, hi = c.args[2].eval, sp = c.span
        return (type, { env throws(EvalError) in
            let v = try x(env), l = try lo(env), h = try hi(env)
            guard try Ops.compare(l, h, sp) <= 0 else {
                throw EvalError(message: "`clamp` bounds are reversed: `\(l)` is above `\(h)`", span: sp)
            }
            if try Ops.compare(v, l, sp) < 0 { return l }
            if try Ops.compare(v, h, sp) > 0 { return h }
            return v
        })
    }

    static func percent(_ c: Call) -> (ExprType, Eval)? {
        let ok = [c.accept(0, "a number or money", { $0.isNumeric || $0 == .money }),
                  c.accept(1, "a number", \.isNumeric)]
        guard !ok.contains(false) else { return nil }
        let x = c.args[0].eval, p = c.args[1].eval, sp = c.span
        let type: ExprType = c.args[0].type == .money ? .money : (c.args[0].type == .any ? .any : .decimal)
        return (type, { env throws(EvalError) in
            let v = try x(env), pv = try p(env)
            guard case .number(let rate) = pv else { throw badKind("percent", pv, sp) }
            switch v {
            case .number(let n):
                return .number(try Ops.exact(sp) { () throws(ArithmeticError) in
                    try ExactRounding.multiply(n, rate, dividedByPow10: 2, places: ExactDecimal.scale, mode: .halfEven)
                })
            case .money(let m):
                let a = try Ops.exact(sp) { () throws(ArithmeticError) in
                    try ExactRounding.multiply(m.amount, rate, dividedByPow10: 2, places: m.currency.minorUnits, mode: .halfUp)
                }
                return .money(Money(a, m.currency))
            default:
                throw badKind("percent", v, sp)
            }
        })
    }

    /// `share(x, part, whole)`: x × part ÷ whole, from the exact product, rounded once (money
    /// half-up to its minor unit, numbers to twelve places): the VAT in part of a price, a
    /// pro-rata allocation. A zero whole shares out nothing (zero), rather than failing.
    static func share(_ c: Call) -> (ExprType, Eval)? {
        let ok = [c.accept(0, "a number or money", { $0.isNumeric || $0 == .money }),
                  c.accept(1, "a number or money", { $0.isNumeric || $0 == .money }),
                  c.accept(2, "a number or money", { $0.isNumeric || $0 == .money })]
        guard !ok.contains(false) else { return nil }
        let part = c.args[1].type, whole = c.args[2].type
        if part != .any, whole != .any, (part == .money) != (whole == .money) {
            c.conflict(1, 2)
            return nil
        }
        let x = c.args[0].eval, p = c.args[1].eval, w = c.args[2].eval, sp = c.span
        let type: ExprType = c.args[0].type == .money ? .money : (c.args[0].type == .any ? .any : .decimal)
        return (type, { env throws(EvalError) in
            let v = try x(env), pv = try p(env), wv = try w(env)
            let b: ExactDecimal, d: ExactDecimal
            switch (pv, wv) {
            case (.number(let n), .number(let m)): (b, d) = (n, m)
            case (.money(let n), .money(let m)):
                guard n.currency == m.currency else { throw EvalError(message: "`share` needs part and whole in one currency, found \(n.currency.code) and \(m.currency.code)", span: sp) }
                (b, d) = (n.amount, m.amount)
            default: throw badKind("share", pv.isNull ? pv : wv, sp)
            }
            switch v {
            case .number(let n):
                if d.raw == 0 { return .number(.zero) }
                return .number(try Ops.exact(sp) { () throws(ArithmeticError) in
                    try ExactRounding.share(n, b, of: d, places: ExactDecimal.scale, mode: .halfEven)
                })
            case .money(let m):
                if d.raw == 0 { return .money(Money(.zero, m.currency)) }
                let a = try Ops.exact(sp) { () throws(ArithmeticError) in
                    try ExactRounding.share(m.amount, b, of: d, places: m.currency.minorUnits, mode: .halfUp)
                }
                return .money(Money(a, m.currency))
            default:
                throw badKind("share", v, sp)
            }
        })
    }

    static func money(_ c: Call) -> (ExprType, Eval)? {
        let ok = [c.accept(0, "a number", \.isNumeric), c.accept(1, "a currency code such as `\"EUR\"`", { $0 == .string })]
        guard !ok.contains(false) else { return nil }
        if let code = c.constantString(1), Currency(code) == nil {
            let a = c.args[1]
            let help = Currency(code.uppercased()) != nil ? "write it in upper case: `\"\(code.uppercased())\"`"
                : "write a three-letter ISO 4217 code such as `\"EUR\"`"
            c.checker.error(Code.badArguments, "`\(code)` is not a currency code", a.start, a.end, label: "not a currency", help: help)
            return nil
        }
        let x = c.args[0].eval, code = c.args[1].eval, sp = c.span
        if let of = c.args[1].currencyOf {
            // `money(0, currency(invoice.total))`, the initial of every invoice's money variables:
            // `Currency("EUR")` matched its code against sixteen literals, ≈770 instructions.
            // A currency is its code (its minor units follow from it), so taking the money's
            // own is the same value; anything but money takes the general way, errors included.
            return (.money, { env throws(EvalError) in
                let v = try x(env)
                guard case .money(let m) = try of(env) else { return try moneyOf(v, try code(env), sp) }
                guard case .number(let n) = v else { throw badKind("money", v, sp) }
                return .money(Money(n, m.currency))
            })
        }
        return (.money, { env throws(EvalError) in try moneyOf(try x(env), try code(env), sp) })
    }

    private static func moneyOf(_ v: Value, _ cv: Value, _ sp: Span) throws(EvalError) -> Value {
        guard case .number(let n) = v else { throw badKind("money", v, sp) }
        guard case .string(let s) = cv, let cur = Currency(s) else {
            throw EvalError(message: "`\(cv.plainText)` is not a currency code", span: sp)
        }
        return .money(Money(n, cur))
    }

    static func moneyPart(_ c: Call) -> (ExprType, Eval)? {
        guard c.accept(0, "money", { $0 == .money }) else { return nil }
        let x = c.args[0].eval, sp = c.span, name = c.name
        let wantAmount = name == "amount"
        return (wantAmount ? .decimal : .string, { env throws(EvalError) in
            let v = try x(env)
            guard case .money(let m) = v else { throw badKind(name, v, sp) }
            return wantAmount ? .number(m.amount) : .string(m.currency.code)
        })
    }
}
