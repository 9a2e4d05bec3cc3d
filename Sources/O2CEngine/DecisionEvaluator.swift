import O2CCore
import O2CExpr
import O2CModel
import Synchronization

/// Evaluates a DMN decision table: the seven hit policies, defaults, and aggregations.
///
/// Pure: the result depends only on the table, the inputs and `env` (which supplies `policy`
/// and `now`). The semantics are documented for analysts in docs/decision-tables.md.
public enum DecisionEvaluator {
    /// Evaluates `table` for `inputs` (table input name → value).
    ///
    /// Every input is checked against its declared type first (a missing input is `null`, which
    /// only an optional input accepts). Cells see `policy`, `now` and every table input by name,
    /// so a cell may compare against another input (`>= limit`).
    ///
    /// Code that evaluates one table many times (the interpreter, the simulator) should `prepare`
    /// it once and call `evaluate(_:inputs:env:)` with the `PreparedTable`: same results, faster.
    /// A table evaluated here more than once is prepared on its second evaluation anyway (see
    /// `RecentTables`), so repeated calls cost little more than the prepared path.
    public static func evaluate(_ table: DecisionTable, inputs: [String: Value], env: Environment) throws(DecisionError) -> DecisionResult {
        if let recent = RecentTables.shared.prepared(table) {
            return try run(table, recent.prepared.rows, bindsInputs: recent.prepared.bindsInputs, inputs: inputs, env: env)
        }
        return try run(table, DirectRows(rules: table.rules, columns: DirectColumns(inputs: table.inputs)), bindsInputs: true, inputs: inputs, env: env)
    }

    /// Evaluates a prepared table: the same result as `evaluate(prepared.table, …)`.
    public static func evaluate(_ prepared: PreparedTable, inputs: [String: Value], env: Environment) throws(DecisionError) -> DecisionResult {
        try run(prepared.table, prepared.rows, bindsInputs: prepared.bindsInputs, inputs: inputs, env: env)
    }

    private static func run<Rows: RowMatcher>(_ table: DecisionTable, _ rows: Rows, bindsInputs: Bool,
                                               inputs: [String: Value], env: Environment) throws(DecisionError) -> DecisionResult {
        // The input values live on the stack: a heap array costs an allocation and a metadata lookup.
        try withUnsafeTemporaryAllocation(of: Value.self, capacity: table.inputs.count) { (buffer) throws(DecisionError) -> DecisionResult in
            buffer.initialize(repeating: .null)
            defer { buffer.deinitialize() }
            return try run(table, rows, bindsInputs: bindsInputs, values: buffer, inputs: inputs, env: env)
        }
    }

    private static func run<Rows: RowMatcher>(_ table: DecisionTable, _ rows: Rows, bindsInputs: Bool, values: UnsafeMutableBufferPointer<Value>,
                                               inputs: [String: Value], env: Environment) throws(DecisionError) -> DecisionResult {
        let columns = rows.columns
        if inputs.count <= 8 {
            // Walking a small dictionary and comparing names is cheaper than hashing each name.
            for (name, v) in inputs {
                let length = name.utf8.count
                for j in 0..<columns.count where columns.length(j) == length && columns.name(j) == name {
                    values[j] = v
                    break
                }
            }
        } else {
            for j in 0..<columns.count { values[j] = inputs[columns.name(j)] ?? .null }
        }
        for j in 0..<columns.count {
            guard columns.admits(j, values[j]) else {
                let input = table.inputs[j]
                throw .inputType(table: table.name, input: input.name, expected: input.type.description,
                                 found: inputs[input.name] == nil ? "nothing" : foundKind(values[j], expected: input.type))
            }
        }
        // The environment for cells is built once per evaluation, and only when a cell or an output
        // may read an input by name (binding names is the costliest step for a small table); else
        // the caller's is used as it is, without a copy.
        if bindsInputs {
            var cellEnv = env
            for j in 0..<columns.count { cellEnv[columns.name(j)] = values[j] }
            return try decide(table, rows, values: values, inputs: inputs, cellEnv)
        }
        return try decide(table, rows, values: values, inputs: inputs, env)
    }

