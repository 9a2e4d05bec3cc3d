import Testing
import O2CCore
import O2CExpr
import O2CModel
import O2CEngine

/// Builds decision tables the way the loader does: cells compiled with a scope of `policy` and the inputs.
enum Tables {
    static let file = "rules/test.yaml"
    static let eur = Currency("EUR")!

    static func eur(_ amount: String) -> Value { .money(Money(ExactDecimal(amount)!, eur)) }

    static let policy: Value = .object([
        "new_customer_limit": eur("5000"),
        "standard_limit": eur("25000"),
        "max_overdue_days": .int(30),
        "zero": .int(0),
        "watched": .list([.string("new"), .string("on_watch")]),
    ])
    static let policyType: ExprType = .object(ObjectType([
        .init(name: "new_customer_limit", type: .money),
        .init(name: "standard_limit", type: .money),
        .init(name: "max_overdue_days", type: .int),
        .init(name: "zero", type: .int),
        .init(name: "watched", type: .list(.string)),
    ]))
    static let env = Environment(now: Instant(parsing: "2026-01-15T10:00:00Z")!, values: ["policy": policy])

    struct Output {
        var name: String
        var type: ExprType
        var values: [String] = []
        var defaultValue: String?
    }

    static func span(line: Int, column: Int = 5, length: Int = 10) -> Span {
        Span(file: file, line: line, column: column, length: length)
    }

    /// Row `i` (1-based) sits on line `10 + i`.
    static func table(_ name: String = "t", hit: HitPolicy, inputs: [(String, ExprType)], outputs: [Output],
                      rows: [([String: String], [String: String])]) -> DecisionTable {
        var scope = TypeScope([("policy", policyType)])
        var tableInputs: [TableInput] = []
        for (k, (n, t)) in inputs.enumerated() {
            scope = scope.adding(n, t)
            tableInputs.append(TableInput(name: n, type: t, span: span(line: 4 + k, column: 3)))
        }
        let constEnv = Environment(now: Instant(secondsSinceEpoch: 0))
        var tableOutputs: [TableOutput] = []
        for (k, o) in outputs.enumerated() {
            let values = o.values.compactMap { v -> Value? in
                guard let e = outputCell(v, o.type, scope, span(line: 7 + k)) else { return nil }
                return try? e.evaluate(constEnv)
            }
            let d = o.defaultValue.flatMap { outputCell($0, o.type, scope, span(line: 7 + k)) }
            tableOutputs.append(TableOutput(name: o.name, type: o.type, values: values, defaultValue: d, span: span(line: 7 + k, column: 3)))
        }
        var rules: [TableRule] = []
        for (i, (when, then)) in rows.enumerated() {
            let line = 11 + i
            let tests = inputs.map { (n, t) -> UnaryTest in
                let cell = when[n] ?? "-"
                let (test, ds) = UnaryTest.compile(cell, at: span(line: line, column: 14, length: cell.count), inputType: t, scope: scope)
                guard let test, !ds.hasErrors else {
                    Issue.record("cell `\(cell)` does not compile: \(ds.map(\.message))")
                    return UnaryTest.compile("-", at: span(line: line), inputType: t, scope: scope).0!
                }
                return test
            }
            let cells = tableOutputs.map { o -> Expression in
                if let text = then[o.name], let e = outputCell(text, o.type, scope, span(line: line, column: 40, length: text.count)) { return e }
                return o.defaultValue ?? Expression.constant(.null, type: .optional(o.type.unwrapped), at: span(line: line))
            }
            rules.append(TableRule(number: i + 1, span: span(line: line, column: 5, length: 60), tests: tests, outputs: cells))
        }
        return DecisionTable(name: name, description: "", file: file, span: span(line: 1, column: 11, length: name.count), hitPolicy: hit,
                             inputs: tableInputs, outputs: tableOutputs, rules: rules)
    }

    static func outputCell(_ text: String, _ type: ExprType, _ scope: TypeScope, _ span: Span) -> Expression? {
        let (e, ds) = Expression.compileOutputCell(text, at: span, outputType: type, scope: scope)
        if e == nil || ds.hasErrors { Issue.record("output `\(text)` does not compile: \(ds.map(\.message))") }
        return e
    }

