import O2CCore
import O2CExpr
import O2CModel

/// Static checks of one decision table, run by `o2c validate` (explained in docs/decision-tables.md).
///
/// - `E0401` two rows of a `unique` table overlap: reported only when *proven* — every cell of both
///   rows is analyzable, the cells intersect on every input, and an example input built from the
///   intersection really matches both rows when the cells are evaluated.
/// - `W0402` a single-hit table without defaults on every output has a gap on a number or money
///   input: for some combination of the other inputs' cases, the rows that apply leave a range of
///   that input uncovered, and an example input from the range really matches no row.
/// - `E0405` hit policy `priority` / `output order` without `values` on any output.
///
/// Cells are analyzable when each of their atoms compares the input with a constant: an expression
/// that reads nothing, or only `policy.*` (evaluated here), and gives the same value at any `now`.
/// Anything else (a `?` predicate, a cell reading another input, a clock-dependent expression)
/// is unknown: it never produces an overlap, and it counts as covering everything for gaps, so
/// neither check raises a false alarm.
public enum TableAnalysis {
    /// `policy`: the policy values (constants known at validation time). Returns diagnostics only.
    public static func check(_ table: DecisionTable, policy: Value) -> [Diagnostic] {
        var diagnostics = priorityValues(table)
        guard !table.rules.isEmpty, !table.inputs.isEmpty else { return diagnostics }
        let analyzer = Analyzer(table: table, policy: policy)
        if table.hitPolicy == .unique { diagnostics += analyzer.overlaps() }
        if reportsGaps(table) { diagnostics += analyzer.gaps() }
        return diagnostics
    }

    /// Gaps matter when no row matching means `null` outputs: single-hit tables (not `collect count`,
    /// which then counts 0) without a default on every output.
    static func reportsGaps(_ table: DecisionTable) -> Bool {
        switch table.hitPolicy {
        case .unique, .first, .priority, .any, .collect(.sum?), .collect(.min?), .collect(.max?):
            return !table.outputs.allSatisfy { $0.defaultValue != nil }
        default:
            return false
        }
    }

    /// E0405: `priority` and `output order` rank rows by the outputs' `values`; without any, every
    /// row ties and the policy is meaningless.
    static func priorityValues(_ table: DecisionTable) -> [Diagnostic] {
        guard table.hitPolicy == .priority || table.hitPolicy == .outputOrder,
              let output = table.outputs.first, table.outputs.allSatisfy({ $0.values.isEmpty }) else { return [] }
        // Suggest the values the rows actually produce, in order of appearance.
        let env = Environment(now: Instant(secondsSinceEpoch: 0))
        var seen: [Value] = []
        for rule in table.rules {
            guard let e = rule.outputs.first, e.references.isEmpty, let v = try? e.evaluate(env), !v.isNull, !seen.contains(v) else { continue }
            seen.append(v)
        }
        let list = seen.isEmpty ? "…" : seen.map(valueText).joined(separator: ", ")
        return [.error("E0405", "hit policy `\(table.hitPolicy)` needs `values` on output `\(output.name)`", at: output.span,
                       label: "no priority order",
                       notes: ["`values` lists an output's possible values from the highest priority to the lowest"],
                       help: "list them in priority order: `\(output.name): {type: \(output.type), values: [\(list)]}`")]
    }

    /// A value as an analyst writes it in a `values:` list: bare words unquoted.
    static func valueText(_ v: Value) -> String {
        if case .string(let s) = v, !s.isEmpty,
           s.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }) {
            return s
        }
        return v.description
    }
}

// MARK: - Sets of input values

/// A point of one input's ordered domain: numbers, money amounts, dates, datetimes, durations and
/// bools map to integers (their exact raw representation, so `> 5` on an `int` input starts at 6);
/// strings stay strings.
enum Key: Hashable, Comparable {
    case n(Int128)
    case s(String)
}

struct Bound: Hashable {
    var key: Key
    var closed: Bool
    var flipped: Bound { Bound(key: key, closed: !closed) }
}

