import O2CCore
import Synchronization

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
            return any(atoms.map { Item(test: atomMatcher($0)) })
        case .not(let atoms):
            let inner = any(atoms.map { Item(test: atomMatcher($0)) })
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

    static func atomMatcher(_ atom: UnaryTest.Atom) -> Matcher {
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

// MARK: - Prepared cells

/// The input cells of one decision table, made ready to test many times.
///
/// Why not the cells' own matchers: a bound such as `>= policy.max_dunning_level` is a path
/// lookup (and `policy.preferred_limit * 110 / 100` a decimal multiplication and division) on
/// every test, although its value changes only when `policy` does. Bounds that read nothing but
/// `policy` are therefore computed once per policy object (see `BoundCache`) and the cells read
/// them from there; constant bounds are compared without a closure call at all.
public struct PreparedCells: Sendable {
    /// Every cell that is not `-`, row after row.
    private let cells: [PreparedCell]
    /// `ends[r]`: the end of row `r`'s cells in `cells`.
    private let ends: [Int]
    private let cache: BoundCache?

    /// `rows[r][i]`: the test of row `r` on input `i`; tests beyond `inputs` are ignored, as the
    /// evaluator does.
    public init(_ rows: [[UnaryTest]], inputs: Int) {
        var builder = BoundBuilder()
        var cells: [PreparedCell] = []
        var ends: [Int] = []
        ends.reserveCapacity(rows.count)
        for tests in rows {
            for (i, test) in tests.enumerated() where i < inputs {
                let atoms: [UnaryTest.Atom]
                switch test.kind {
                case .any: continue
                case .anyOf(let a), .not(let a): atoms = a
                }
                var items: [BoundMatcher] = []
                for atom in atoms { items.append(builder.atom(atom)) }
                let inner = BoundBuilder.any(items)
                if case .not = test.kind {
                    cells.append(PreparedCell(input: i, test: { v, env, b throws(EvalError) in try !inner(v, env, &b) }))
                } else {
                    cells.append(PreparedCell(input: i, test: inner))
                }
            }
            ends.append(cells.count)
        }
        self.cells = cells
        self.ends = ends
        cache = builder.bounds.isEmpty ? nil : BoundCache(builder.bounds)
    }

    public var count: Int { ends.count }

    /// The state one evaluation carries from cell to cell: the cached bounds, fetched on first use.
    public func bounds() -> CellBounds { CellBounds(cache: cache) }

    /// Whether every cell of row `r` accepts its input (`values[input]`).
    @inline(__always)
    public func matches(_ r: Int, _ values: UnsafeMutableBufferPointer<Value>, _ env: Environment,
                        _ bounds: inout CellBounds) throws(EvalError) -> Bool {
        var k = r == 0 ? 0 : ends[r - 1]
        let end = ends[r]
        while k < end {
            if try !cells[k].test(values[cells[k].input], env, &bounds) { return false }
            k += 1
        }
        return true
    }
}

/// A cell test that may read cached bounds.
typealias BoundMatcher = @Sendable (Value, Environment, inout CellBounds) throws(EvalError) -> Bool

struct PreparedCell: Sendable {
    let input: Int
    let test: BoundMatcher
}

/// The per-evaluation view of a table's `BoundCache`.
public struct CellBounds {
    let cache: BoundCache?
    private var snapshot: BoundSnapshot?
    private var fetched = false

    init(cache: BoundCache?) { self.cache = cache }

    /// For cells that read no cached bound.
    public init() { cache = nil }

    /// Bound `k`: from the snapshot for `env`'s policy, or computed now when there is none
    /// (no `policy` object bound).
    @inline(__always)
    mutating func value(_ k: Int, _ env: Environment) throws(EvalError) -> Value {
        if !fetched {
            snapshot = cache!.snapshot(env)
            fetched = true
        }
        if let snapshot { return try snapshot.values[k].get() }
        return try cache!.bounds[k](env)
    }
}

/// Where a cell's comparison value comes from.
enum Operand: Sendable {
    case constant(Value)
    /// Slot of a `BoundCache`.
    case cached(Int)
    case dynamic(Eval)

    @inline(__always)
    func value(_ env: Environment, _ b: inout CellBounds) throws(EvalError) -> Value {
        switch self {
        case .constant(let c): return c
        case .cached(let k): return try b.value(k, env)
        case .dynamic(let run): return try run(env)
        }
    }
}

/// Compiles atoms for `PreparedCells`, collecting the bounds worth caching.
private struct BoundBuilder {
    var bounds: [Eval] = []

    /// A bound that reads only fields of `policy` (no `now()`, `today()`, `?` or other names):
    /// its value is a function of the policy object alone.
    static func isPolicyOnly(_ e: Expression) -> Bool {
        guard e.constantValue == nil, !e.references.isEmpty,
              e.references.allSatisfy({ $0 == "policy" || $0.hasPrefix("policy.") }) else { return false }
        guard let tokens = try? Lexer.tokenize(Array(e.source.unicodeScalars)) else { return false }
        for t in tokens {
            if case .identifier(let name) = t.kind, name == "now" || name == "today" { return false }
            if t.isSymbol(.question) { return false }
        }
        return true
    }

    mutating func operand(_ e: Expression) -> Operand {
        if let c = e.constantValue { return .constant(c) }
        guard Self.isPolicyOnly(e) else { return .dynamic(e.run) }
        bounds.append(e.run)
        return .cached(bounds.count - 1)
    }

    static func any(_ items: [BoundMatcher]) -> BoundMatcher {
        switch items.count {
        case 1:
            return items[0]
        case 2:
            let a = items[0], b = items[1]
            return { v, env, bounds throws(EvalError) in
                if try a(v, env, &bounds) { return true }
                return try b(v, env, &bounds)
            }
        default:
            return { v, env, bounds throws(EvalError) in
                for item in items where try item(v, env, &bounds) { return true }
                return false
            }
        }
    }

    /// The semantics of `UnaryTest.Atom.matches`, as in `CellMatcher.atom`.
    mutating func atom(_ atom: UnaryTest.Atom) -> BoundMatcher {
        switch atom {
        case .equals(let e):
            let isList = e.type.element != nil
            if !isList, case .string(let s)? = e.constantValue {
                // The common `segment: new`: a string comparison, without the generic `Value` equality.
                return { v, _, _ throws(EvalError) in
                    if case .string(let x) = v { return x == s }
                    return false
                }
            }
            if e.constantValue == nil, Self.isPolicyOnly(e) {
                let bound = operand(e)
                return { v, env, b throws(EvalError) in
                    let w = try bound.value(env, &b)
                    if isList, case .list(let items) = w {
                        if case .list = v { return v == w }
                        return items.contains(v)
                    }
                    return v == w
                }
            }
            let m = CellMatcher.atomMatcher(atom)
            return { v, env, _ throws(EvalError) in try m(v, env) }
        case .compare(let op, let e):
            let bound = operand(e)
            switch op {
            case .eq: return { v, env, b throws(EvalError) in try v == bound.value(env, &b) }
            case .ne: return { v, env, b throws(EvalError) in try v != bound.value(env, &b) }
            default:
                let span = e.span
                let accept: @Sendable (Int) -> Bool
                switch op {
                case .lt: accept = { $0 < 0 }
                case .le: accept = { $0 <= 0 }
                case .gt: accept = { $0 > 0 }
                default: accept = { $0 >= 0 }
                }
                return { v, env, b throws(EvalError) in
                    if v.isNull { return false }
                    return accept(try Ops.compare(v, try bound.value(env, &b), span))
                }
            }
        case .range(let low, let lowInclusive, let high, let highInclusive):
            let lo = operand(low), hi = operand(high), ls = low.span, hs = high.span
            return { v, env, b throws(EvalError) in
                if v.isNull { return false }
                let a = try Ops.compare(v, try lo.value(env, &b), ls)
                guard lowInclusive ? a >= 0 : a > 0 else { return false }
                let c = try Ops.compare(v, try hi.value(env, &b), hs)
                return highInclusive ? c <= 0 : c < 0
            }
        case .predicate:
            let m = CellMatcher.atomMatcher(atom)
            return { v, env, _ throws(EvalError) in try m(v, env) }
        }
    }
}

/// The values of a table's policy-only bounds for the policy object last seen.
///
/// Keyed by the identity of the policy dictionary's storage, not by its contents: comparing
/// contents would cost more than the lookups saved. The snapshot holds the dictionary, so the
/// storage cannot be freed and reused, nor mutated in place (it is not uniquely referenced):
/// the same storage means the same policy. Errors are kept and thrown only when a cell reads
/// the bound, as evaluating it there would.
final class BoundCache: Sendable {
    let bounds: [Eval]
    private let last = Mutex<BoundSnapshot?>(nil)
    private static let policyHash = NameTable.hash("policy")

    init(_ bounds: [Eval]) { self.bounds = bounds }

    func snapshot(_ env: Environment) -> BoundSnapshot? {
        guard case .object(let policy)? = env.table.value("policy", hash: Self.policyHash) else { return nil }
        if let s = last.withLock({ $0 }), Self.sameStorage(s.policy, policy) { return s }
        let s = BoundSnapshot(policy: policy, values: bounds.map { run in
            Result { () throws(EvalError) -> Value in try run(env) }
        })
        last.withLock { $0 = s }
        return s
    }

    @inline(__always)
    static func sameStorage(_ a: [String: Value], _ b: [String: Value]) -> Bool {
        guard MemoryLayout<[String: Value]>.size == MemoryLayout<UInt>.size else { return false }
        return withUnsafeBytes(of: a) { $0.load(as: UInt.self) } == withUnsafeBytes(of: b) { $0.load(as: UInt.self) }
    }
}

final class BoundSnapshot: Sendable {
    let policy: [String: Value]
    let values: [Result<Value, EvalError>]

    init(policy: [String: Value], values: [Result<Value, EvalError>]) {
        self.policy = policy
        self.values = values
    }
}