    /// The hit policy, once the inputs are bound.
    private static func decide<Rows: RowMatcher>(_ table: DecisionTable, _ rows: Rows, values: UnsafeMutableBufferPointer<Value>,
                                                  inputs: [String: Value], _ cellEnv: Environment) throws(DecisionError) -> DecisionResult {
        let rules = table.rules
        var bounds = rows.bounds(values)

        switch table.hitPolicy {
        case .first:
            for r in 0..<rows.count where try rows.matches(r, values, cellEnv, &bounds) {
                let (n, list) = rows.only(r, number: rules[r].number)
                if let value = rows.single(r) {
                    return DecisionResult(table: table.name, inputs: inputs, matchedRows: n, selectedRows: n, value: value)
                }
                return DecisionResult(table: table.name, inputs: inputs, matchedRows: n, selectedRows: n,
                                      value: try single(table, rules[r], matched: n, cellEnv, rows.shape, list: list))
            }
            if let value = rows.none {
                return DecisionResult(table: table.name, inputs: inputs, matchedRows: [], selectedRows: [], value: value)
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: [], selectedRows: [],
                                  value: try single(table, nil, matched: [], cellEnv, rows.shape))

        case .unique:
            var hit: Int?
            var matched: [Int] = []
            for r in 0..<rows.count where try rows.matches(r, values, cellEnv, &bounds) {
                if hit == nil { hit = r }
                matched.append(rules[r].number)
            }
            if matched.count > 1 { throw .uniqueViolation(table: table.name, rows: matched) }
            if let hit, let value = rows.single(hit) {
                return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: matched, value: value)
            }
            if hit == nil, let value = rows.none {
                return DecisionResult(table: table.name, inputs: inputs, matchedRows: [], selectedRows: [], value: value)
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: matched,
                                  value: try single(table, hit.map { rules[$0] }, matched: matched, cellEnv, rows.shape))

        case .any:
            let hits = try matching(rows, values, cellEnv, &bounds)
            let matched = hits.map { rules[$0].number }
            guard let first = hits.first else {
                return DecisionResult(table: table.name, inputs: inputs, matchedRows: [], selectedRows: [],
                                      value: try single(table, nil, matched: [], cellEnv, rows.shape))
            }
            if hits.count > 1 {
                let expected = try outputs(of: rules[first], cellEnv)
                for i in hits.dropFirst() where try outputs(of: rules[i], cellEnv) != expected {
                    throw .anyConflict(table: table.name, rows: matched)
                }
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: [rules[first].number],
                                  value: try single(table, rules[first], matched: matched, cellEnv, rows.shape))

        case .priority:
            let hits = try matching(rows, values, cellEnv, &bounds)
            let matched = hits.map { rules[$0].number }
            var best: (index: Int, outputs: [Value], rank: [Int])?
            for i in hits {
                let out = try outputs(of: rules[i], cellEnv)
                let rank = ranks(table.outputs, out)
                // Strictly better only: ties keep the earliest row.
                if best == nil || rank.lexicographicallyPrecedes(best!.rank) { best = (i, out, rank) }
            }
            guard let best else {
                return DecisionResult(table: table.name, inputs: inputs, matchedRows: [], selectedRows: [],
                                      value: try single(table, nil, matched: [], cellEnv, rows.shape))
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: [rules[best.index].number],
                                  value: object(table.outputs, best.outputs, matched: matched))

        case .collect(nil), .ruleOrder:
            let hits = try matching(rows, values, cellEnv, &bounds)
            var results: [(number: Int, outputs: [Value])] = []
            results.reserveCapacity(hits.count)
            for i in hits { results.append((rules[i].number, try outputs(of: rules[i], cellEnv))) }
            let numbers = results.map(\.number)
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: numbers, selectedRows: numbers,
                                  value: multi(table.outputs, results))

        case .outputOrder:
            let hits = try matching(rows, values, cellEnv, &bounds)
            var results: [(number: Int, outputs: [Value], rank: [Int])] = []
            results.reserveCapacity(hits.count)
            for i in hits {
                let out = try outputs(of: rules[i], cellEnv)
                results.append((rules[i].number, out, ranks(table.outputs, out)))
            }
            // Insertion sort: stable, and tables match few rows.
            var sorted: [(number: Int, outputs: [Value])] = []
            var sortedRanks: [[Int]] = []
            for row in results {
                var at = sorted.count
                while at > 0, row.rank.lexicographicallyPrecedes(sortedRanks[at - 1]) { at -= 1 }
                sorted.insert((row.number, row.outputs), at: at)
                sortedRanks.insert(row.rank, at: at)
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: results.map(\.number),
                                  selectedRows: sorted.map(\.number), value: multi(table.outputs, sorted))

