import Testing
import O2CCore
import O2CExpr
import O2CModel
import O2CLoader

/// Builds tables as the loader does (cells compiled against `policy` and the inputs); row `i` is on line `10 + i`.
private enum Fixture {
    static let file = "rules/credit.yaml"
    static func eur(_ a: String) -> Value { .money(Money(ExactDecimal(a)!, Currency("EUR")!)) }
    static let policy: Value = .object(["new_customer_limit": eur("5000"), "standard_limit": eur("25000"), "max_overdue_days": .int(30)])
    static let policyType: ExprType = .object(ObjectType([
        .init(name: "new_customer_limit", type: .money), .init(name: "standard_limit", type: .money), .init(name: "max_overdue_days", type: .int),
    ]))

    struct Output {
        var name: String
        var type: ExprType = .string
        var values: [String] = []
        var defaultValue: String?
    }

    static func span(_ line: Int, _ column: Int = 5, _ length: Int = 10) -> Span { Span(file: file, line: line, column: column, length: length) }

    static func table(_ name: String = "credit_limit", hit: HitPolicy, inputs: [(String, ExprType)],
                      outputs: [Output] = [Output(name: "decision")], rows: [[String: String]], then: [[String: String]]? = nil) -> DecisionTable {
        var scope = TypeScope([("policy", policyType)])
        for (n, t) in inputs { scope = scope.adding(n, t) }
        let env = Environment(now: Instant(secondsSinceEpoch: 0))
        let outs = outputs.enumerated().map { k, o in
            TableOutput(name: o.name, type: o.type,
                        values: o.values.compactMap { try? output($0, o.type, scope, span(6 + k))?.evaluate(env) },
                        defaultValue: o.defaultValue.flatMap { output($0, o.type, scope, span(6 + k)) }, span: span(6 + k, 3, o.name.count))
        }
        let rules = rows.enumerated().map { i, when in
            let line = 11 + i
            let tests = inputs.map { n, t -> UnaryTest in
                let cell = when[n] ?? "-"
                let (test, ds) = UnaryTest.compile(cell, at: span(line, 20, cell.count), inputType: t, scope: scope)
                if test == nil || ds.hasErrors { Issue.record("cell `\(cell)` does not compile: \(ds.map(\.message))") }
                return test ?? UnaryTest.compile("-", at: span(line), inputType: t, scope: scope).0!
            }
            let cells = outs.map { o -> Expression in
                let text = then?[i][o.name] ?? "r\(i + 1)"
                return output(text, o.type, scope, span(line, 60, text.count)) ?? Expression.constant(.null, type: .optional(o.type), at: span(line))
            }
            return TableRule(number: i + 1, span: span(line, 5, 40), tests: tests, outputs: cells)
        }
        return DecisionTable(name: name, description: "", file: file, span: span(1, 11, name.count), hitPolicy: hit,
                             inputs: inputs.enumerated().map { TableInput(name: $1.0, type: $1.1, span: span(3 + $0, 3)) },
                             outputs: outs, rules: rules)
    }

    static func output(_ text: String, _ type: ExprType, _ scope: TypeScope, _ span: Span) -> Expression? {
        let (e, ds) = Expression.compileOutputCell(text, at: span, outputType: type, scope: scope)
        if e == nil || ds.hasErrors { Issue.record("output `\(text)` does not compile: \(ds.map(\.message))") }
        return e
    }

    static func check(_ table: DecisionTable, _ code: String) -> [Diagnostic] {
        TableAnalysis.check(table, policy: policy).filter { $0.code == code }
    }
}

@Suite struct TableAnalysisTests {
    // MARK: E0401 overlaps

    @Test("a proven overlap in a unique table is reported at the later row, with an example")
    func overlapReported() throws {
        let table = Fixture.table(hit: .unique, inputs: [("segment", .string), ("exposure", .money)], rows: [
            ["segment": "blocked"],
            ["segment": "new, on_watch", "exposure": "> policy.new_customer_limit"],
            ["segment": "standard", "exposure": "< 5000 EUR"],
            ["segment": "standard", "exposure": ">= 5000 EUR"],
            ["segment": "new", "exposure": "[0 EUR..10000 EUR]"],
        ])
        let ds = Fixture.check(table, "E0401")
        try #require(ds.count == 1)
        let d = ds[0]
        #expect(d.severity == .error)
        #expect(d.message == "rows 2 and 5 of table `credit_limit` overlap")
        #expect(d.primary.span.line == 15)
        #expect(d.primary.text == "overlaps row 2")
        #expect(d.secondary == [Label(Fixture.span(12, 5, 40), "overlaps this row")])
        #expect(d.notes == ["both rows match, for example, `segment = \"new\", exposure = 5001.00 EUR`"])
        #expect(d.help == "make the conditions exclusive, or use hit policy `first`")
    }