/// An interval; a `nil` end is unbounded.
struct Interval: Hashable {
    var lo: Bound?
    var hi: Bound?

    static let everything = Interval(lo: nil, hi: nil)
    static func point(_ k: Key) -> Interval { Interval(lo: Bound(key: k, closed: true), hi: Bound(key: k, closed: true)) }

    var isEmpty: Bool {
        guard let lo, let hi else { return false }
        return lo.key > hi.key || (lo.key == hi.key && !(lo.closed && hi.closed))
    }

    var point: Key? {
        guard let lo, let hi, lo.key == hi.key, lo.closed, hi.closed else { return nil }
        return lo.key
    }

    func contains(_ k: Key) -> Bool {
        if let lo, lo.key > k || (lo.key == k && !lo.closed) { return false }
        if let hi, hi.key < k || (hi.key == k && !hi.closed) { return false }
        return true
    }

    /// The larger lower end (`nil` is −∞; at equal keys an open end is larger).
    static func maxLo(_ a: Bound?, _ b: Bound?) -> Bound? {
        guard let a else { return b }
        guard let b else { return a }
        if a.key != b.key { return a.key > b.key ? a : b }
        return a.closed ? b : a
    }

    /// The smaller upper end (`nil` is +∞; at equal keys an open end is smaller).
    static func minHi(_ a: Bound?, _ b: Bound?) -> Bound? {
        guard let a else { return b }
        guard let b else { return a }
        if a.key != b.key { return a.key < b.key ? a : b }
        return a.closed ? b : a
    }

    static func maxHi(_ a: Bound?, _ b: Bound?) -> Bound? {
        guard let a, let b else { return nil }
        if a.key != b.key { return a.key > b.key ? a : b }
        return a.closed ? a : b
    }

    /// Orders by lower end: −∞ first, then by key, closed before open.
    static func loPrecedes(_ a: Bound?, _ b: Bound?) -> Bool {
        guard let b else { return false }
        guard let a else { return true }
        if a.key != b.key { return a.key < b.key }
        return a.closed && !b.closed
    }
}

/// The domain of one input: how its values map to keys, and which keys exist.
struct Domain {
    enum Kind: Equatable { case number, money, date, datetime, duration, bool, string }
    var kind: Kind
    /// Distance between neighbouring keys for integer domains (10¹² raw units for `int`), `nil` for strings.
    var step: Int128?
    /// Money inputs are analyzed in one currency: the first one the cells mention.
    var currency: Currency?
    var universe: Interval

    init?(_ type: ExprType) {
        universe = .everything
        switch type.unwrapped {
        case .int: (kind, step) = (.number, ExactDecimal.unit)
        case .decimal: (kind, step) = (.number, 1)
        case .money: (kind, step) = (.money, 1)
        case .date: (kind, step) = (.date, 1)
        case .datetime: (kind, step) = (.datetime, 1)
        case .duration: (kind, step) = (.duration, 1)
        case .bool:
            (kind, step) = (.bool, 1)
            universe = Interval(lo: Bound(key: .n(0), closed: true), hi: Bound(key: .n(1), closed: true))
        case .string: (kind, step) = (.string, nil)
        default: return nil
        }
    }

    func key(_ v: Value) -> Key? {
        switch (kind, v) {
        case (.number, .number(let d)): return .n(d.raw)
        case (.money, .money(let m)): return m.currency == currency ? .n(m.amount.raw) : nil
        case (.date, .date(let d)): return .n(Int128(d.daysSinceEpoch))
        case (.datetime, .datetime(let t)): return .n(Int128(t.secondsSinceEpoch))
        case (.duration, .duration(let d)): return .n(Int128(d.seconds))
        case (.bool, .bool(let b)): return .n(b ? 1 : 0)
        case (.string, .string(let s)): return .s(s)
        default: return nil
        }
    }

