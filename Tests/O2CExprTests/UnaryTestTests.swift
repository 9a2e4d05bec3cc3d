import O2CCore
import O2CExpr
import Testing

@Suite("decision-table input cells (unary tests)")
struct UnaryTestTests {
    /// Cells start at column 20 of line 30.
    static let cellSpan = Span(file: "tables.yaml", line: 30, column: 20)

    static func compile(_ cell: String, _ type: ExprType, sourceLocation: SourceLocation = #_sourceLocation) throws -> UnaryTest {
        let (t, d) = UnaryTest.compile(cell, at: cellSpan, inputType: type, scope: Fixture.scope)
        #expect(d.isEmpty, "\(cell): \(d.map(\.message))", sourceLocation: sourceLocation)
        return try #require(t, sourceLocation: sourceLocation)
    }

    static func matches(_ cell: String, _ type: ExprType, _ value: Value) throws -> Bool {
        try compile(cell, type).matches(value, Fixture.env)
    }

    @Test("`-` and an empty cell match anything, null included", arguments: ["-", "", "  ", " - "])
    func any(cell: String) throws {
        let t = try Self.compile(cell, .optional(.money))
        #expect(t.kind == .any)
        #expect(try t.matches(.null, Fixture.env))
        #expect(try t.matches(Fixture.money("1 EUR"), Fixture.env))
    }

    @Test("numbers: values, lists, comparisons, ranges", arguments: [
        ("5", 5, true), ("5", 6, false),
        ("1, 2, 3", 2, true), ("1, 2, 3", 4, false),
        ("< 10", 9, true), ("< 10", 10, false), ("<= 10", 10, true),
        ("> 10", 11, true), (">= 10", 10, true), ("= 10", 10, true), ("== 10", 10, true),
        ("!= 10", 10, false), ("!= 10", 11, true),
        ("[1..5]", 1, true), ("[1..5]", 5, true), ("[1..5)", 5, false), ("(1..5]", 1, false),
        ("(1..5)", 3, true), ("[1..5]", 6, false), ("[1..5]", 0, false),
        ("< policy.max_days", 29, true), ("< policy.max_days", 30, false),
        ("[policy.max_days - 10..policy.max_days]", 20, true),
        ("[count .. count * 2]", 6, true),
        ("< 0, > 100", 101, true), ("< 0, > 100", 50, false),
        ("not(1, 2)", 3, true), ("not(1, 2)", 2, false), ("not (< 10)", 10, true), ("not([1..5])", 3, false),
        ("? > policy.max_days * 2", 61, true), ("? > policy.max_days * 2", 60, false),
        ("? % 2 == 0", 4, true), ("? % 2 == 0, ? > 100", 7, false),
    ])
    func numbers(cell: String, value: Int, expected: Bool) throws {
        #expect(try Self.matches(cell, .int, .int(value)) == expected)
    }

    @Test("money: comparisons against policy values and ranges with currencies", arguments: [
        ("< 5000 EUR", "4999.99 EUR", true),
        (">= policy.new_customer_limit", "5000.00 EUR", true),
        (">= policy.new_customer_limit", "4999.99 EUR", false),
        ("[1000 EUR..5000 EUR)", "1000.00 EUR", true),
        ("[1000 EUR..5000 EUR)", "5000.00 EUR", false),
        ("(0 EUR..10 EUR]", "0.00 EUR", false),
        ("(0 EUR..10 EUR]", "10.00 EUR", true),
        ("> policy.new_customer_limit * 2", "10000.01 EUR", true),
        ("? > balance and ? < order.total", "2000.00 EUR", true),
        ("0 EUR", "0.00 EUR", true),
    ])
    func money(cell: String, value: String, expected: Bool) throws {
        #expect(try Self.matches(cell, .money, Fixture.money(value)) == expected)
    }

    @Test("strings: bare words are text, quoted strings too; dotted names are expressions", arguments: [
        ("new, returning", "returning", true),
        ("new, returning", "vip", false),
        ("\"new\", 'vip'", "vip", true),
        ("follow-up", "follow-up", true),
        ("key_account", "key_account", true),
        ("not(new, returning)", "vip", true),
        ("not(new, returning)", "new", false),
        ("!= new", "new", false),
        ("!= new", "vip", true),
        ("customer.segment", "new", true),
        ("policy.segments", "returning", true),
        ("policy.segments", "vip", false),
        ("not(policy.segments)", "vip", true),
        ("label", "label", true),
        ("\"a, b\"", "a, b", true),
        ("\"a, b\", c", "c", true),
        ("starts_with(?, \"V\")", "VIP", true),
        ("? in policy.segments", "new", true),
        ("[\"a\"..\"m\"]", "key", true),
        ("< \"m\"", "z", false),
    ])
    func strings(cell: String, value: String, expected: Bool) throws {
        #expect(try Self.matches(cell, .string, .string(value)) == expected)
    }

    @Test("the bare-word rule makes literals, not names")
    func bareWordKinds() throws {
        let t = try Self.compile("new, policy.segments, \"x\"", .string)
        guard case .anyOf(let atoms) = t.kind, atoms.count == 3 else {
            Issue.record("expected three items, got \(t.kind)")
            return
        }
        guard case .equals(let first) = atoms[0], case .equals(let second) = atoms[1] else {
            Issue.record("expected equals atoms")
            return
        }
        #expect(first.constantValue == .string("new"))
        #expect(first.references.isEmpty)
        #expect(second.references == ["policy.segments"])
        #expect(second.span.column == 25)
    }