    @Test("two cells of one input: overlap only when proven", arguments: [
        ("[0 EUR..5000 EUR)", "[5000 EUR..10000 EUR]", ExprType.money, false),
        ("[0 EUR..5000 EUR]", "[5000 EUR..10000 EUR]", .money, true),
        ("(0 EUR..5000 EUR]", "< 0 EUR, > 5000 EUR", .money, false),
        ("< 5000 EUR", ">= policy.new_customer_limit", .money, false),
        ("<= 5000 EUR", ">= policy.new_customer_limit", .money, true),
        ("> 5", "< 6", .int, false),
        ("> 5", "< 6", .decimal, true),
        ("<= policy.max_overdue_days", "> 30", .int, false),
        ("!= 5", "5", .int, false),
        ("!= 5", "[5..6]", .int, true),
        ("new, on_watch", "on_watch", .string, true),
        ("new", "not(new)", .string, false),
        ("not(new, blocked)", "standard", .string, true),
        ("not(new, blocked)", "blocked", .string, false),
        ("-", "blocked", .string, true),
        ("true", "false", .bool, false),
        ("not(true)", "false", .bool, true),
        ("[2026-01-01..2026-01-31]", "> 2026-01-31", .date, false),
        ("[2026-01-01..2026-01-31]", ">= 2026-01-31", .date, true),
        (">= 7d", "< 7d", .duration, false),
        ("? > 5", "> 6", .int, false),          // a predicate is not analyzed: never a false alarm
        ("< 100 USD", "< 100 EUR", .money, false), // other currencies are not analyzed
    ])
    func pairs(a: String, b: String, type: ExprType, overlap: Bool) {
        let table = Fixture.table(hit: .unique, inputs: [("x", type)], rows: [["x": a], ["x": b]])
        #expect(Fixture.check(table, "E0401").count == (overlap ? 1 : 0))
    }

    @Test("overlap needs every input to intersect; cells reading other inputs are not analyzed")
    func multipleInputs() {
        let disjoint = Fixture.table(hit: .unique, inputs: [("segment", .string), ("days", .int)], rows: [
            ["segment": "new", "days": "<= 30"],
            ["segment": "new", "days": "> 30"],
            ["segment": "standard", "days": "<= 30"],
        ])
        #expect(Fixture.check(disjoint, "E0401").isEmpty)
        let readsInput = Fixture.table(hit: .unique, inputs: [("limit", .money), ("exposure", .money)], rows: [
            ["exposure": "> limit"],
            ["exposure": "> 0 EUR"],
        ])
        #expect(Fixture.check(readsInput, "E0401").isEmpty)
        let notUnique = Fixture.table(hit: .first, inputs: [("x", .int)], rows: [["x": "> 1"], ["x": "> 2"]])
        #expect(Fixture.check(notUnique, "E0401").isEmpty)
    }

    // MARK: W0402 gaps

    @Test("a hole in one number input is named as a range")
    func gapSimple() throws {
        let table = Fixture.table("days_band", hit: .first, inputs: [("days", .int)], rows: [["days": "< 10"], ["days": "> 20"]])
        let ds = Fixture.check(table, "W0402")
        try #require(ds.count == 1)
        #expect(ds[0].severity == .warning)
        #expect(ds[0].message == "table `days_band` has no row for `days` in [10..20]")
        #expect(ds[0].primary.span == table.span)
        #expect(ds[0].notes == ["no row matches, for example, `days = 10`"])
        #expect(ds[0].help == "add a row for the missing range, or give the outputs a `default`")
    }

    @Test("a hole under one case of another input names that case")
    func gapWithContext() throws {
        let table = Fixture.table(hit: .unique, inputs: [("segment", .string), ("exposure", .money)], rows: [
            ["segment": "standard", "exposure": "< 5000 EUR"],
            ["segment": "standard", "exposure": ">= 10000 EUR"],
            ["segment": "not(standard)"],
        ])
        let ds = Fixture.check(table, "W0402")
        try #require(ds.count == 1)
        #expect(ds[0].message == "table `credit_limit` has no row for `exposure` in [5000.00 EUR..10000.00 EUR) when `segment` is \"standard\"")
        #expect(ds[0].notes == ["no row matches, for example, `segment = \"standard\", exposure = 5000.00 EUR`"])
    }