    func value(_ k: Key) -> Value {
        switch (kind, k) {
        case (.number, .n(let r)): return .number(ExactDecimal(raw: r))
        case (.money, .n(let r)): return .money(Money(ExactDecimal(raw: r), currency ?? Currency("EUR")!))
        case (.date, .n(let r)): return .date(Day(daysSinceEpoch: Int(clamping: r)))
        case (.datetime, .n(let r)): return .datetime(Instant(secondsSinceEpoch: Int64(clamping: r)))
        case (.duration, .n(let r)): return .duration(Duration(seconds: Int64(clamping: r)))
        case (.bool, .n(let r)): return .bool(r != 0)
        case (.string, .s(let s)): return .string(s)
        default: return .null
        }
    }

    /// Any value of the domain, for inputs both rows accept whatever their value.
    var anyValue: Value {
        switch kind {
        case .string: return .string("")
        case .bool: return .bool(false)
        default: return value(.n(0))
        }
    }

    // MARK: Integer normalization: every end closed and on the step grid.

    func normalized(_ i: Interval) -> Interval? {
        guard let step else { return i.isEmpty ? nil : i }
        var lo = i.lo, hi = i.hi
        if let b = lo, case .n(let a) = b.key {
            guard let v = b.closed ? Self.ceil(a, step) : Self.floor(a, step).flatMap({ Self.add($0, step) }) else { return nil }
            lo = Bound(key: .n(v), closed: true)
        }
        if let b = hi, case .n(let a) = b.key {
            guard let v = b.closed ? Self.floor(a, step) : Self.ceil(a, step).flatMap({ Self.add($0, -step) }) else { return nil }
            hi = Bound(key: .n(v), closed: true)
        }
        let out = Interval(lo: lo, hi: hi)
        return out.isEmpty ? nil : out
    }

    static func add(_ a: Int128, _ b: Int128) -> Int128? {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? nil : r
    }

    static func floor(_ a: Int128, _ step: Int128) -> Int128? {
        if step == 1 { return a }
        var q = a / step
        if a % step != 0 && a < 0 { q -= 1 }
        let (r, o) = q.multipliedReportingOverflow(by: step)
        return o ? nil : r
    }

    static func ceil(_ a: Int128, _ step: Int128) -> Int128? {
        if step == 1 { return a }
        var q = a / step
        if a % step != 0 && a > 0 { q += 1 }
        let (r, o) = q.multipliedReportingOverflow(by: step)
        return o ? nil : r
    }

    /// Whether `b` starts at or before the point right after `a` ends (so the two merge).
    func touches(_ aHi: Bound?, _ bLo: Bound?) -> Bool {
        guard let aHi, let bLo else { return true }
        if bLo.key < aHi.key { return true }
        if bLo.key == aHi.key { return aHi.closed || bLo.closed }
        if step != nil, case .n(let h) = aHi.key, case .n(let l) = bLo.key, let next = Self.add(h, step!) { return l <= next }
        return false
    }

    // MARK: Sets

    /// Sorted, disjoint, merged intervals inside the universe.
    func makeSet(_ intervals: [Interval]) -> KeySet {
        var parts = intervals.compactMap { i -> Interval? in
            let clipped = Interval(lo: Interval.maxLo(i.lo, universe.lo), hi: Interval.minHi(i.hi, universe.hi))
            return normalized(clipped)
        }
        parts.sort { Interval.loPrecedes($0.lo, $1.lo) }
        var merged: [Interval] = []
        for p in parts {
            if let last = merged.last, touches(last.hi, p.lo) {
                merged[merged.count - 1].hi = Interval.maxHi(last.hi, p.hi)
            } else {
                merged.append(p)
            }
        }
        return KeySet(intervals: merged)
    }

    func intersection(_ a: KeySet, _ b: KeySet) -> KeySet {
        var out: [Interval] = []
        for x in a.intervals {
            for y in b.intervals {
                let i = Interval(lo: Interval.maxLo(x.lo, y.lo), hi: Interval.minHi(x.hi, y.hi))
                if !i.isEmpty { out.append(i) }
            }
        }
        return makeSet(out)
    }

