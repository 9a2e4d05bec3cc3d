import O2CCore

/// Lists and text: `len count sum contains lower upper starts_with ends_with string`.
extension Functions {
    static func length(_ c: Call) -> (ExprType, Eval)? {
        let isLen = c.name == "len", name = c.name
        guard c.accept(0, isLen ? "a string or a list" : "a list", { $0.element != nil || (isLen && $0 == .string) }) else { return nil }
        let x = c.args[0].eval, sp = c.span
        return (.int, { env throws(EvalError) in
            let v = try x(env)
            switch v {
            case .list(let items): return .int(items.count)
            case .string(let s) where isLen: return .int(s.count)
            default: throw badKind(name, v, sp)
            }
        })
    }

    static func sum(_ c: Call) -> (ExprType, Eval)? {
        let summable: (ExprType) -> Bool = { $0.isNumeric || $0 == .money || $0 == .any }
        var ok = [c.accept(0, "a list of numbers or money", { $0.element.map(summable) ?? false })]
        if c.args.count > 1 { ok.append(c.accept(1, "a number or money", { $0.isNumeric || $0 == .money })) }
        guard !ok.contains(false) else { return nil }
        var type = c.args[0].type.element ?? .any
        if c.args.count > 1 {
            let start = c.args[1].type
            guard let j = ExprType.join(type, start) else {
                let a = c.args[1]
                c.checker.error(Code.badArguments, "the start value of `sum` is `\(start)`, but the list holds `\(type)`",
                                a.start, a.end, label: "this is `\(start)`",
                                help: type == .money ? "start from an amount of money, like `0 EUR`" : nil)
                return nil
            }
            type = j
        }
        let list = c.args[0].eval, sp = c.span
        let start: Eval? = c.args.count > 1 ? c.args[1].eval : nil
        let isMoney = type == .money
        return (type, { env throws(EvalError) in
            let v = try list(env)
            guard case .list(let items) = v else { throw badKind("sum", v, sp) }
            var rest = items[...]
            var total: Value
            if let start {
                total = try start(env)
            } else if let first = rest.popFirst() {
                total = first
            } else {
                if isMoney { throw EvalError(message: "cannot sum an empty list of money without a start value", span: sp) }
                return .int(0)
            }
            for item in rest { total = try Ops.add(total, item, sp) }
            return total
        })
    }

    static func contains(_ c: Call) -> (ExprType, Eval)? {
        guard c.accept(0, "a list or a string", { $0.element != nil || $0 == .string }) else { return nil }
        let container = c.args[0], x = c.args[1]
        switch container.type {
        case .list(let element):
            guard ExprType.comparable(element, x.type) else {
                c.conflict(0, 1)
                return nil
            }
        case .string:
            guard c.accept(1, "a string", { $0 == .string }) else { return nil }
        default:
            break
        }
        let haystack = container.eval, needle = x.eval, sp = c.span
        return (.bool, { env throws(EvalError) in .bool(try Ops.member(try needle(env), of: try haystack(env), sp)) })
    }

    static func changeCase(_ c: Call) -> (ExprType, Eval)? {
        guard c.accept(0, "a string", { $0 == .string }) else { return nil }
        let x = c.args[0].eval, sp = c.span, name = c.name, lower = name == "lower"
        return (.string, { env throws(EvalError) in
            let v = try x(env)
            guard case .string(let s) = v else { throw badKind(name, v, sp) }
            return .string(lower ? s.lowercased() : s.uppercased())
        })
    }

    static func affix(_ c: Call) -> (ExprType, Eval)? {
        let ok = [c.accept(0, "a string", { $0 == .string }), c.accept(1, "a string", { $0 == .string })]
        guard !ok.contains(false) else { return nil }
        let x = c.args[0].eval, y = c.args[1].eval, sp = c.span, name = c.name, prefix = name == "starts_with"
        return (.bool, { env throws(EvalError) in
            let v = try x(env), w = try y(env)
            guard case .string(let s) = v, case .string(let t) = w else { throw badKind(name, v.isNull ? v : w, sp) }
            return .bool(prefix ? s.hasPrefix(t) : s.hasSuffix(t))
        })
    }

    /// `string(x)`: any value as text, as a template would print it (`null` for null).
    static func toString(_ c: Call) -> (ExprType, Eval)? {
        let x = c.args[0].eval
        return (.string, { env throws(EvalError) in .string(try x(env).plainText) })
    }
}
