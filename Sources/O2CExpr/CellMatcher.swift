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

    static func isListValue(_ v: Value) -> Bool {
        if case .list = v { return true }
        return false
    }
}

// MARK: - Prepared cells

/// The input cells of one decision table, made ready to test many times.
///
/// Three costs of testing cells one by one through their matchers are avoided here:
/// - a bound such as `>= policy.max_dunning_level` is a path lookup (and
///   `policy.preferred_limit * 110 / 100` a decimal multiplication and division) on every test,
///   although its value changes only when `policy` does. Bounds that read nothing but `policy`
///   are computed once per policy object (see `BoundCache`);
/// - a column of text cells (`segment: new`, `standard, preferred`) would compare the input with
///   each row's text in turn. Such a column gets an index from text to the rows that accept it,
///   so one lookup per evaluation rules out every row whose text differs;
/// - a closure per cell is an indirect call through a reabstraction thunk; the common shapes are
///   an enum tested in one `switch` instead.
public struct PreparedCells: Sendable {
    /// Every cell that is not `-` and not decided by an index, row after row.
    private let cells: [PreparedCell]
    /// `ends[r]`: the end of row `r`'s cells in `cells`.
    private let ends: [Int]
    private let cache: BoundCache?
    private let indexes: [ColumnIndex]

    /// `rows[r][i]`: the test of row `r` on input `i`; tests beyond `inputs` are ignored, as the
    /// evaluator does.
    public init(_ rows: [[UnaryTest]], inputs: Int) {
        var builder = BoundBuilder()
        var table: [[(input: Int, test: CellTest)]] = []
        for tests in rows {
            var row: [(input: Int, test: CellTest)] = []
            for (i, test) in tests.enumerated() where i < inputs {
                let atoms: [UnaryTest.Atom]
                switch test.kind {
                case .any: continue
                case .anyOf(let a), .not(let a): atoms = a
                }
                var items: [CellTest] = []
                for atom in atoms { items.append(builder.atom(atom)) }
                if case .not = test.kind {
                    row.append((i, .not(items)))
                } else {
                    row.append((i, items.count == 1 ? items[0] : .anyOf(items)))
                }
            }
            table.append(row)
        }
        var indexes: [ColumnIndex] = []
        if rows.count <= 64 {
            for i in 0..<inputs {
                if let index = ColumnIndex(input: i, rows: table) {
                    indexes.append(index)
                    for r in table.indices where index.decides(r) { table[r].removeAll { $0.input == i } }
                }
            }
        }
        var cells: [PreparedCell] = []
        var ends: [Int] = []
        ends.reserveCapacity(rows.count)
        for row in table {
            for c in row { cells.append(PreparedCell(input: c.input, test: c.test)) }
            ends.append(cells.count)
        }
        self.cells = cells
        self.ends = ends
        self.indexes = indexes
        cache = builder.bounds.isEmpty ? nil : BoundCache(builder.bounds)
    }

    public var count: Int { ends.count }

    /// The state of one evaluation: which rows the indexes leave, and the cached bounds (fetched
    /// when a cell first needs one).
    public func start(_ values: UnsafeMutableBufferPointer<Value>) -> CellBounds {
        var b = CellBounds(cache: cache)
        for index in indexes { b.rows &= index.rows(for: values[index.input]) }
        return b
    }

    /// Whether every cell of row `r` accepts its input (`values[input]`).
    public func matches(_ r: Int, _ values: UnsafeMutableBufferPointer<Value>, _ env: Environment,
                        _ bounds: inout CellBounds) throws(EvalError) -> Bool {
        if !indexes.isEmpty, (bounds.rows >> UInt64(r)) & 1 == 0 { return false }
        var k = r == 0 ? 0 : ends[r - 1]
        let end = ends[r]
        while k < end {
            if try !cells[k].test.matches(values[cells[k].input], env, &bounds) { return false }
            k += 1
        }
        return true
    }
}

struct PreparedCell: Sendable {
    let input: Int
    let test: CellTest
}