    /// Whether the two sets share a value, without building the intersection (sorted two-pointer walk).
    func intersects(_ a: KeySet, _ b: KeySet) -> Bool {
        var i = 0, j = 0
        while i < a.intervals.count, j < b.intervals.count {
            let x = a.intervals[i], y = b.intervals[j]
            if normalized(Interval(lo: Interval.maxLo(x.lo, y.lo), hi: Interval.minHi(x.hi, y.hi))) != nil { return true }
            // Drop the interval that ends first.
            if Interval.minHi(x.hi, y.hi) == x.hi { i += 1 } else { j += 1 }
        }
        return false
    }

    func complement(_ a: KeySet) -> KeySet {
        var out: [Interval] = []
        var start: Bound? = nil
        var startIsMinusInfinity = true
        for i in a.intervals {
            if let lo = i.lo {
                out.append(Interval(lo: startIsMinusInfinity ? nil : start, hi: lo.flipped))
            }
            guard let hi = i.hi else { return makeSet(out) }
            start = hi.flipped
            startIsMinusInfinity = false
        }
        out.append(Interval(lo: startIsMinusInfinity ? nil : start, hi: nil))
        return makeSet(out.filter { !$0.isEmpty })
    }

    // MARK: Examples and text

    /// A readable member of `i` (round numbers first), or `nil` if none can be named.
    func example(_ i: Interval) -> Key? {
        if kind == .string {
            if let lo = i.lo, lo.closed { return lo.key }
            if let hi = i.hi, hi.closed { return hi.key }
            var candidates = ["other", ""]
            if let lo = i.lo, case .s(let s) = lo.key { candidates += [s + "a", s + "~"] }
            return candidates.map(Key.s).first(where: i.contains)
        }
        guard let step else { return nil }
        let grids: [Int128]
        switch kind {
        case .number, .money: grids = [ExactDecimal.unit, ExactDecimal.unit / 100, step]
        case .datetime, .duration: grids = [86_400, 3600, 60, 1]
        default: grids = [1]
        }
        if let lo = i.lo, case .n(let a) = lo.key {
            for g in grids { if let v = Self.ceil(a, g), i.contains(.n(v)) { return .n(v) } }
            return lo.key
        }
        if let hi = i.hi, case .n(let b) = hi.key {
            for g in grids { if let v = Self.floor(b, g), i.contains(.n(v)) { return .n(v) } }
            return hi.key
        }
        return i.contains(.n(0)) ? .n(0) : nil
    }

    func text(_ k: Key) -> String { value(k).description }

    /// An interval in cell syntax: `"new"`, `[5000.00 EUR..10000.00 EUR)`, `< 0.00 EUR`, `>= 30`.
    /// Integer ends are shown open when that reads rounder (`..10000)` rather than `..9999.999999999999]`).
    func text(_ i: Interval) -> String {
        if let p = i.point { return text(p) }
        var lo = i.lo, hi = i.hi
        if let step, kind == .number || kind == .money {
            if let b = lo, case .n(let a) = b.key, let prev = Self.add(a, -step),
               ExactDecimal(raw: prev).significantPlaces < ExactDecimal(raw: a).significantPlaces {
                lo = Bound(key: .n(prev), closed: false)
            }
            if let b = hi, case .n(let a) = b.key, let next = Self.add(a, step),
               ExactDecimal(raw: next).significantPlaces < ExactDecimal(raw: a).significantPlaces {
                hi = Bound(key: .n(next), closed: false)
            }
        }
        switch (lo, hi) {
        case let (l?, h?): return "\(l.closed ? "[" : "(")\(text(l.key))..\(text(h.key))\(h.closed ? "]" : ")")"
        case let (l?, nil): return "\(l.closed ? ">=" : ">") \(text(l.key))"
        case let (nil, h?): return "\(h.closed ? "<=" : "<") \(text(h.key))"
        case (nil, nil): return "-"
        }
    }
}

struct KeySet: Hashable {
    var intervals: [Interval]
    var isEmpty: Bool { intervals.isEmpty }
    func contains(_ k: Key) -> Bool { intervals.contains { $0.contains(k) } }
}

/// What one cell accepts, as far as the analysis can tell.
enum CellSet {
    /// `-`.
    case all
    /// Exactly these values.
    case known(KeySet)
    /// Not analyzable.
    case unknown
}

