import O2CCore

/// A compiled expression node: reads the environment, returns a value.
typealias Eval = @Sendable (Environment) throws(EvalError) -> Value

/// A compiled node with the span it blames, for lists of operands.
///
/// Closures are kept in this struct rather than in `[Eval]`: an array stores function values at
/// maximal abstraction, and every call through one goes through two reabstraction thunks.
struct Step: Sendable {
    let eval: Eval
    let span: Span
}

/// Builds the closures the checker asks for.
///
/// Everything that can be decided at compile time is decided here, outside the closures: which
/// operator, which field names, which spans to blame, whether null is allowed. The closures then
/// do only the work that depends on the values, with no string switches or lookups in tables.
enum Compiler {
    static func constant(_ v: Value) -> Eval { { _ in v } }

    /// `order.customer.segment`: one closure walks the whole dotted path.
    /// `nullable[k]` says whether the k-th part (0 is the root) is declared optional, so a null
    /// there makes the path null; elsewhere a null is an error naming the path up to that part,
    /// blaming `spans[k]`. Paths of up to three names have a fast path with their hashes computed
    /// here, once; anything unusual (null, a missing field, a non-object) falls back to the
    /// general walk, which also produces the errors.
    static func path(_ root: String, _ fields: [String], nullable: [Bool], spans: [Span]) -> Eval {
        let names = (0...fields.count).map { k in ([root] + fields.prefix(k)).joined(separator: ".") }
        let h = NameTable.hash(root)
        @Sendable func walk(_ env: Environment) throws(EvalError) -> Value {
            guard var v = env.table.value(root, hash: h), !v.isNull else {
                if nullable[0] { return .null }
                throw EvalError(message: "`\(root)` has no value", span: spans[0])
            }
            for k in fields.indices {
                guard case .object(let o) = v else {
                    throw EvalError(message: "cannot read field `\(fields[k])` of `\(v.kindName)` `\(names[k])`", span: spans[k + 1])
                }
                guard let w = o[fields[k]], !w.isNull else {
                    if nullable[k + 1] { return .null }
                    throw EvalError(message: "`\(names[k + 1])` has no value", span: spans[k + 1])
                }
                v = w
            }
            return v
        }
        switch fields.count {
        case 0:
            return { env throws(EvalError) in
                if let v = env.table.value(root, hash: h), !v.isNull { return v }
                return try walk(env)
            }
        case 1:
            let f = fields[0], hf = NameTable.hash(f)
            return { env throws(EvalError) in
                if let w = env.table.value(root, h, f, hf), !w.isNull { return w }
                return try walk(env)
            }
        case 2:
            let f = fields[0], hf = NameTable.hash(f), g = fields[1], hg = NameTable.hash(g)
            return { env throws(EvalError) in
                if let w = env.table.value(root, h, f, hf, g, hg), !w.isNull { return w }
                return try walk(env)
            }
        default:
            return walk
        }
    }

    /// `?` in a decision-table cell.
    static func input(nullable: Bool, span: Span) -> Eval {
        { env throws(EvalError) in
            if !nullable, env.input.isNull { throw EvalError(message: "the input value is null", span: span) }
            return env.input
        }
    }

    /// A field of a computed object (not a plain path), e.g. `(if a then x else y).total`.
    /// A null object gives null when its type is optional; a null field when the field's is.
    static func member(_ base: @escaping Eval, _ field: String, baseNullable: Bool, fieldNullable: Bool, span: Span) -> Eval {
        { env throws(EvalError) in
            let v = try base(env)
            switch v {
            case .object(let o):
                if let w = o[field], !w.isNull { return w }
                if fieldNullable { return .null }
                throw EvalError(message: "field `\(field)` has no value", span: span)
            case .null where baseNullable: return .null
            default: throw EvalError(message: "cannot read field `\(field)` of `\(v.kindName)`", span: span)
            }
        }
    }