    /// The credit table of docs/decision-tables.md.
    static func credit(hit: HitPolicy = .first) -> DecisionTable {
        table("credit_limit", hit: hit,
              inputs: [("segment", .string), ("exposure", .money), ("oldest_overdue_days", .int)],
              outputs: [Output(name: "decision", type: .string, values: ["reject", "review", "approve"], defaultValue: "review"),
                        Output(name: "reason", type: .string)],
              rows: [
                  (["segment": "blocked"], ["decision": "reject", "reason": "customer is blocked"]),
                  (["segment": "new, on_watch", "exposure": "> policy.new_customer_limit"],
                   ["decision": "review", "reason": "over the new-customer limit"]),
                  (["exposure": "[0 EUR..policy.standard_limit]", "oldest_overdue_days": "<= policy.max_overdue_days"],
                   ["decision": "approve", "reason": "within limit"]),
              ])
    }

    static func creditInputs(_ segment: String, _ exposure: String, _ days: Int) -> [String: Value] {
        ["segment": .string(segment), "exposure": eur(exposure), "oldest_overdue_days": .int(days)]
    }
}

extension Value {
    var fields: [String: Value] { if case .object(let o) = self { o } else { [:] } }
}

func ints(_ n: [Int]) -> Value { .list(n.map { .int($0) }) }

/// Evaluates through both paths (`DecisionTable` and `PreparedTable`), which must agree exactly.
func decide(_ table: DecisionTable, _ inputs: [String: Value], env: Environment = Tables.env) throws(DecisionError) -> DecisionResult {
    let direct: Result<DecisionResult, DecisionError>
    do { direct = .success(try DecisionEvaluator.evaluate(table, inputs: inputs, env: env)) } catch { direct = .failure(error) }
    let prepared: Result<DecisionResult, DecisionError>
    do { prepared = .success(try DecisionEvaluator.evaluate(DecisionEvaluator.prepare(table), inputs: inputs, env: env)) } catch { prepared = .failure(error) }
    #expect(direct == prepared, "direct and prepared evaluation differ")
    return try direct.get()
}

@Suite struct DecisionEvaluatorTests {
    // MARK: first, with policy-reading cells and defaults

    @Test("first: the first matching row decides; defaults when none matches", arguments: [
        ("blocked", "100", 0, "reject", "customer is blocked", [1]),
        ("new", "6000", 0, "review", "over the new-customer limit", [2]),
        ("on_watch", "5000", 0, "approve", "within limit", [3]),        // 5000 is not > policy.new_customer_limit
        ("new", "4000", 0, "approve", "within limit", [3]),
        ("standard", "25000", 30, "approve", "within limit", [3]),     // both ends of the range are inclusive
        ("standard", "25000.01", 0, "review", nil, []),                // default for decision, null reason
        ("standard", "1000", 31, "review", nil, []),
        ("standard", "-1", 0, "review", nil, []),
    ] as [(String, String, Int, String, String?, [Int])])
    func first(segment: String, exposure: String, days: Int, decision: String, reason: String?, matched: [Int]) throws {
        let table = Tables.credit()
        let inputs = Tables.creditInputs(segment, exposure, days)
        let r = try decide(table, inputs)
        #expect(r.table == "credit_limit")
        #expect(r.inputs == inputs)
        #expect(r.matchedRows == matched)
        #expect(r.selectedRows == matched)
        #expect(r.value == .object(["decision": .string(decision), "reason": reason.map(Value.string) ?? .null, "matched": ints(matched)]))
        #expect(table.resultType.admits(r.value))
    }

    @Test("first stops at the first match: later cells are not evaluated")
    func firstShortCircuits() throws {
        let table = Tables.table(hit: .first, inputs: [("x", .int)], outputs: [.init(name: "out", type: .string)], rows: [
            (["x": "< 10"], ["out": "small"]),
            (["x": "> 1 / policy.zero"], ["out": "never"]),
        ])
        let r = try decide(table, ["x": .int(3)])
        #expect(r.value.fields["out"] == .string("small"))
        #expect(throws: DecisionError.self) { try decide(table, ["x": .int(30)]) }
        let ruleOrder = Tables.table(hit: .ruleOrder, inputs: [("x", .int)], outputs: [.init(name: "out", type: .string)], rows: [
            (["x": "< 10"], ["out": "small"]),
            (["x": "> 1 / policy.zero"], ["out": "never"]),
        ])
        do {
            _ = try decide(ruleOrder, ["x": .int(3)])
            Issue.record("expected an evaluation error")
        } catch {
            guard case .evaluation(let e) = error else { Issue.record("unexpected \(error)"); return }
            #expect(e.span.line == 12)
        }
    }