// MARK: - The analysis

struct Analyzer {
    let table: DecisionTable
    let policy: Value
    /// Per input: its domain, or `nil` when its type is not analyzable.
    var domains: [Domain?]
    /// `cells[row][input]`.
    var cells: [[CellSet]]

    init(table: DecisionTable, policy: Value) {
        self.table = table
        self.policy = policy
        domains = table.inputs.map { Domain($0.type) }
        let evaluator = Constants(policy: policy)
        // Money inputs: the currency of the first money constant in the column.
        for c in domains.indices where domains[c]?.kind == .money {
            currencySearch: for rule in table.rules where c < rule.tests.count {
                for e in Self.expressions(rule.tests[c].kind) {
                    if case .money(let m)? = evaluator.value(e) { domains[c]!.currency = m.currency; break currencySearch }
                }
            }
        }
        var cells: [[CellSet]] = []
        for rule in table.rules {
            var row: [CellSet] = []
            for c in table.inputs.indices {
                guard c < rule.tests.count else { row.append(.unknown); continue }
                let test = rule.tests[c]
                if case .any = test.kind { row.append(.all); continue }
                guard let domain = domains[c] else { row.append(.unknown); continue }
                row.append(Self.cellSet(test, domain, evaluator))
            }
            cells.append(row)
        }
        self.cells = cells
    }

    static func expressions(_ kind: UnaryTest.Kind) -> [Expression] {
        let atoms: [UnaryTest.Atom]
        switch kind {
        case .any: return []
        case .anyOf(let a), .not(let a): atoms = a
        }
        return atoms.flatMap { atom -> [Expression] in
            switch atom {
            case .equals(let e), .compare(_, let e), .predicate(let e): [e]
            case .range(let low, _, let high, _): [low, high]
            }
        }
    }

    static func cellSet(_ test: UnaryTest, _ domain: Domain, _ constants: Constants) -> CellSet {
        let atoms: [UnaryTest.Atom]
        let negated: Bool
        switch test.kind {
        case .any: return .all
        case .anyOf(let a): (atoms, negated) = (a, false)
        case .not(let a): (atoms, negated) = (a, true)
        }
        var parts: [Interval] = []
        for atom in atoms {
            guard let i = interval(atom, domain, constants) else { return .unknown }
            parts += i
        }
        let set = domain.makeSet(parts)
        return .known(negated ? domain.complement(set) : set)
    }

    static func interval(_ atom: UnaryTest.Atom, _ domain: Domain, _ constants: Constants) -> [Interval]? {
        func key(_ e: Expression) -> Key? { constants.value(e).flatMap(domain.key) }
        switch atom {
        case .predicate: return nil
        case .equals(let e):
            // A list value (`policy.blocked_segments`) matches any of its elements.
            if case .list(let items)? = constants.value(e) {
                let keys = items.compactMap(domain.key)
                return keys.count == items.count ? keys.map(Interval.point) : nil
            }
            return key(e).map { [.point($0)] }
        case .compare(let op, let e):
            guard let k = key(e) else { return nil }
            switch op {
            case .eq: return [.point(k)]
            case .ne: return [Interval(lo: nil, hi: Bound(key: k, closed: false)), Interval(lo: Bound(key: k, closed: false), hi: nil)]
            case .lt: return [Interval(lo: nil, hi: Bound(key: k, closed: false))]
            case .le: return [Interval(lo: nil, hi: Bound(key: k, closed: true))]
            case .gt: return [Interval(lo: Bound(key: k, closed: false), hi: nil)]
            case .ge: return [Interval(lo: Bound(key: k, closed: true), hi: nil)]
            }
        case .range(let low, let lowInclusive, let high, let highInclusive):
            guard let a = key(low), let b = key(high) else { return nil }
            return [Interval(lo: Bound(key: a, closed: lowInclusive), hi: Bound(key: b, closed: highInclusive))]
        }
    }

    // MARK: Evaluation, to confirm what the sets claim