    @Test("the kinds of atoms")
    func kinds() throws {
        let t = try Self.compile("< 5, [1..2), ? > 3, 7", .int)
        guard case .anyOf(let atoms) = t.kind, atoms.count == 4 else {
            Issue.record("\(t.kind)")
            return
        }
        if case .compare(let op, let e) = atoms[0] { #expect(op == .lt && e.constantValue == .int(5)) } else { Issue.record("compare") }
        if case .range(_, let li, _, let hi) = atoms[1] { #expect(li && !hi) } else { Issue.record("range") }
        if case .predicate(let e) = atoms[2] { #expect(e.type == .bool && e.source == "? > 3") } else { Issue.record("predicate") }
        if case .equals(let e) = atoms[3] { #expect(e.constantValue == .int(7)) } else { Issue.record("equals") }
        #expect(try Self.compile("not(1)", .int).kind != t.kind)
    }

    @Test("bools, dates and nulls", arguments: [
        ("true", ExprType.bool, Value.bool(true), true),
        ("false", .bool, .bool(true), false),
        ("[2026-01-01..2026-12-31]", .date, Fixture.date("2026-06-30"), true),
        ("< today()", .date, Fixture.date("2026-01-14"), true),
        ("> order.due - 7d", .date, Fixture.date("2026-01-30"), true),
        ("null", .optional(.int), .null, true),
        ("null", .optional(.int), .int(1), false),
        ("< 5", .optional(.int), .null, false),
        ("[1..5]", .optional(.int), .null, false),
        ("!= 5", .optional(.int), .null, true),
        ("not(< 5)", .optional(.int), .null, true),
        ("not(null)", .optional(.int), .null, false),
        ("? == null", .optional(.int), .null, true),
        ("5", .any, .int(5), true),
        ("\"x\"", .any, .int(5), false),
    ])
    func others(cell: String, type: ExprType, value: Value, expected: Bool) throws {
        #expect(try Self.matches(cell, type, value) == expected)
    }

    @Test("cell errors", arguments: [
        ("<", ExprType.int, "E0508", "`<` needs a value after it", 20),
        ("1,,2", .int, "E0508", "empty item in decision-table cell", 22),
        ("1, 2,", .int, "E0508", "empty item in decision-table cell", 25),
        ("not()", .int, "E0508", "`not(...)` needs at least one item", 20),
        ("[1..]", .int, "E0508", "range needs a low and a high bound", 20),
        ("< 5000", .money, "E0504", "cannot compare input of type `money` with `int`", 20),
        ("5000", .money, "E0504", "cannot compare input of type `money` with `int`", 20),
        ("< true", .bool, "E0504", "cannot order input of type `bool`", 20),
        ("[1 EUR..2 EUR]", .int, "E0504", "cannot compare input of type `int` with `money`", 21),
        ("custmer.segment", .string, "E0502", "unknown name `custmer`", 20),
        ("1, custmer", .int, "E0502", "unknown name `custmer`", 23),
        ("count > 2", .int, "E0504", "cannot compare input of type `int` with `bool`", 20),
        ("? + 1", .int, "E0504", "expected `bool`, found `int`", 20),
        ("< maybe", .int, "E0504", "bound `maybe` may be null", 20),
        ("true", .string, "E0504", "cannot compare input of type `string` with `bool`", 20),
        ("[1..2", .int, "E0501", "expected `]`, found `..`", 22),
    ])
    func errors(cell: String, type: ExprType, code: String, message: String, column: Int) {
        let (t, d) = UnaryTest.compile(cell, at: Self.cellSpan, inputType: type, scope: Fixture.scope)
        #expect(t == nil)
        #expect(d.first?.code == code)
        #expect(d.first?.message == message)
        #expect(d.first?.primary.span.column == column)
        #expect(d.first?.primary.span.line == 30)
    }

    @Test("helps for cells")
    func helps() {
        let (_, money) = UnaryTest.compile("< 5000", at: Self.cellSpan, inputType: .money, scope: Fixture.scope)
        #expect(money.first?.help == "write the amount with its currency: `5000 EUR`")
        let (_, bool) = UnaryTest.compile("count > 2", at: Self.cellSpan, inputType: .int, scope: Fixture.scope)
        #expect(bool.first?.help == "write a condition on the input with `?`, like `? > 5000`")
        let (_, range) = UnaryTest.compile("[1..2", at: Self.cellSpan, inputType: .int, scope: Fixture.scope)
        #expect(range.first?.help == "ranges are written `[low..high]`, with `(` or `)` for an open end")
    }

    @Test("runtime failures while matching are errors")
    func runtime() throws {
        let t = try Self.compile("< 5000 EUR", .money)
        #expect(throws: EvalError.self) { try t.matches(Fixture.money("1 USD"), Fixture.env) }
        let r = try Self.compile("[1 EUR..2 EUR]", .money)
        #expect(throws: EvalError.self) { try r.matches(Fixture.money("1 USD"), Fixture.env) }
    }

    @Test("a cell compiled once matches many inputs")
    func reuse() throws {
        let t = try Self.compile("[1000 EUR..5000 EUR), > policy.new_customer_limit * 2", .money)
        var hits = 0
        for cents in stride(from: 0, to: 2_000_000, by: 997) {
            let v = Value.money(Money(ExactDecimal(raw: Int128(cents) * 10_000_000_000), Currency("EUR")!))
            if try t.matches(v, Fixture.env) { hits += 1 }
        }
        #expect(hits == 1404) // 401 in the range, 1003 above 10000 EUR (checked independently)
    }
}