    @Test("negative amounts count; further holes are listed")
    func gapBelowZero() throws {
        let table = Fixture.table(hit: .first, inputs: [("exposure", .money)], rows: [
            ["exposure": "[0 EUR..5000 EUR)"],
            ["exposure": "[6000 EUR..policy.standard_limit]"],
        ])
        let ds = Fixture.check(table, "W0402")
        try #require(ds.count == 1)
        #expect(ds[0].message == "table `credit_limit` has no row for `exposure` < 0.00 EUR")
        #expect(ds[0].notes == ["no row matches, for example, `exposure = -1.00 EUR`",
                                "`exposure` is also uncovered for [5000.00 EUR..6000.00 EUR), > 25000.00 EUR"])
    }

    @Test("no gap warning when covered, defaulted, unknown or multi-hit", arguments: [
        ("covered", HitPolicy.first, [["x": "< 5000 EUR"], ["x": ">= 5000 EUR"]], false),
        ("catch-all", .first, [["x": "< 5000 EUR"], [:]], false),
        ("predicate", .first, [["x": "< 5000 EUR"], ["x": "? > 100 EUR"]], false),
        ("defaulted", .first, [["x": "< 5000 EUR"]], true),
        ("collect", .collect(nil), [["x": "< 5000 EUR"]], false),
        ("rule order", .ruleOrder, [["x": "< 5000 EUR"]], false),
        ("collect count", .collect(.count), [["x": "< 5000 EUR"]], false),
    ] as [(String, HitPolicy, [[String: String]], Bool)])
    func noGap(_ name: String, hit: HitPolicy, rows: [[String: String]], defaulted: Bool) {
        let table = Fixture.table(hit: hit, inputs: [("x", .money)],
                                  outputs: [Fixture.Output(name: "decision", defaultValue: defaulted ? "review" : nil)], rows: rows)
        #expect(Fixture.check(table, "W0402").isEmpty, "\(name)")
    }

    @Test("a gap is checked per case of the other inputs")
    func gapAcrossCases() {
        // Every segment case covers the whole line, though no single row does.
        let covered = Fixture.table(hit: .first, inputs: [("segment", .string), ("exposure", .money), ("days", .int)], rows: [
            ["exposure": "< 5000 EUR"],
            ["segment": "new", "exposure": ">= 5000 EUR"],
            ["segment": "not(new)", "exposure": ">= 5000 EUR", "days": "<= 30"],
            ["segment": "not(new)", "days": "> 30"],
        ])
        #expect(Fixture.check(covered, "W0402").isEmpty)
    }

    // MARK: E0405

    @Test("priority and output order need values", arguments: [HitPolicy.priority, .outputOrder])
    func priorityNeedsValues(hit: HitPolicy) throws {
        let table = Fixture.table(hit: hit, inputs: [("x", .int)], outputs: [Fixture.Output(name: "decision"), Fixture.Output(name: "reason")],
                                  rows: [["x": "< 0"], ["x": "> 100"], ["x": "-"], ["x": "> 5"]],
                                  then: [["decision": "reject"], ["decision": "review"], ["decision": "approve"], ["decision": "review"]])
        let ds = Fixture.check(table, "E0405")
        try #require(ds.count == 1)
        #expect(ds[0].message == "hit policy `\(hit)` needs `values` on output `decision`")
        #expect(ds[0].primary.span == table.outputs[0].span)
        #expect(ds[0].help == "list them in priority order: `decision: {type: string, values: [reject, review, approve]}`")

        let withValues = Fixture.table(hit: hit, inputs: [("x", .int)],
                                       outputs: [Fixture.Output(name: "decision", values: ["reject", "approve"])], rows: [["x": "< 0"]])
        #expect(Fixture.check(withValues, "E0405").isEmpty)
    }

    @Test("the credit table of the docs: no overlap, but gaps for credit balances and long-overdue customers")
    func docsTable() {
        let table = Fixture.table(hit: .first, inputs: [("segment", .string), ("exposure", .money), ("oldest_overdue_days", .int)],
                                  outputs: [Fixture.Output(name: "decision", values: ["reject", "review", "approve"], defaultValue: "review"),
                                            Fixture.Output(name: "reason")],
                                  rows: [
                                      ["segment": "blocked"],
                                      ["segment": "new, on_watch", "exposure": "> policy.new_customer_limit"],
                                      ["exposure": "[0 EUR..policy.standard_limit]", "oldest_overdue_days": "<= policy.max_overdue_days"],
                                  ])
        // `reason` has no default, so gaps are looked for: a credit balance, or an overdue "standard" customer, matches no row.
        let ds = TableAnalysis.check(table, policy: Fixture.policy)
        #expect(ds.map(\.message) == [
            "table `credit_limit` has no row for `exposure` < 0.00 EUR when `segment` is none of \"blocked\", \"new\", \"on_watch\" and `oldest_overdue_days` <= 30",
            "table `credit_limit` has no row for `oldest_overdue_days` >= 31 when `segment` is none of \"blocked\", \"new\", \"on_watch\" and `exposure` is in [0.00 EUR..5000.00 EUR]",
        ])
        #expect(ds.allSatisfy { $0.severity == .warning })
    }
}