        case .collect(.count?):
            let hits = try matching(rows, values, cellEnv, &bounds)
            let matched = hits.map { rules[$0].number }
            var object: [String: Value] = Dictionary(minimumCapacity: table.outputs.count + 1)
            for output in table.outputs { object[output.name] = .int(matched.count) }
            object["matched"] = intList(matched)
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: matched, value: .object(object))

        case .collect(let aggregation?):
            let hits = try matching(rows, values, cellEnv, &bounds)
            let matched = hits.map { rules[$0].number }
            var results: [Value] = []
            results.reserveCapacity(table.outputs.count)
            var perRow: [[Value]] = []
            for i in hits { perRow.append(try outputs(of: rules[i], cellEnv)) }
            for (k, output) in table.outputs.enumerated() {
                var acc: Value = .null
                for (r, i) in hits.enumerated() {
                    let v = perRow[r][k]
                    if v.isNull { continue }
                    if acc.isNull { acc = v; continue }
                    let span = k < rules[i].outputs.count ? rules[i].outputs[k].span : rules[i].span
                    do throws(EvalError) {
                        acc = try combine(aggregation, acc, v, output: output.name, at: span)
                    } catch {
                        throw .evaluation(error)
                    }
                }
                if acc.isNull, let d = output.defaultValue { acc = try evaluate(d, cellEnv) }
                results.append(acc)
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: matched,
                                  value: object(table.outputs, results, matched: matched))
        }
    }

    /// Indices (into the rules) of every matching row, in row order.
    private static func matching<Rows: RowMatcher>(_ rows: Rows, _ values: UnsafeMutableBufferPointer<Value>, _ env: Environment,
                                                   _ bounds: inout CellBounds) throws(DecisionError) -> [Int] {
        var hits: [Int] = []
        for r in 0..<rows.count where try rows.matches(r, values, env, &bounds) { hits.append(r) }
        return hits
    }

    // MARK: - Outputs

    @inline(__always)
    private static func evaluate(_ e: Expression, _ env: Environment) throws(DecisionError) -> Value {
        if let c = e.constantValue { return c }
        do throws(EvalError) {
            return try e.evaluate(env)
        } catch {
            throw .evaluation(error)
        }
    }

    private static func outputs(of rule: TableRule, _ env: Environment) throws(DecisionError) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(rule.outputs.count)
        for e in rule.outputs { out.append(try evaluate(e, env)) }
        return out
    }

    /// The single-hit object: each output from `rule` (or its default when no row matched), plus `matched`.
    fileprivate static func single(_ table: DecisionTable, _ rule: TableRule?, matched: [Int], _ env: Environment,
                               _ shape: ResultShape?, list: Value? = nil) throws(DecisionError) -> Value {
        let outputs = table.outputs
        if let shape {
            // A copy of a prepared object with the slots filled in: no hashing of the output names.
            var object = shape.template
            for k in outputs.indices {
                if let rule {
                    object.values[shape.slots[k]] = k < rule.outputs.count ? try evaluate(rule.outputs[k], env) : .null
                } else if let d = outputs[k].defaultValue {
                    object.values[shape.slots[k]] = try evaluate(d, env)
                }
            }
            object.values[shape.matched] = list ?? intList(matched)
            return .object(object)
        }
        var object: [String: Value] = Dictionary(minimumCapacity: outputs.count + 1)
        // By index, without copying each `TableOutput`: this runs on every evaluation.
        for k in outputs.indices {
            let v: Value
            if let rule {
                v = k < rule.outputs.count ? try evaluate(rule.outputs[k], env) : .null
            } else if let d = outputs[k].defaultValue {
                v = try evaluate(d, env)
            } else {
                v = .null
            }
            object[outputs[k].name] = v
        }
        object["matched"] = list ?? intList(matched)
        return .object(object)
    }

    private static func object(_ outputs: [TableOutput], _ values: [Value], matched: [Int]) -> Value {
        var object: [String: Value] = Dictionary(minimumCapacity: outputs.count + 1)
        for (k, output) in outputs.enumerated() { object[output.name] = k < values.count ? values[k] : .null }
        object["matched"] = intList(matched)
        return .object(object)
    }

    /// The multi-hit object: each output as a list, `rows` as objects, `matched` in the order of `rows`.
    private static func multi(_ outputs: [TableOutput], _ rows: [(number: Int, outputs: [Value])]) -> Value {
        var object: [String: Value] = Dictionary(minimumCapacity: outputs.count + 2)
        var rowObjects: [Value] = []
        rowObjects.reserveCapacity(rows.count)
        for row in rows {
            var o: [String: Value] = Dictionary(minimumCapacity: outputs.count)
            for (k, output) in outputs.enumerated() { o[output.name] = k < row.outputs.count ? row.outputs[k] : .null }
            rowObjects.append(.object(o))
        }
        for (k, output) in outputs.enumerated() {
            object[output.name] = .list(rows.map { k < $0.outputs.count ? $0.outputs[k] : .null })
        }
        object["rows"] = .list(rowObjects)
        object["matched"] = intList(rows.map(\.number))
        return .object(object)
    }

    @inline(__always)
    private static func intList(_ rows: [Int]) -> Value { .list(rows.map { .int($0) }) }

    /// Position of each output value in its output's `values` (lower = higher priority; a value not
    /// listed ranks last). Outputs without `values` do not take part.
    private static func ranks(_ outputs: [TableOutput], _ values: [Value]) -> [Int] {
        var rank: [Int] = []
        rank.reserveCapacity(outputs.count)
        for (k, output) in outputs.enumerated() where !output.values.isEmpty {
            let v = k < values.count ? values[k] : .null
            rank.append(output.values.firstIndex(of: v) ?? output.values.count)
        }
        return rank
    }

    // MARK: - Aggregation

    private static func combine(_ aggregation: HitPolicy.Aggregation, _ a: Value, _ b: Value, output: String,
                                at span: Span) throws(EvalError) -> Value {
        switch aggregation {
        case .sum:
            switch (a, b) {
            case (.number(let x), .number(let y)):
                return .number(try arithmetic({ () throws(ArithmeticError) in try x + y }, output: output, at: span))
            case (.money(let x), .money(let y)):
                guard x.currency == y.currency else {
                    throw EvalError(message: "cannot add \(y) to \(x) in `collect sum` of output `\(output)`: the currencies differ", span: span)
                }
                return .money(Money(try arithmetic({ () throws(ArithmeticError) in try x.amount + y.amount }, output: output, at: span), x.currency))
            case (.duration(let x), .duration(let y)):
                let (s, o) = x.seconds.addingReportingOverflow(y.seconds)
                if o { throw EvalError(message: "`collect sum` of output `\(output)` overflows", span: span) }
                return .duration(Duration(seconds: s))
            default:
                throw EvalError(message: "`collect sum` cannot add \(b.kindName) to \(a.kindName) (output `\(output)`)", span: span)
            }
        case .min, .max:
            guard let order = compare(a, b) else {
                if case (.money(let x), .money(let y)) = (a, b) {
                    throw EvalError(message: "cannot compare \(x) with \(y) in `collect \(aggregation.rawValue)` of output `\(output)`: the currencies differ", span: span)
                }
                throw EvalError(message: "`collect \(aggregation.rawValue)` cannot compare \(a.kindName) with \(b.kindName) (output `\(output)`)", span: span)
            }
            if aggregation == .min { return order > 0 ? b : a }
            return order < 0 ? b : a
        case .count:
            return a // counted elsewhere
        }
    }

    private static func arithmetic(_ f: () throws(ArithmeticError) -> ExactDecimal, output: String, at span: Span) throws(EvalError) -> ExactDecimal {
        do throws(ArithmeticError) {
            return try f()
        } catch {
            throw EvalError(message: "`collect sum` of output `\(output)`: \(error)", span: span)
        }
    }

    /// -1, 0, 1; `nil` when the two values are not comparable.
    private static func compare(_ a: Value, _ b: Value) -> Int? {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x == y ? 0 : 1 }
        switch (a, b) {
        case (.number(let x), .number(let y)): return order(x, y)
        case (.money(let x), .money(let y)): return x.currency == y.currency ? order(x.amount, y.amount) : nil
        case (.date(let x), .date(let y)): return order(x, y)
        case (.datetime(let x), .datetime(let y)): return order(x, y)
        case (.duration(let x), .duration(let y)): return order(x, y)
        case (.string(let x), .string(let y)): return order(x, y)
        default: return nil
        }
    }

    /// `type.admits(v)`, with the scalar types checked without building a tuple of the two enums.
    @inline(__always)
    fileprivate static func admits(_ type: ExprType, _ v: Value) -> Bool {
        switch type {
        case .string: if case .string = v { return true }
        case .money: if case .money = v { return true }
        case .int: if case .number(let n) = v { return n.isInteger }
        case .decimal: if case .number = v { return true }
        case .bool: if case .bool = v { return true }
        case .date: if case .date = v { return true }
        default: return type.admits(v)
        }
        return false
    }

    private static func foundKind(_ v: Value, expected: ExprType) -> String {
        if case .number(let n) = v, expected.unwrapped == .int, !n.isInteger { return "decimal \(n)" }
        return v.kindName
    }
}