    @Test("a cell may compare with another input")
    func cellReadsAnotherInput() throws {
        let table = Tables.table(hit: .first, inputs: [("limit", .money), ("exposure", .money)],
                                 outputs: [.init(name: "over", type: .bool, defaultValue: "false"),
                                           .init(name: "by", type: .money, defaultValue: "0 EUR")],
                                 rows: [(["exposure": "> limit"], ["over": "true", "by": "exposure - limit"])])
        let over = try decide(table, ["limit": Tables.eur("100"), "exposure": Tables.eur("100.01")])
        let within = try decide(table, ["limit": Tables.eur("100"), "exposure": Tables.eur("100")])
        #expect(over.value.fields["over"] == .bool(true))
        #expect(over.value.fields["by"] == Tables.eur("0.01"))
        #expect(within.value.fields["over"] == .bool(false))
        #expect(within.matchedRows.isEmpty)
        // Only an output reads an input: the prepared table must still bind it.
        let outputOnly = Tables.table(hit: .first, inputs: [("exposure", .money)], outputs: [.init(name: "fee", type: .money)],
                                      rows: [([:], ["fee": "exposure * 0.01"])])
        #expect(try decide(outputOnly, ["exposure": Tables.eur("1234")]).value.fields["fee"] == Tables.eur("12.34"))
    }

    // MARK: cells

    static let usd = Value.money(Money(1, Currency("USD")!))

    @Test("cells match as UnaryTest.matches does, on both paths (nil: an evaluation error)", arguments: [
        ("< 5000 EUR", ExprType.money, Tables.eur("4999.99"), true as Bool?),
        ("< 5000 EUR", .money, Tables.eur("5000"), false),
        ("< 5000 EUR", .money, usd, nil),
        ("[policy.new_customer_limit..policy.standard_limit)", .money, Tables.eur("5000"), true),
        ("[policy.new_customer_limit..policy.standard_limit)", .money, Tables.eur("25000"), false),
        ("[policy.new_customer_limit..policy.standard_limit)", .money, usd, nil),
        ("(0..10]", .int, .int(0), false),
        ("(0..10]", .int, .int(10), true),
        ("(0..10]", .optional(.int), .null, false),
        ("< 5", .optional(.int), .null, false),
        ("!= 5", .optional(.int), .null, true),
        ("= policy.max_overdue_days", .int, .int(30), true),
        ("<= policy.max_overdue_days", .int, .int(31), false),
        ("not(new, blocked)", .string, .string("new"), false),
        ("not(new, blocked)", .string, .string("standard"), true),
        ("new, on_watch", .string, .string("on_watch"), true),
        ("policy.watched", .string, .string("on_watch"), true),
        ("policy.watched", .string, .string("standard"), false),
        ("not(policy.watched)", .string, .string("standard"), true),
        ("< \"m\"", .string, .string("apple"), true),
        ("> 2026-01-01", .date, .date(Day(parsing: "2026-01-02")!), true),
        (">= 7d, < 0s", .duration, .duration(.days(3)), false),
        ("? > 5 and ? < 10", .int, .int(7), true),
        ("? > 5 and ? < 10", .int, .int(10), false),
        ("> 1 / policy.zero", .decimal, .number(1), nil),
    ])
    func cells(cell: String, type: ExprType, value: Value, expected: Bool?) {
        let table = Tables.table(hit: .first, inputs: [("x", type)], outputs: [.init(name: "out", type: .string)], rows: [(["x": cell], ["out": "hit"])])
        do {
            let r = try decide(table, ["x": value])
            #expect(r.matchedRows == (expected == true ? [1] : []), "\(cell) with \(value)")
            #expect(expected != nil, "\(cell) with \(value) should fail")
        } catch {
            #expect(expected == nil, "\(cell) with \(value): \(error)")
        }
    }

    // MARK: unique

    static let uniqueTable = Tables.table(hit: .unique, inputs: [("days", .int)], outputs: [.init(name: "band", type: .string)], rows: [
        (["days": "< 10"], ["band": "early"]),
        (["days": "[5..20]"], ["band": "middle"]),
        (["days": "> 30"], ["band": "late"]),
    ])