    /// Whether a row certainly does not match `inputs`: some cell is false. A cell that fails to
    /// evaluate is not taken as evidence either way.
    func rowSurelyMisses(_ rule: TableRule, _ inputs: [Value], _ env: Environment) -> Bool {
        for (c, test) in rule.tests.enumerated() where c < inputs.count {
            if case .any = test.kind { continue }
            if let m = try? test.matches(inputs[c], env), !m { return true }
        }
        return false
    }

    func rowSurelyMatches(_ rule: TableRule, _ inputs: [Value], _ env: Environment) -> Bool {
        for (c, test) in rule.tests.enumerated() {
            guard c < inputs.count else { return false }
            if case .any = test.kind { continue }
            guard let m = try? test.matches(inputs[c], env), m else { return false }
        }
        return true
    }

    func environment(_ inputs: [Value]) -> Environment {
        var env = Environment(now: Instant(secondsSinceEpoch: 0), values: ["policy": policy])
        for (c, input) in table.inputs.enumerated() where c < inputs.count { env[input.name] = inputs[c] }
        return env
    }

    func anyValue(_ c: Int) -> Value { domains[c]?.anyValue ?? .null }

    func exampleText(_ columns: [Int], _ inputs: [Value]) -> String {
        columns.map { "\(table.inputs[$0].name) = \(inputs[$0])" }.joined(separator: ", ")
    }

    // MARK: E0401 overlaps

    func overlaps() -> [Diagnostic] {
        var out: [Diagnostic] = []
        let rules = table.rules
        for j in rules.indices {
            for i in 0..<j {
                guard let example = overlap(i, j) else { continue }
                let (a, b) = (rules[i], rules[j])
                let shown = table.inputs.indices.filter { c in
                    if case .all = cells[i][c], case .all = cells[j][c] { return false }
                    return true
                }
                let note = shown.isEmpty ? "both rows match every input"
                    : "both rows match, for example, `\(exampleText(shown, example))`"
                out.append(Diagnostic(.error, "E0401", "rows \(a.number) and \(b.number) of table `\(table.name)` overlap",
                                      at: Label(b.span, "overlaps row \(a.number)"),
                                      secondary: [Label(a.span, "overlaps this row")],
                                      notes: [note], help: "make the conditions exclusive, or use hit policy `first`"))
            }
        }
        return out
    }

    /// An input matching both rows, when the overlap is proven.
    func overlap(_ i: Int, _ j: Int) -> [Value]? {
        // A cheap pass first: most pairs of rows differ on some input.
        for c in table.inputs.indices {
            switch (cells[i][c], cells[j][c]) {
            case (.unknown, _), (_, .unknown): return nil
            case (.known(let s), .known(let t)): if !domains[c]!.intersects(s, t) { return nil }
            default: continue
            }
        }
        var example: [Value] = []
        for c in table.inputs.indices {
            switch (cells[i][c], cells[j][c]) {
            case (.unknown, _), (_, .unknown):
                return nil
            case (.all, .all):
                example.append(anyValue(c))
            case (.all, .known(let s)), (.known(let s), .all):
                guard let v = member(s, c) else { return nil }
                example.append(v)
            case (.known(let s), .known(let t)):
                guard let v = member(domains[c]!.intersection(s, t), c) else { return nil }
                example.append(v)
            }
        }
        let env = environment(example)
        guard rowSurelyMatches(table.rules[i], example, env), rowSurelyMatches(table.rules[j], example, env) else { return nil }
        return example
    }

    func member(_ s: KeySet, _ c: Int) -> Value? {
        guard let domain = domains[c] else { return nil }
        for i in s.intervals { if let k = domain.example(i) { return domain.value(k) } }
        return nil
    }

    // MARK: W0402 gaps

    /// One case of an input: a representative value, which rows accept it, and how to say it.
    struct Case {
        var value: Value
        /// Per row: `true` accepts, `false` rejects, `nil` unknown.
        var accepts: [Bool?]
        /// `nil` when the input has no conditions worth naming.
        var text: String?
    }

    static let maxCombinations = 1024