// MARK: - Prepared tables

/// A decision table made ready to evaluate many times: the cells that are not `-` compiled per row
/// (with bounds that read only `policy` computed once per policy object, see `PreparedCells`),
/// the single-hit result of every row whose outputs are constants built once, the input columns
/// laid out for binding, and the knowledge of whether any cell or output reads an input by name
/// (when none does, inputs are not bound into the environment at all).
///
/// Prepare once per loaded library (tables are immutable) and evaluate as often as needed; the
/// results are exactly those of `DecisionEvaluator.evaluate(table, …)`.
public struct PreparedTable: Sendable {
    public let table: DecisionTable
    /// Some cell or output expression reads a table input by name (`>= limit`, `exposure * 0.1`).
    let bindsInputs: Bool
    let rows: PreparedRows

    public init(_ table: DecisionTable) {
        self.table = table
        let inputNames = Set(table.inputs.map(\.name))
        var binds = false
        func reads(_ e: Expression) {
            if !binds, e.references.contains(where: { inputNames.contains(String($0.prefix { $0 != "." })) }) { binds = true }
        }
        for rule in table.rules {
            for (i, test) in rule.tests.enumerated() where i < table.inputs.count {
                let atoms: [UnaryTest.Atom]
                switch test.kind {
                case .any: continue
                case .anyOf(let a), .not(let a): atoms = a
                }
                for atom in atoms {
                    switch atom {
                    case .equals(let e), .compare(_, let e), .predicate(let e): reads(e)
                    case .range(let low, _, let high, _): reads(low); reads(high)
                    }
                }
            }
            rule.outputs.forEach(reads)
        }
        table.outputs.compactMap(\.defaultValue).forEach(reads)
        bindsInputs = binds

        let shape = ResultShape(table.outputs)
        let numbers = table.rules.map { ([$0.number], Value.list([.int($0.number)])) }
        // Constant outputs cannot fail or read the environment: the result of such a row (or of no
        // row, when every default is constant) is the same object every time.
        let constants = Environment(now: Instant(secondsSinceEpoch: 0))
        let singles: [Value?] = table.rules.indices.map { r in
            let rule = table.rules[r]
            guard rule.outputs.allSatisfy({ $0.constantValue != nil }) else { return nil }
            return try? DecisionEvaluator.single(table, rule, matched: numbers[r].0, constants, shape, list: numbers[r].1)
        }
        let none: Value? = table.outputs.allSatisfy({ $0.defaultValue == nil || $0.defaultValue?.constantValue != nil })
            ? try? DecisionEvaluator.single(table, nil, matched: [], constants, shape) : nil
        rows = PreparedRows(cells: PreparedCells(table.rules.map(\.tests), inputs: table.inputs.count),
                            columns: PreparedColumns(table.inputs), shape: shape, numbers: numbers, singles: singles, none: none)
    }
}