/// One cell, or one item of a cell, in the shapes tables use most; `.closure` for the rest.
/// The semantics are those of `UnaryTest.Atom.matches`.
indirect enum CellTest: Sendable {
    /// A text constant: `new`, `"on_watch"`.
    case text(String)
    /// Any other constant that is not a list.
    case equals(Value)
    case compare(UnaryTest.ComparisonOp, Operand, Span)
    case range(Operand, lowInclusive: Bool, Operand, highInclusive: Bool, Span, Span)
    case anyOf([CellTest])
    case not([CellTest])
    case closure(Matcher)

    /// A test that cannot throw: skipping it (when an index decides a later cell) is not observable.
    var isTotal: Bool {
        switch self {
        case .text, .equals: true
        case .anyOf(let items), .not(let items): items.allSatisfy(\.isTotal)
        default: false
        }
    }

    func matches(_ v: Value, _ env: Environment, _ b: inout CellBounds) throws(EvalError) -> Bool {
        switch self {
        case .text(let s):
            if case .string(let x) = v { return x == s }
            return false
        case .equals(let c):
            return v == c
        case .compare(let op, let operand, let span):
            switch op {
            case .eq: return try v == operand.value(env, &b)
            case .ne: return try v != operand.value(env, &b)
            default:
                if v.isNull { return false }
                let o = try Ops.compare(v, try operand.value(env, &b), span)
                switch op {
                case .lt: return o < 0
                case .le: return o <= 0
                case .gt: return o > 0
                default: return o >= 0
                }
            }
        case .range(let lo, let lowInclusive, let hi, let highInclusive, let ls, let hs):
            if v.isNull { return false }
            let a = try Ops.compare(v, try lo.value(env, &b), ls)
            guard lowInclusive ? a >= 0 : a > 0 else { return false }
            let c = try Ops.compare(v, try hi.value(env, &b), hs)
            return highInclusive ? c <= 0 : c < 0
        case .anyOf(let items):
            for item in items where try item.matches(v, env, &b) { return true }
            return false
        case .not(let items):
            for item in items where try item.matches(v, env, &b) { return false }
            return true
        case .closure(let m):
            return try m(v, env)
        }
    }
}

/// The rows a text column admits, per text: for a column whose cells are `-` or lists of text
/// constants. Row `r` is bit `r`.
struct ColumnIndex: Sendable {
    let input: Int
    let keys: [String]
    let masks: [UInt64]
    /// Rows this index does not decide (`-`, or a cell it cannot decide): always admitted.
    let others: UInt64

    /// `nil` when fewer than two rows have text cells the index can decide. A row's cell is left
    /// to the row when an earlier cell of the row may throw: ruling the row out first would
    /// hide that error.
    init?(input: Int, rows: [[(input: Int, test: CellTest)]]) {
        var keys: [String] = [], masks: [UInt64] = []
        var others: UInt64 = 0
        var decided = 0
        for (r, row) in rows.enumerated() {
            let bit: UInt64 = 1 << UInt64(r)
            guard let k = row.firstIndex(where: { $0.input == input }),
                  row[..<k].allSatisfy({ $0.test.isTotal }), let texts = Self.texts(row[k].test) else {
                others |= bit
                continue
            }
            decided += 1
            for t in texts {
                if let j = keys.firstIndex(of: t) { masks[j] |= bit } else { keys.append(t); masks.append(bit) }
            }
        }
        guard decided >= 2 else { return nil }
        self.input = input
        self.keys = keys
        self.masks = masks
        self.others = others
    }

    private static func texts(_ t: CellTest) -> [String]? {
        switch t {
        case .text(let s): return [s]
        case .anyOf(let items):
            var out: [String] = []
            for item in items {
                guard case .text(let s) = item else { return nil }
                out.append(s)
            }
            return out
        default: return nil
        }
    }

    func decides(_ r: Int) -> Bool { (others >> UInt64(r)) & 1 == 0 }

    /// `String ==` as the cells compare, so equal texts written differently still match.
    @inline(__always)
    func rows(for v: Value) -> UInt64 {
        guard case .string(let x) = v else { return others }
        for k in keys.indices where keys[k] == x { return others | masks[k] }
        return others
    }
}

/// The per-evaluation state of `PreparedCells`.
public struct CellBounds {
    let cache: BoundCache?
    /// Bit `r`: row `r` is still possible after the indexes.
    var rows: UInt64 = ~0
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

    mutating func atom(_ atom: UnaryTest.Atom) -> CellTest {
        switch atom {
        case .equals(let e):
            // A list (constant or from the policy) matches any of its elements: left to the matcher.
            guard e.type.element == nil else { break }
            if case .string(let s)? = e.constantValue { return .text(s) }
            if let c = e.constantValue, !CellMatcher.isListValue(c) { return .equals(c) }
            if Self.isPolicyOnly(e) { return .compare(.eq, operand(e), e.span) }
        case .compare(let op, let e):
            return .compare(op, operand(e), e.span)
        case .range(let low, let lowInclusive, let high, let highInclusive):
            return .range(operand(low), lowInclusive: lowInclusive, operand(high), highInclusive: highInclusive, low.span, high.span)
        case .predicate:
            break
        }
        return .closure(CellMatcher.atomMatcher(atom))
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
