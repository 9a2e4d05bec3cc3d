import O2CCore

/// Tests a decision-table input value.
typealias Matcher = @Sendable (Value, Environment) throws(EvalError) -> Bool

/// Compiles a cell's `UnaryTest.Kind` into one `Matcher`.
///
/// Decision tables test every cell of every row, so the common shapes get their own closures:
/// a constant compared without calling the expression, a bound that is a closure called
/// directly, one or two items without a loop. The semantics are those of `UnaryTest.Atom.matches`.
enum CellMatcher {
    /// A matcher in a struct, so a list of them calls each without reabstraction thunks.
    struct Item: Sendable {
        let test: Matcher
    }

    static func build(_ kind: UnaryTest.Kind) -> Matcher {
        switch kind {
        case .any:
            return { _, _ throws(EvalError) in true }
        case .anyOf(let atoms):
            return any(atoms.map { Item(test: atom($0)) })
        case .not(let atoms):
            let inner = any(atoms.map { Item(test: atom($0)) })
            return { v, env throws(EvalError) in try !inner(v, env) }
        }
    }

    private static func any(_ items: [Item]) -> Matcher {
        switch items.count {
        case 1:
            return items[0].test
        case 2:
            let a = items[0].test, b = items[1].test
            return { v, env throws(EvalError) in
                if try a(v, env) { return true }
                return try b(v, env)
            }
        default:
            return { v, env throws(EvalError) in
                for item in items where try item.test(v, env) { return true }
                return false
            }
        }
    }

    private static func atom(_ atom: UnaryTest.Atom) -> Matcher {
        switch atom {
        case .equals(let e):
            let isList = e.type.element != nil
            if let c = e.constantValue {
                if isList, case .list(let items) = c {
                    return { v, _ throws(EvalError) in
                        if case .list = v { return v == c }
                        return items.contains(v)
                    }
                }
                return { v, _ throws(EvalError) in v == c }
            }
            let run = e.run
            if isList {
                return { v, env throws(EvalError) in
                    let w = try run(env)
                    if case .list(let items) = w, !isListValue(v) { return items.contains(v) }
                    return v == w
                }
            }
            return { v, env throws(EvalError) in try v == run(env) }
        case .compare(let op, let e):
            let bound = operand(e)
            switch op {
            case .eq: return { v, env throws(EvalError) in try v == bound(env) }
            case .ne: return { v, env throws(EvalError) in try v != bound(env) }
            default:
                let span = e.span
                let accept: @Sendable (Int) -> Bool
                switch op {
                case .lt: accept = { $0 < 0 }
                case .le: accept = { $0 <= 0 }
                case .gt: accept = { $0 > 0 }
                default: accept = { $0 >= 0 }
                }
                return { v, env throws(EvalError) in
                    if v.isNull { return false }
                    return accept(try Ops.compare(v, try bound(env), span))
                }
            }
        case .range(let low, let lowInclusive, let high, let highInclusive):
            let lo = operand(low), hi = operand(high), ls = low.span, hs = high.span
            return { v, env throws(EvalError) in
                if v.isNull { return false }
                let a = try Ops.compare(v, try lo(env), ls)
                guard lowInclusive ? a >= 0 : a > 0 else { return false }
                let b = try Ops.compare(v, try hi(env), hs)
                return highInclusive ? b <= 0 : b < 0
            }
        case .predicate(let e):
            let run = e.run, span = e.span
            return { v, env throws(EvalError) in
                var inner = env
                inner.input = v
                return try Ops.bool(try run(inner), span)
            }
        }
    }

    /// The expression's closure, or one returning its constant without evaluating anything.
    private static func operand(_ e: Expression) -> Eval {
        if let c = e.constantValue { return Compiler.constant(c) }
        return e.run
    }

    private static func isListValue(_ v: Value) -> Bool {
        if case .list = v { return true }
        return false
    }
}