extension DecisionEvaluator {
    /// Prepares `table` for evaluating many times (see `PreparedTable`).
    public static func prepare(_ table: DecisionTable) -> PreparedTable { PreparedTable(table) }
}

/// The last few tables evaluated unprepared, prepared from their second evaluation on.
///
/// A table is recognized by the storage of its `rules`, `inputs` and `outputs` arrays (plus its
/// name and hit policy), not by comparing contents: this list holds those arrays, so equal storage
/// means the same, unmodified arrays (a changed copy gets storage of its own). Evaluation reads
/// nothing else of the table. The first evaluation of a table is not prepared: one-off calls
/// (`o2c decide`) would pay for preparing every cell to evaluate a few.
final class RecentTables: Sendable {
    static let shared = RecentTables()
    static let capacity = 8

    final class Prepared: Sendable {
        let prepared: PreparedTable
        init(_ table: DecisionTable) { prepared = PreparedTable(table) }
    }

    private struct Entry: Sendable {
        let table: DecisionTable
        var prepared: Prepared?
    }

    private let entries = Mutex<[Entry]>([])

    /// The prepared table when `table` was evaluated before; `nil` (and noted) the first time.
    func prepared(_ table: DecisionTable) -> Prepared? {
        entries.withLock { entries in
            guard let i = entries.firstIndex(where: { Self.same($0.table, table) }) else {
                if entries.count == Self.capacity { entries.removeFirst() }
                entries.append(Entry(table: table, prepared: nil))
                return nil
            }
            if let p = entries[i].prepared { return p }
            let p = Prepared(entries[i].table)
            entries[i].prepared = p
            return p
        }
    }

