import O2CCore
import O2CExpr
import O2CModel

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
    public static func evaluate(_ table: DecisionTable, inputs: [String: Value], env: Environment) throws(DecisionError) -> DecisionResult {
        // The environment for cells is built once per evaluation, not per row.
        var cellEnv = env
        var values = ContiguousArray<Value>()
        values.reserveCapacity(table.inputs.count)
        for input in table.inputs {
            let given = inputs[input.name]
            let v = given ?? .null
            guard input.type.admits(v) else {
                throw .inputType(table: table.name, input: input.name, expected: input.type.description,
                                 found: given == nil ? "nothing" : foundKind(v, expected: input.type))
            }
            cellEnv[input.name] = v
            values.append(v)
        }
        let rules = table.rules

        switch table.hitPolicy {
        case .first:
            for rule in rules where try matches(rule, values, cellEnv) {
                return DecisionResult(table: table.name, inputs: inputs, matchedRows: [rule.number], selectedRows: [rule.number],
                                      value: try single(table, rule, matched: [rule.number], cellEnv))
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: [], selectedRows: [],
                                  value: try single(table, nil, matched: [], cellEnv))

        case .unique:
            var hit: TableRule?
            var matched: [Int] = []
            for rule in rules where try matches(rule, values, cellEnv) {
                if hit == nil { hit = rule }
                matched.append(rule.number)
            }
            if matched.count > 1 { throw .uniqueViolation(table: table.name, rows: matched) }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: matched,
                                  value: try single(table, hit, matched: matched, cellEnv))

        case .any:
            let hits = try matching(rules, values, cellEnv)
            let matched = hits.map { rules[$0].number }
            guard let first = hits.first else {
                return DecisionResult(table: table.name, inputs: inputs, matchedRows: [], selectedRows: [],
                                      value: try single(table, nil, matched: [], cellEnv))
            }
            if hits.count > 1 {
                let expected = try outputs(of: rules[first], cellEnv)
                for i in hits.dropFirst() where try outputs(of: rules[i], cellEnv) != expected {
                    throw .anyConflict(table: table.name, rows: matched)
                }
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: [rules[first].number],
                                  value: try single(table, rules[first], matched: matched, cellEnv))

        case .priority:
            let hits = try matching(rules, values, cellEnv)
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
                                      value: try single(table, nil, matched: [], cellEnv))
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: [rules[best.index].number],
                                  value: object(table.outputs, best.outputs, matched: matched))

        case .collect(nil), .ruleOrder:
            let hits = try matching(rules, values, cellEnv)
            var rows: [(number: Int, outputs: [Value])] = []
            rows.reserveCapacity(hits.count)
            for i in hits { rows.append((rules[i].number, try outputs(of: rules[i], cellEnv))) }
            let numbers = rows.map(\.number)
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: numbers, selectedRows: numbers,
                                  value: multi(table.outputs, rows))

        case .outputOrder:
            let hits = try matching(rules, values, cellEnv)
            var rows: [(number: Int, outputs: [Value], rank: [Int])] = []
            rows.reserveCapacity(hits.count)
            for i in hits {
                let out = try outputs(of: rules[i], cellEnv)
                rows.append((rules[i].number, out, ranks(table.outputs, out)))
            }
            // Insertion sort: stable, and tables match few rows.
            var sorted: [(number: Int, outputs: [Value])] = []
            var sortedRanks: [[Int]] = []
            for row in rows {
                var at = sorted.count
                while at > 0, row.rank.lexicographicallyPrecedes(sortedRanks[at - 1]) { at -= 1 }
                sorted.insert((row.number, row.outputs), at: at)
                sortedRanks.insert(row.rank, at: at)
            }
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: rows.map(\.number),
                                  selectedRows: sorted.map(\.number), value: multi(table.outputs, sorted))

        case .collect(.count?):
            let hits = try matching(rules, values, cellEnv)
            let matched = hits.map { rules[$0].number }
            var object: [String: Value] = Dictionary(minimumCapacity: table.outputs.count + 1)
            for output in table.outputs { object[output.name] = .int(matched.count) }
            object["matched"] = intList(matched)
            return DecisionResult(table: table.name, inputs: inputs, matchedRows: matched, selectedRows: matched, value: .object(object))

        case .collect(let aggregation?):
            let hits = try matching(rules, values, cellEnv)
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

    // MARK: - Matching

    @inline(__always)
    private static func matches(_ rule: TableRule, _ values: ContiguousArray<Value>, _ env: Environment) throws(DecisionError) -> Bool {
        let tests = rule.tests
        let n = min(tests.count, values.count)
        var i = 0
        while i < n {
            let test = tests[i]
            if case .any = test.kind { i += 1; continue }
            do throws(EvalError) {
                if try !test.matches(values[i], env) { return false }
            } catch {
                throw .evaluation(error)
            }
            i += 1
        }
        return true
    }

    /// Indices (into `rules`) of every matching row, in row order.
    private static func matching(_ rules: [TableRule], _ values: ContiguousArray<Value>, _ env: Environment) throws(DecisionError) -> [Int] {
        var hits: [Int] = []
        for i in rules.indices where try matches(rules[i], values, env) { hits.append(i) }
        return hits
    }

    // MARK: - Outputs

    @inline(__always)
    private static func evaluate(_ e: Expression, _ env: Environment) throws(DecisionError) -> Value {
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
    private static func single(_ table: DecisionTable, _ rule: TableRule?, matched: [Int], _ env: Environment) throws(DecisionError) -> Value {
        var object: [String: Value] = Dictionary(minimumCapacity: table.outputs.count + 1)
        for (k, output) in table.outputs.enumerated() {
            if let rule {
                object[output.name] = k < rule.outputs.count ? try evaluate(rule.outputs[k], env) : .null
            } else if let d = output.defaultValue {
                object[output.name] = try evaluate(d, env)
            } else {
                object[output.name] = .null
            }
        }
        object["matched"] = intList(matched)
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

    private static func foundKind(_ v: Value, expected: ExprType) -> String {
        if case .number(let n) = v, expected.unwrapped == .int, !n.isInteger { return "decimal \(n)" }
        return v.kindName
    }
}