    /// `lines.amount` on a list of objects: the list of each element's field.
    static func project(_ base: @escaping Eval, _ field: String, nullableList: Bool, span: Span) -> Eval {
        { env throws(EvalError) in
            let v = try base(env)
            if v.isNull, nullableList { return .null }
            guard case .list(let items) = v else {
                throw EvalError(message: "cannot read field `\(field)` of `\(v.kindName)`", span: span)
            }
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard case .object(let o) = item else {
                    throw EvalError(message: "cannot read field `\(field)` of `\(item.kindName)`", span: span)
                }
                out.append(o[field] ?? .null)
            }
            return .list(out)
        }
    }

    static func index(_ base: @escaping Eval, _ index: @escaping Eval, span: Span) -> Eval {
        { env throws(EvalError) in
            let v = try base(env), i = try index(env)
            switch (v, i) {
            case (.list(let items), .number(let n)):
                guard let k = n.intValue else {
                    throw EvalError(message: "list index must be a whole number, found `\(n)`", span: span)
                }
                guard k >= 0, k < items.count else {
                    throw EvalError(message: "index \(k) is out of range for a list of \(items.count) item\(items.count == 1 ? "" : "s")",
                                    span: span)
                }
                return items[k]
            case (.object(let o), .string(let key)):
                return o[key] ?? .null
            default:
                throw EvalError(message: "cannot index `\(v.kindName)` with `\(i.kindName)`", span: span)
            }
        }
    }

    static func arithmetic(_ op: BinaryOp, _ l: @escaping Eval, _ r: @escaping Eval, span: Span) -> Eval {
        switch op {
        case .add: return { env throws(EvalError) in try Ops.add(try l(env), try r(env), span) }
        case .sub: return { env throws(EvalError) in try Ops.subtract(try l(env), try r(env), span) }
        case .mul: return { env throws(EvalError) in try Ops.multiply(try l(env), try r(env), span) }
        case .div: return { env throws(EvalError) in try Ops.divide(try l(env), try r(env), span) }
        default: return { env throws(EvalError) in try Ops.remainder(try l(env), try r(env), span) }
        }
    }

    static func ordering(_ op: BinaryOp, _ l: @escaping Eval, _ r: @escaping Eval, span: Span) -> Eval {
        switch op {
        case .lt: return { env throws(EvalError) in .bool(try Ops.compare(try l(env), try r(env), span) < 0) }
        case .le: return { env throws(EvalError) in .bool(try Ops.compare(try l(env), try r(env), span) <= 0) }
        case .gt: return { env throws(EvalError) in .bool(try Ops.compare(try l(env), try r(env), span) > 0) }
        default: return { env throws(EvalError) in .bool(try Ops.compare(try l(env), try r(env), span) >= 0) }
        }
    }

    static func equality(negated: Bool, _ l: @escaping Eval, _ r: @escaping Eval) -> Eval {
        if negated { return { env throws(EvalError) in .bool(try l(env) != r(env)) } }
        return { env throws(EvalError) in .bool(try l(env) == r(env)) }
    }

    /// Equality against a value known at compile time (`segment == "new"`): one closure call less.
    static func equality(negated: Bool, _ l: @escaping Eval, constant c: Value) -> Eval {
        if negated { return { env throws(EvalError) in .bool(try l(env) != c) } }
        return { env throws(EvalError) in .bool(try l(env) == c) }
    }

    static func membership(negated: Bool, _ l: @escaping Eval, _ r: @escaping Eval, span: Span) -> Eval {
        { env throws(EvalError) in .bool(try Ops.member(try l(env), of: try r(env), span) != negated) }
    }

    static func not(_ x: @escaping Eval, span: Span) -> Eval {
        { env throws(EvalError) in .bool(!(try Ops.bool(try x(env), span))) }
    }

    /// `and`/`or` over any number of operands, stopping at the first that decides the result.
    static func logical(isAnd: Bool, _ items: [Step]) -> Eval {
        if items.count == 2 {
            let a = items[0].eval, b = items[1].eval, sa = items[0].span, sb = items[1].span
            if isAnd {
                return { env throws(EvalError) in
                    guard try Ops.bool(try a(env), sa) else { return .bool(false) }
                    return .bool(try Ops.bool(try b(env), sb))
                }
            }
            return { env throws(EvalError) in
                if try Ops.bool(try a(env), sa) { return .bool(true) }
                return .bool(try Ops.bool(try b(env), sb))
            }
        }
        return { env throws(EvalError) in
            for item in items where try Ops.bool(try item.eval(env), item.span) != isAnd {
                return .bool(!isAnd)
            }
            return .bool(isAnd)
        }
    }

    static func coalesce(_ a: @escaping Eval, _ b: @escaping Eval) -> Eval {
        { env throws(EvalError) in
            let v = try a(env)
            if case .null = v { return try b(env) }
            return v
        }
    }

    static func condition(_ c: @escaping Eval, _ a: @escaping Eval, _ b: @escaping Eval, span: Span) -> Eval {
        { env throws(EvalError) in try Ops.bool(try c(env), span) ? try a(env) : try b(env) }
    }

    static func list(_ items: [Step]) -> Eval {
        { env throws(EvalError) in
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try item.eval(env)) }
            return .list(out)
        }
    }

    /// `{a: x, b: y}`: the keys are placed once, here, in a dictionary each evaluation copies and
    /// fills through indexes (a copy keeps the layout), instead of hashing every key again.
    /// A key given twice keeps its last value, as inserting did.
    static func object(_ keys: [String], _ items: [Step]) -> Eval {
        var template: [String: Value] = [:]
        template.reserveCapacity(items.count)
        for k in items.indices { template[keys[k]] = .null }
        let slots = ObjectSlots(items.indices.map { template.index(forKey: keys[$0])! })
        return { [template] env throws(EvalError) in
            var out = template
            for k in items.indices { out.values[slots.indexes[k]] = try items[k].eval(env) }
            return .object(out)
        }
    }

    /// Immutable once made, hence `@unchecked Sendable` (`Dictionary.Index` is not declared so).
    private final class ObjectSlots: @unchecked Sendable {
        let indexes: [Dictionary<String, Value>.Index]
        init(_ indexes: [Dictionary<String, Value>.Index]) { self.indexes = indexes }
    }
}