    private static func same(_ a: DecisionTable, _ b: DecisionTable) -> Bool {
        same(a.rules, b.rules) && same(a.inputs, b.inputs) && same(a.outputs, b.outputs) && a.hitPolicy == b.hitPolicy && a.name == b.name
    }

    /// Whether both arrays use one buffer; never when an array is not a single reference.
    @inline(__always)
    private static func same<T>(_ a: [T], _ b: [T]) -> Bool {
        guard MemoryLayout<[T]>.size == MemoryLayout<UInt>.size else { return false }
        return withUnsafeBytes(of: a) { $0.load(as: UInt.self) } == withUnsafeBytes(of: b) { $0.load(as: UInt.self) }
    }
}

// MARK: - Row matching

/// The table's input columns, as the binding loop reads them.
protocol InputColumns {
    var count: Int { get }
    func name(_ j: Int) -> String
    /// `name(j).utf8.count`.
    func length(_ j: Int) -> Int
    /// `DecisionEvaluator.admits(inputs[j].type, v)`.
    func admits(_ j: Int, _ v: Value) -> Bool
}

/// Tests whether row `r` matches; the hit-policy logic is generic over how.
protocol RowMatcher {
    associatedtype Columns: InputColumns
    var count: Int { get }
    var columns: Columns { get }
    /// The single-hit result object, prepared; `nil` to build it from the table.
    var shape: ResultShape? { get }
    /// `[number]` and its `.list` value, for a single matching row `r`.
    func only(_ r: Int, number: Int) -> ([Int], Value)
    /// The single-hit result when row `r` alone matched, if built in advance.
    func single(_ r: Int) -> Value?
    /// The single-hit result when no row matched, if built in advance.
    var none: Value? { get }
    /// The per-evaluation state of the cells, once the inputs are bound.
    func bounds(_ values: UnsafeMutableBufferPointer<Value>) -> CellBounds
    func matches(_ r: Int, _ values: UnsafeMutableBufferPointer<Value>, _ env: Environment,
                 _ bounds: inout CellBounds) throws(DecisionError) -> Bool
}

struct DirectColumns: InputColumns {
    let inputs: [TableInput]
    var count: Int { inputs.count }
    @inline(__always) func name(_ j: Int) -> String { inputs[j].name }
    @inline(__always) func length(_ j: Int) -> Int { inputs[j].name.utf8.count }
    @inline(__always) func admits(_ j: Int, _ v: Value) -> Bool { DecisionEvaluator.admits(inputs[j].type, v) }
}