    func gaps() -> [Diagnostic] {
        var out: [Diagnostic] = []
        let numeric = table.inputs.indices.filter { domains[$0]?.kind == .number || domains[$0]?.kind == .money }
        guard !numeric.isEmpty else { return [] }
        let allCases = table.inputs.indices.map(cases)
        for c in numeric {
            if let d = gap(in: c, domains[c]!, allCases) { out.append(d) }
        }
        return out
    }

    /// The cases of input `c`: the regions of its domain on which every row's cell is constant,
    /// regions that every row treats alike merged into one case.
    func cases(_ c: Int) -> [Case] {
        let column = table.rules.indices.map { cells[$0][c] }
        let named = column.contains { if case .all = $0 { false } else { true } }
        guard let domain = domains[c], named else {
            return [Case(value: anyValue(c), accepts: column.map { if case .all = $0 { true } else { nil } }, text: nil)]
        }
        // Every end of every known set splits the domain; between two ends, membership is constant.
        var keys = Set<Key>()
        for cell in column {
            guard case .known(let s) = cell else { continue }
            for i in s.intervals {
                if let lo = i.lo { keys.insert(lo.key) }
                if let hi = i.hi { keys.insert(hi.key) }
            }
        }
        let sorted = keys.sorted()
        var regions: [Interval] = []
        var previous: Bound? = nil
        for k in sorted {
            regions.append(Interval(lo: previous, hi: Bound(key: k, closed: false)))
            regions.append(.point(k))
            previous = Bound(key: k, closed: false)
        }
        regions.append(Interval(lo: previous, hi: nil))
        var groups: [(accepts: [Bool?], value: Value, parts: [Interval])] = []
        var groupOf: [[Bool?]: Int] = [:]
        for region in regions {
            guard let r = domain.makeSet([region]).intervals.first, let k = domain.example(r) else { continue }
            let accepts: [Bool?] = column.map { cell in
                switch cell {
                case .all: true
                case .known(let s): s.contains(k)
                case .unknown: nil
                }
            }
            if let g = groupOf[accepts] {
                groups[g].parts.append(r)
                // Prefer a readable example: a word to the empty string, zero or more to a negative number.
                if Self.readability(domain.value(k)) > Self.readability(groups[g].value) { groups[g].value = domain.value(k) }
            } else {
                groupOf[accepts] = groups.count
                groups.append((accepts, domain.value(k), [r]))
            }
        }
        // String inputs tested only for equality: the leftover case is "none of the named values".
        let equalityOnly = domain.kind == .string && table.rules.allSatisfy { rule in
            guard c < rule.tests.count else { return true }
            switch rule.tests[c].kind {
            case .any: return true
            case .anyOf(let atoms), .not(let atoms):
                return atoms.allSatisfy { atom in
                    switch atom {
                    case .equals: true
                    case .compare(let op, _): op == .eq || op == .ne
                    default: false
                    }
                }
            }
        }
        let name = table.inputs[c].name
        return groups.map { g in
            let set = domain.makeSet(g.parts)
            var text = describe(name, set, domain)
            if equalityOnly, !set.intervals.contains(where: { $0.point != nil }) {
                text = "`\(name)` is none of " + sorted.map(domain.text).joined(separator: ", ")
            }
            return Case(value: g.value, accepts: g.accepts, text: text)
        }
    }

    static func readability(_ v: Value) -> Int {
        switch v {
        case .string(let s): s == "other" ? 2 : s.isEmpty ? 0 : 1
        case .number(let n): n.isNegative ? 0 : 1
        case .money(let m): m.amount.isNegative ? 0 : 1
        case .duration(let d): d.seconds < 0 ? 0 : 1
        default: 1
        }
    }

    /// "`segment` is \"new\"", "`days` is in [0..30]", "`exposure` >= 5000.00 EUR".
    func describe(_ name: String, _ set: KeySet, _ domain: Domain) -> String {
        if set.intervals.allSatisfy({ $0.point != nil }) {
            let points = set.intervals.map { domain.text($0) }
            return "`\(name)` is " + (points.count == 1 ? points[0] : "one of " + points.joined(separator: ", "))
        }
        if set.intervals.count == 1, let only = set.intervals.first, only.lo == nil || only.hi == nil {
            return "`\(name)` \(domain.text(only))"
        }
        return "`\(name)` is in " + set.intervals.map { domain.text($0) }.joined(separator: " or ")
    }