    @Test("unique: one match, or none (null output)", arguments: [
        (2, Value.string("early"), [1]),
        (15, .string("middle"), [2]),
        (31, .string("late"), [3]),
        (25, .null, []),
    ])
    func unique(days: Int, band: Value, matched: [Int]) throws {
        let r = try decide(Self.uniqueTable, ["days": .int(days)])
        #expect(r.value == .object(["band": band, "matched": ints(matched)]))
        #expect(r.selectedRows == matched)
        #expect(Self.uniqueTable.resultType.admits(r.value))
    }

    @Test("unique: two matching rows are an error naming them")
    func uniqueViolation() {
        #expect(throws: DecisionError.uniqueViolation(table: "t", rows: [1, 2])) {
            try decide(Self.uniqueTable, ["days": .int(7)])
        }
    }

    // MARK: priority

    static let priorityTable = Tables.table(hit: .priority, inputs: [("amount", .decimal)], outputs: [
        .init(name: "decision", type: .string, values: ["reject", "review", "approve"]),
        .init(name: "level", type: .int, values: ["3", "2", "1"]),
        .init(name: "why", type: .string),
    ], rows: [
        (["amount": "> 0"], ["decision": "approve", "level": "1", "why": "positive"]),
        (["amount": "> 100"], ["decision": "review", "level": "1", "why": "large"]),
        (["amount": "> 100"], ["decision": "review", "level": "2", "why": "large, level 2"]),
        (["amount": "> 100"], ["decision": "review", "level": "2", "why": "large, level 2 again"]),
        (["amount": "> 1000"], ["decision": "reject", "level": "1", "why": "huge"]),
        (["amount": "< 0"], ["decision": "review", "level": "3", "why": "negative"]),
    ])

    @Test("priority: highest-ranked output wins; the next output breaks ties; full ties go to the earliest row", arguments: [
        ("50", [1], 1, "positive"),
        ("500", [1, 2, 3, 4], 3, "large, level 2"),   // review beats approve; level 2 beats level 1; rows 3 and 4 tie → 3
        ("5000", [1, 2, 3, 4, 5], 5, "huge"),
        ("-5", [6], 6, "negative"),
    ])
    func priority(amount: String, matched: [Int], selected: Int, why: String) throws {
        let r = try decide(Self.priorityTable, ["amount": .number(ExactDecimal(amount)!)])
        #expect(r.matchedRows == matched)
        #expect(r.selectedRows == [selected])
        #expect(r.value.fields["why"] == .string(why))
        #expect(r.value.fields["matched"] == ints(matched))
        #expect(Self.priorityTable.resultType.admits(r.value))
    }

    @Test("priority: no match gives nulls")
    func priorityNone() throws {
        let r = try decide(Self.priorityTable, ["amount": .number(0)])
        #expect(r.value == .object(["decision": .null, "level": .null, "why": .null, "matched": ints([])]))
    }

    // MARK: any

    static let anyTable = Tables.table(hit: .any, inputs: [("x", .int)], outputs: [.init(name: "size", type: .string)], rows: [
        (["x": "< 10"], ["size": "low"]),
        (["x": "< 5"], ["size": "low"]),
        (["x": "> 8"], ["size": "high"]),
    ])

    @Test("any: agreeing matches give their output", arguments: [
        (3, Value.string("low"), [1, 2], [1]),
        (20, .string("high"), [3], [3]),
        (7, .string("low"), [1], [1]),
    ])
    func any(x: Int, size: Value, matched: [Int], selected: [Int]) throws {
        let r = try decide(Self.anyTable, ["x": .int(x)])
        #expect(r.value == .object(["size": size, "matched": ints(matched)]))
        #expect(r.matchedRows == matched)
        #expect(r.selectedRows == selected)
    }

    @Test("any: disagreeing matches are a conflict")
    func anyConflict() {
        #expect(throws: DecisionError.anyConflict(table: "t", rows: [1, 3])) {
            try decide(Self.anyTable, ["x": .int(9)])
        }
    }

    // MARK: multi-hit

    static func feeTable(_ hit: HitPolicy) -> DecisionTable {
        Tables.table("fees", hit: hit, inputs: [("amount", .money)], outputs: [
            .init(name: "code", type: .string, values: ["c", "b", "a"]),
            .init(name: "fee", type: .money),
        ], rows: [
            (["amount": "> 0 EUR"], ["code": "a", "fee": "1 EUR"]),
            (["amount": "> 100 EUR"], ["code": "b", "fee": "2.50 EUR"]),
            (["amount": "> 1000 EUR"], ["code": "c", "fee": "10 EUR"]),
            ([:], ["code": "a", "fee": "0.50 EUR"]),
        ])
    }

    @Test("collect, rule order and output order list every match", arguments: [
        (HitPolicy.collect(nil), "500", ["a", "b", "a"], ["1", "2.50", "0.50"], [1, 2, 4]),
        (.ruleOrder, "500", ["a", "b", "a"], ["1", "2.50", "0.50"], [1, 2, 4]),
        (.outputOrder, "500", ["b", "a", "a"], ["2.50", "1", "0.50"], [2, 1, 4]),
        (.outputOrder, "5000", ["c", "b", "a", "a"], ["10", "2.50", "1", "0.50"], [3, 2, 1, 4]),
        (.ruleOrder, "-1", ["a"], ["0.50"], [4]),
    ])
    func multiHit(hit: HitPolicy, amount: String, codes: [String], fees: [String], order: [Int]) throws {
        let table = Self.feeTable(hit)
        let r = try decide(table, ["amount": Tables.eur(amount)])
        let rows: [Value] = zip(codes, fees).map { .object(["code": .string($0), "fee": Tables.eur($1)]) }
        #expect(r.value == .object([
            "code": .list(codes.map(Value.string)), "fee": .list(fees.map(Tables.eur)), "rows": .list(rows), "matched": ints(order),
        ]))
        #expect(r.matchedRows == order.sorted())
        #expect(r.selectedRows == order)
        #expect(table.resultType.admits(r.value))
    }

    static func pointsTable(_ hit: HitPolicy) -> DecisionTable {
        Tables.table("points", hit: hit, inputs: [("amount", .money)], outputs: [
            .init(name: "fee", type: .money),
            .init(name: "points", type: .int),
        ], rows: [
            (["amount": "> 0 EUR"], ["fee": "1 EUR", "points": "5"]),
            (["amount": "> 100 EUR"], ["fee": "2.50 EUR", "points": "-2"]),
            (["amount": "> 1000 EUR"], ["fee": "10 EUR", "points": "7"]),
            ([:], ["fee": "0.50 EUR", "points": "1"]),
        ])
    }

    @Test("collect with an aggregation", arguments: [
        (HitPolicy.Aggregation.sum, "500", Tables.eur("4.00"), Value.int(4), [1, 2, 4]),
        (.sum, "5000", Tables.eur("14.00"), .int(11), [1, 2, 3, 4]),
        (.min, "500", Tables.eur("0.50"), .int(-2), [1, 2, 4]),
        (.max, "500", Tables.eur("2.50"), .int(5), [1, 2, 4]),
        (.max, "-3", Tables.eur("0.50"), .int(1), [4]),
        (.count, "500", .int(3), .int(3), [1, 2, 4]),
        (.count, "5000", .int(4), .int(4), [1, 2, 3, 4]),
    ])
    func aggregation(_ aggregation: HitPolicy.Aggregation, amount: String, fee: Value, points: Value, matched: [Int]) throws {
        let table = Self.pointsTable(.collect(aggregation))
        let r = try decide(table, ["amount": Tables.eur(amount)])
        #expect(r.value == .object(["fee": fee, "points": points, "matched": ints(matched)]))
        #expect(r.matchedRows == matched)
        #expect(table.resultType.admits(r.value))
    }

    @Test("an aggregation over no rows is the default, or null")
    func aggregationOfNothing() throws {
        let table = Tables.table(hit: .collect(.sum), inputs: [("x", .int)], outputs: [
            .init(name: "total", type: .money, defaultValue: "0 EUR"),
            .init(name: "count", type: .int),
        ], rows: [(["x": "> 0"], ["total": "1 EUR", "count": "1"])])
        let r = try decide(table, ["x": .int(0)])
        #expect(r.value == .object(["total": Tables.eur("0"), "count": .null, "matched": ints([])]))
        let count = Tables.table(hit: .collect(.count), inputs: [("x", .int)], outputs: [.init(name: "n", type: .int)],
                                 rows: [(["x": "> 0"], ["n": "1"])])
        #expect(try decide(count, ["x": .int(0)]).value == .object(["n": .int(0), "matched": ints([])]))
    }

    @Test("collect sum refuses to add two currencies")
    func sumCurrencies() {
        let table = Tables.table(hit: .collect(.sum), inputs: [("x", .int)], outputs: [.init(name: "fee", type: .money)], rows: [
            ([:], ["fee": "1 EUR"]),
            ([:], ["fee": "1 USD"]),
        ])
        #expect(throws: DecisionError.self) { try decide(table, ["x": .int(0)]) }
    }

    // MARK: shape and inputs

    static let allPolicies: [HitPolicy] = [.unique, .first, .priority, .any, .collect(nil), .collect(.sum), .collect(.min),
                                           .collect(.max), .collect(.count), .ruleOrder, .outputOrder]

    @Test("the result always has the shape of DecisionTable.resultType", arguments: allPolicies)
    func resultShape(hit: HitPolicy) throws {
        let table = Tables.table(hit: hit, inputs: [("x", .int)], outputs: [
            .init(name: "level", type: .int, values: ["3", "2", "1"]),
            .init(name: "amount", type: .money, defaultValue: "0 EUR"),
        ], rows: [
            (["x": "[0..10]"], ["level": "1", "amount": "5 EUR"]),
            (["x": "> 20"], ["level": "2", "amount": "7 EUR"]),
            (["x": "> 20"], ["level": "2", "amount": "7 EUR"]),
        ])
        for x in [5, 15, 25] where !(hit == .unique && x == 25) {
            let r = try decide(table, ["x": .int(x)])
            #expect(table.resultType.admits(r.value), "x = \(x): \(r.value) is not a \(table.resultType)")
            #expect(Set(r.value.fields.keys) == Set(names(table.resultType)))
        }
    }

    func names(_ t: ExprType) -> [String] { if case .object(let o) = t { o.names } else { [] } }

    @Test("inputs are checked against their types", arguments: [
        (["segment": .string("new"), "exposure": .number(5), "oldest_overdue_days": .int(1)] as [String: Value], "exposure", "money", "number"),
        (["segment": .string("new"), "exposure": Tables.eur("5")], "oldest_overdue_days", "int", "nothing"),
        (["segment": .string("new"), "exposure": Tables.eur("5"), "oldest_overdue_days": .number(ExactDecimal("1.5")!)],
         "oldest_overdue_days", "int", "decimal 1.5"),
        (["segment": .null, "exposure": Tables.eur("5"), "oldest_overdue_days": .int(1)], "segment", "string", "null"),
    ])
    func inputTypes(inputs: [String: Value], input: String, expected: String, found: String) {
        #expect(throws: DecisionError.inputType(table: "credit_limit", input: input, expected: expected, found: found)) {
            try decide(Tables.credit(), inputs)
        }
    }

    @Test("an optional input accepts null and a missing value")
    func optionalInput() throws {
        let table = Tables.table(hit: .first, inputs: [("note", .optional(.string))], outputs: [.init(name: "out", type: .string)], rows: [
            ([:], ["out": "any"]),
        ])
        #expect(try decide(table, [:]).matchedRows == [1])
        #expect(try decide(table, ["note": .null]).matchedRows == [1])
    }

    // MARK: prepared tables: cached policy bounds, text indexes

    /// The same `PreparedTable` evaluated under several policies, in turns: each answer follows
    /// the policy it was given, never the one evaluated before.
    @Test("a prepared table follows the policy of each evaluation")
    func preparedFollowsPolicy() throws {
        let table = Tables.credit()
        let prepared = DecisionEvaluator.prepare(table)
        let inputs = Tables.creditInputs("new", "6000", 0)
        let low = Tables.env
        var raised = Tables.policy.fields
        raised["new_customer_limit"] = Tables.eur("7000")
        let high = Environment(now: Instant(parsing: "2026-01-15T10:00:00Z")!, values: ["policy": .object(raised)])
        for _ in 0..<3 {
            for (env, matched) in [(low, [2]), (high, [3]), (low, [2])] {
                let r = try DecisionEvaluator.evaluate(prepared, inputs: inputs, env: env)
                #expect(r == (try decide(table, inputs, env: env)))
                #expect(r.matchedRows == matched)
            }
        }
    }

    @Test("a bound's error surfaces only when its cell is reached, on every evaluation")
    func cachedBoundErrors() throws {
        let table = Tables.table(hit: .first, inputs: [("x", .int)], outputs: [.init(name: "out", type: .string)], rows: [
            (["x": "< 10"], ["out": "small"]),
            (["x": "> 1 / policy.zero"], ["out": "never"]),
        ])
        let prepared = DecisionEvaluator.prepare(table)
        for _ in 0..<3 {
            #expect(try DecisionEvaluator.evaluate(prepared, inputs: ["x": .int(3)], env: Tables.env).matchedRows == [1])
            #expect(throws: DecisionError.self) { try DecisionEvaluator.evaluate(prepared, inputs: ["x": .int(30)], env: Tables.env) }
            #expect(throws: DecisionError.self) { try decide(table, ["x": .int(30)]) }
        }
    }

    @Test("without a policy bound, a policy bound fails as it does unprepared")
    func noPolicy() throws {
        let env = Environment(now: Instant(parsing: "2026-01-15T10:00:00Z")!)
        #expect(throws: DecisionError.self) { try decide(Tables.credit(), Tables.creditInputs("new", "6000", 0), env: env) }
        #expect(throws: DecisionError.self) { try decide(Tables.credit(), Tables.creditInputs("standard", "6000", 0), env: env) }
        #expect(try decide(Tables.credit(), Tables.creditInputs("blocked", "6000", 0), env: env).matchedRows == [1])
    }

    /// A text column is indexed, but a row whose earlier cell may fail keeps testing in order:
    /// row 1 fails on `x` (from 1 on) before its `segment` would rule it out.
    @Test("text columns: lists, `not`, null and an earlier failing cell", arguments: [
        ("new", 1, "error"),
        ("standard", 1, "error"),
        ("standard", 0, "standard or preferred"),
        ("preferred", 0, "standard or preferred"),
        ("gold", 0, "not new"),
        ("new", 0, "anything"),
    ])
    func textIndex(segment: String, x: Int, expected: String) throws {
        let table = Tables.table(hit: .first, inputs: [("x", .int), ("segment", .optional(.string))],
                                 outputs: [.init(name: "out", type: .string)], rows: [
            (["x": "[1..1 / policy.zero]", "segment": "blocked"], ["out": "never"]),
            (["segment": "blocked"], ["out": "blocked"]),
            (["segment": "standard, preferred"], ["out": "standard or preferred"]),
            (["segment": "\"on_watch\""], ["out": "on watch"]),
            (["segment": "not(new)"], ["out": "not new"]),
            ([:], ["out": "anything"]),
        ])
        if expected == "error" {
            #expect(throws: DecisionError.self) { try decide(table, ["x": .int(x), "segment": .string(segment)]) }
        } else {
            #expect(try decide(table, ["x": .int(x), "segment": .string(segment)]).value.fields["out"] == .string(expected))
        }
        #expect(try decide(table, ["x": .int(0), "segment": .null]).value.fields["out"] == .string("not new"))
        #expect(try decide(table, ["x": .int(0), "segment": .string("on_watch")]).value.fields["out"] == .string("on watch"))
    }

    @Test("rule order over an indexed text column lists every admitted row")
    func textIndexMultiHit() throws {
        let table = Tables.table(hit: .ruleOrder, inputs: [("segment", .string)], outputs: [.init(name: "out", type: .string)], rows: [
            (["segment": "new"], ["out": "a"]),
            (["segment": "new, standard"], ["out": "b"]),
            ([:], ["out": "c"]),
            (["segment": "standard"], ["out": "d"]),
        ])
        #expect(try decide(table, ["segment": .string("new")]).matchedRows == [1, 2, 3])
        #expect(try decide(table, ["segment": .string("standard")]).matchedRows == [2, 3, 4])
        #expect(try decide(table, ["segment": .string("other")]).matchedRows == [3])
    }

    /// Unprepared evaluation prepares a table it sees again; a changed copy is another table.
    @Test("evaluating a table repeatedly, and changed copies of it, unprepared")
    func unpreparedRepeated() throws {
        var table = Tables.credit()
        let inputs = Tables.creditInputs("blocked", "100", 0)
        for _ in 0..<3 { #expect(try decide(table, inputs).matchedRows == [1]) }
        var relaxed = table
        relaxed.rules.removeFirst()
        relaxed.rules[0].number = 1
        for _ in 0..<3 { #expect(try decide(relaxed, inputs).matchedRows == [3]) }
        table.name = "renamed"
        #expect(try decide(table, inputs).table == "renamed")
        table.hitPolicy = .ruleOrder
        for _ in 0..<3 { #expect(try decide(table, inputs).value.fields["rows"] != nil) }
        #expect(try decide(Tables.credit(), inputs).matchedRows == [1])
    }
}