/// The rows of a table as loaded: each cell through `UnaryTest.matches`.
struct DirectRows: RowMatcher {
    let rules: [TableRule]
    let columns: DirectColumns
    var count: Int { rules.count }
    var shape: ResultShape? { nil }
    func only(_ r: Int, number: Int) -> ([Int], Value) { ([number], .list([.int(number)])) }
    func single(_ r: Int) -> Value? { nil }
    var none: Value? { nil }
    func bounds(_ values: UnsafeMutableBufferPointer<Value>) -> CellBounds { CellBounds() }

    @inline(__always)
    func matches(_ r: Int, _ values: UnsafeMutableBufferPointer<Value>, _ env: Environment,
                 _ bounds: inout CellBounds) throws(DecisionError) -> Bool {
        let tests = rules[r].tests
        let n = min(tests.count, values.count)
        var i = 0
        while i < n {
            if case .any = tests[i].kind { i += 1; continue }
            do throws(EvalError) {
                if try !tests[i].matches(values[i], env) { return false }
            } catch {
                throw .evaluation(error)
            }
            i += 1
        }
        return true
    }
}

/// Input columns without `TableInput` copies: names, their lengths and the scalar types as flags.
struct PreparedColumns: InputColumns, Sendable {
    enum Kind: Sendable { case string, money, int, decimal, bool, date, other }
    let names: [String]
    let lengths: [Int]
    let kinds: [Kind]
    let types: [ExprType]

    init(_ inputs: [TableInput]) {
        names = inputs.map(\.name)
        lengths = names.map(\.utf8.count)
        types = inputs.map(\.type)
        kinds = types.map { t in
            switch t {
            case .string: .string
            case .money: .money
            case .int: .int
            case .decimal: .decimal
            case .bool: .bool
            case .date: .date
            default: .other
            }
        }
    }

    var count: Int { names.count }
    @inline(__always) func name(_ j: Int) -> String { names[j] }
    @inline(__always) func length(_ j: Int) -> Int { lengths[j] }

    /// As `DecisionEvaluator.admits`.
    @inline(__always)
    func admits(_ j: Int, _ v: Value) -> Bool {
        switch kinds[j] {
        case .string: if case .string = v { return true }
        case .money: if case .money = v { return true }
        case .int: if case .number(let n) = v { return n.isInteger }
        case .decimal: if case .number = v { return true }
        case .bool: if case .bool = v { return true }
        case .date: if case .date = v { return true }
        case .other: return types[j].admits(v)
        }
        return false
    }
}

/// The rows of a `PreparedTable`: only the cells that are not `-`.
struct PreparedRows: RowMatcher, Sendable {
    let cells: PreparedCells
    let columns: PreparedColumns
    let shape: ResultShape?
    /// Per row, `[number]` and `.list([number])`, built once: the common single match allocates nothing.
    let numbers: [([Int], Value)]
    let singles: [Value?]
    let none: Value?
    var count: Int { cells.count }
    func only(_ r: Int, number: Int) -> ([Int], Value) { numbers[r] }
    func single(_ r: Int) -> Value? { singles[r] }
    func bounds(_ values: UnsafeMutableBufferPointer<Value>) -> CellBounds { cells.start(values) }

    @inline(__always)
    func matches(_ r: Int, _ values: UnsafeMutableBufferPointer<Value>, _ env: Environment,
                 _ bounds: inout CellBounds) throws(DecisionError) -> Bool {
        do throws(EvalError) {
            return try cells.matches(r, values, env, &bounds)
        } catch {
            throw .evaluation(error)
        }
    }
}

/// The single-hit result object of a table with every output `null`, and where each output sits
/// in it; evaluation copies it and fills the slots.
struct ResultShape: Sendable {
    let template: [String: Value]
    let slots: [Dictionary<String, Value>.Index]
    let matched: Dictionary<String, Value>.Index

    init?(_ outputs: [TableOutput]) {
        var template: [String: Value] = Dictionary(minimumCapacity: outputs.count + 1)
        for o in outputs { template[o.name] = .null }
        template["matched"] = .list([])
        // An output named `matched` would make two fields one; build such objects the slow way.
        guard template.count == outputs.count + 1 else { return nil }
        self.template = template
        slots = outputs.map { template.index(forKey: $0.name)! }
        matched = template.index(forKey: "matched")!
    }
}