    func gap(in c: Int, _ domain: Domain, _ allCases: [[Case]]) -> Diagnostic? {
        let others = table.inputs.indices.filter { $0 != c }
        let caseLists = others.map { allCases[$0] }
        let combinations = caseLists.reduce(1) { $0 * max(1, $1.count) }
        guard combinations <= Self.maxCombinations else { return nil }
        let name = table.inputs[c].name

        var found: (hole: Interval, example: [Value], context: [Case], everywhere: Bool, more: [Interval])?
        var holesByContext: [[Interval]] = []
        var index = [Int](repeating: 0, count: others.count)
        while true {
            let context = others.indices.map { caseLists[$0][index[$0]] }
            // Rows that may apply under this combination; unknown counts as applying.
            let applicable = table.rules.indices.filter { r in context.allSatisfy { $0.accepts[r] != false } }
            if !applicable.isEmpty {
                var parts: [Interval] = []
                for r in applicable {
                    switch cells[r][c] {
                    case .all, .unknown: parts.append(domain.universe)
                    case .known(let s): parts += s.intervals
                    }
                }
                let covered = domain.makeSet(parts)
                let holes = domain.complement(covered).intervals
                holesByContext.append(holes)
                if found == nil {
                    for (h, hole) in holes.enumerated() {
                        guard let k = domain.example(hole) else { continue }
                        var example = [Value](repeating: .null, count: table.inputs.count)
                        for (o, other) in others.enumerated() { example[other] = context[o].value }
                        example[c] = domain.value(k)
                        let env = environment(example)
                        guard table.rules.allSatisfy({ rowSurelyMisses($0, example, env) }) else { continue }
                        found = (hole, example, context, false, Array(holes[(h + 1)...]))
                        break
                    }
                }
            }
            // Next combination.
            var o = others.count - 1
            while o >= 0 {
                index[o] += 1
                if index[o] < caseLists[o].count { break }
                index[o] = 0
                o -= 1
            }
            if o < 0 { break }
        }
        guard let found else { return nil }
        let everywhere = holesByContext.allSatisfy { $0.contains(found.hole) }
        let when = everywhere ? [] : found.context.compactMap(\.text)
        let range = domain.text(found.hole)
        let what = found.hole.lo != nil && found.hole.hi != nil ? "in \(range)" : range
        var message = "table `\(table.name)` has no row for `\(name)` \(what)"
        if !when.isEmpty { message += " when " + when.joined(separator: " and ") }
        let shown = [c] + (everywhere ? [] : others.indices.filter { found.context[$0].text != nil }.map { others[$0] })
        var notes = ["no row matches, for example, `\(exampleText(shown.sorted(), found.example))`"]
        if !found.more.isEmpty {
            notes.append("`\(name)` is also uncovered for " + Suggest.list(found.more.map { domain.text($0) }, limit: 4))
        }
        return .warning("W0402", message, at: table.span, label: "gap in `\(name)`", notes: notes,
                        help: "add a row for the missing range, or give the outputs a `default`")
    }
}

/// Evaluates the constant expressions of cells: those reading nothing but `policy`, and giving the
/// same value at two different times (so `today()` is not mistaken for a constant).
struct Constants {
    let early: Environment
    let late: Environment

    init(policy: Value) {
        early = Environment(now: Instant(secondsSinceEpoch: 0), values: ["policy": policy])
        late = Environment(now: Instant(secondsSinceEpoch: 1_000_000_000), values: ["policy": policy])
    }

    func value(_ e: Expression) -> Value? {
        guard e.references.allSatisfy({ $0 == "policy" || $0.hasPrefix("policy.") }),
              let a = try? e.evaluate(early), let b = try? e.evaluate(late), a == b, !a.isNull else { return nil }
        return a
    }
}
