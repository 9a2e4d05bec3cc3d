import O2CCore
import O2CExpr
import Testing

@Suite("built-in functions")
struct FunctionTests {
    @Test("numbers and money", arguments: [
        ("min(3, 1, 2)", "1", "int"),
        ("max(3, 1.5)", "3", "decimal"),
        ("min(order.total, policy.new_customer_limit)", "5000.00 EUR", "money"),
        ("max(order.lines.amount)", "5000.00 EUR", "money"),
        ("min([4, 2, 8])", "2", "int"),
        ("max(\"pear\", \"apple\")", "\"pear\"", "string"),
        ("min(order.due, 2026-01-01)", "2026-01-01", "date"),
        ("max(1d, 36h)", "1d12h", "duration"),
        ("abs(-5)", "5", "int"),
        ("abs(-2.5)", "2.5", "decimal"),
        ("abs(-12.30 EUR)", "12.30 EUR", "money"),
        ("abs(7d - 8d)", "1d", "duration"),
        ("round(2.345, 2)", "2.35", "decimal"),
        ("round(2.5)", "3", "decimal"),
        ("round(-2.5)", "-3", "decimal"),
        ("round(1250, -2)", "1300", "int"),
        ("round(12.345 EUR, 2)", "12.35 EUR", "money"),
        ("round(order.total * 0.33333, 0)", "2000.00 EUR", "money"),
        ("floor(2.7)", "2", "int"),
        ("floor(-2.1)", "-3", "int"),
        ("ceil(2.1)", "3", "int"),
        ("ceil(-2.7)", "-2", "int"),
        ("floor(12.99 EUR)", "12.00 EUR", "money"),
        ("ceil(12.01 EUR)", "13.00 EUR", "money"),
        ("clamp(15, 0, 10)", "10", "int"),
        ("clamp(-1, 0, 10)", "0", "int"),
        ("clamp(5, 0, 10.5)", "5", "decimal"),
        ("clamp(balance, 0 EUR, 1000 EUR)", "1000.00 EUR", "money"),
        ("percent(200, 15)", "30", "decimal"),
        ("percent(1234.56 EUR, 1.5)", "18.52 EUR", "money"),
        ("percent(0.10 EUR, 5)", "0.01 EUR", "money"),
        ("share(0.47 EUR, 1.95 EUR, 12.22 EUR)", "0.08 EUR", "money"),   // exactly 0.075: the rate 1.95/12.22 cut to 12 places gave 0.07
        ("share(40.00 EUR, 9.50, 59.50)", "6.39 EUR", "money"),
        ("share(100.00 EUR, 1, 3)", "33.33 EUR", "money"),
        ("share(10, 1, 3)", "3.333333333333", "decimal"),
        ("share(5.00 EUR, 0 EUR, 0 EUR)", "0.00 EUR", "money"),
        ("share(-0.47 EUR, 1.95, 12.22)", "-0.08 EUR", "money"),
        ("money(12.5, \"EUR\")", "12.50 EUR", "money"),
        ("money(count, \"JPY\")", "3 JPY", "money"),
        ("amount(balance)", "1250.5", "decimal"),
        ("currency(balance)", "\"EUR\"", "string"),
        ("amount(order.total) > 5000", "true", "bool"),
    ])
    func numeric(source: String, expected: String, type: String) throws {
        let (e, d) = Expression.compile(source, at: Fixture.span, scope: Fixture.scope)
        #expect(d.isEmpty, "\(d.map(\.message))")
        let expr = try #require(e)
        #expect(try expr.evaluate(Fixture.env).description == expected)
        #expect(expr.type.description == type)
    }

    @Test("round with every rounding mode", arguments: [
        ("2.345", "half_up", "2.35"),
        ("2.345", "half_even", "2.34"),
        ("2.355", "half_even", "2.36"),
        ("-2.345", "half_up", "-2.35"),
        ("2.341", "up", "2.35"),
        ("2.349", "down", "2.34"),
        ("-2.341", "floor", "-2.35"),
        ("-2.349", "ceiling", "-2.34"),
        ("2.341", "ceiling", "2.35"),
        ("-2.349", "down", "-2.34"),
    ])
    func roundingModes(value: String, mode: String, expected: String) throws {
        #expect(try Fixture.eval("round(\(value), 2, \"\(mode)\")").description == expected)
        #expect(try Fixture.eval("round(\(value) EUR, 2, \"\(mode)\")").description == "\(expected) EUR")
    }

    @Test("round takes a rounding mode computed at run time")
    func dynamicMode() throws {
        let scope = Fixture.scope.adding("mode", .string)
        var env = Fixture.env
        env["mode"] = .string("half_even")
        #expect(try Fixture.eval("round(2.345, 2, mode)", scope: scope, env: env).description == "2.34")
        env["mode"] = .string("sideways")
        let (e, _) = Expression.compile("round(2.345, 2, mode)", at: Fixture.span, scope: scope)
        #expect(throws: EvalError(message: "unknown rounding mode `sideways`", span: Fixture.span.shifted(by: 0, length: 21))) {
            try e?.evaluate(env)
        }
    }

    @Test("lists and text", arguments: [
        ("len(\"Grüße\")", "5"),
        ("len(order.tags)", "2"),
        ("len([])", "0"),
        ("count(order.lines)", "2"),
        ("sum([1, 2, 3.5])", "6.5"),
        ("sum([1, 2, 3])", "6"),
        ("sum([])", "0"),
        ("sum(order.lines.qty)", "3"),
        ("sum([1.10 EUR, 2.20 EUR])", "3.30 EUR"),
        ("sum([], 0 EUR)", "0.00 EUR"),
        ("sum(order.lines.amount, balance)", "7250.50 EUR"),
        ("contains(order.tags, \"rush\")", "true"),
        ("contains(policy.segments, customer.segment)", "true"),
        ("contains(customer.name, \"ACME\")", "true"),
        ("contains([1, 2], 3)", "false"),
        ("lower(\"ÄBC Corp\")", "\"äbc corp\""),
        ("upper(customer.segment)", "\"NEW\""),
        ("starts_with(order.id, \"SO-\")", "true"),
        ("ends_with(order.id, \"-9\")", "false"),
        ("string(order.total)", "\"6000.00 EUR\""),
        ("string(count) + \"x\"", "\"3x\""),
        ("string(maybe)", "\"null\""),
        ("string(label)", "\"Dunning\""),
    ])
    func collections(source: String, expected: String) throws {
        #expect(try Fixture.eval(source).description == expected)
    }

    @Test("runtime errors of functions", arguments: [
        ("min(order.lines[5].qty, 1)", "index 5 is out of range for a list of 2 items"),
        ("min([])", "`min` of an empty list"),
        ("sum([order.total, 5 USD])", "cannot add `6000.00 EUR` and `5.00 USD`: the currencies differ"),
        ("clamp(5, 10, 0)", "`clamp` bounds are reversed: `10` is above `0`"),
        ("max(order.total, 1 USD)", "cannot compare `1.00 USD` with `6000.00 EUR`: the currencies differ"),
        ("money(1, label)", "`Dunning` is not a currency code"),
        ("date(label)", "`Dunning` is not a date"),
        ("round(1.5, count * 10)", "`round` cannot round to `30` places"),
        ("abs(event.kind)", "`abs` cannot take `string`"),
        ("share(balance, 1 EUR, 2 USD)", "`share` needs part and whole in one currency, found EUR and USD"),
    ])
    func failures(source: String, message: String) {
        #expect(Fixture.failure(source)?.message == message)
    }

    /// `money(x, currency(m))` takes `m`'s currency as it is (`Functions.money`) instead of
    /// parsing `currency(m)`'s code: the same value as the general way, whose code comes from a
    /// variable, for currencies of 0, 2 and 3 minor digits; the same error when `m` has none.
    @Test("money(x, currency(m)) is money(x, code of m), errors included")
    func moneyInCurrencyOf() throws {
        let scope = TypeScope([("m", .money), ("code", .string), ("x", .decimal)])
        let (fused, _) = Expression.compile("money(x, currency(m))", at: Fixture.span, scope: scope)
        let (general, _) = Expression.compile("money(x, code)", at: Fixture.span, scope: scope)
        let f = try #require(fused), g = try #require(general)
        for (amount, x) in [("1.00 EUR", "12.345"), ("7 JPY", "1000.5"), ("1.000 BHD", "0.0005"), ("2.00 USD", "-3")] {
            let m = Money(parsing: amount)!
            let env = Environment(now: Fixture.now, values: ["m": .money(m), "code": .string(m.currency.code), "x": Fixture.number(x)])
            let value = try f.evaluate(env)
            #expect(value == (try g.evaluate(env)))
            guard case .money(let result) = value else { Issue.record("not money: \(value)"); continue }
            #expect(result.currency.minorUnits == m.currency.minorUnits)
            #expect(value.description == (try g.evaluate(env)).description)
        }
        let unbound = Environment(now: Fixture.now, values: ["x": .int(1)])
        #expect(throws: EvalError(message: "`m` has no value", span: Fixture.span.shifted(by: 18, length: 1))) { try f.evaluate(unbound) }
    }

    @Test("an empty list of money has no currency to sum in")
    func emptyMoneySum() throws {
        let scope = TypeScope([("amounts", .list(.money))])
        let (e, _) = Expression.compile("sum(amounts)", at: Fixture.span, scope: scope)
        let expr = try #require(e)
        #expect(throws: EvalError.self) { try expr.evaluate(Environment(now: Fixture.now, values: ["amounts": .list([])])) }
        #expect(try expr.evaluate(Environment(now: Fixture.now, values: ["amounts": .list([Fixture.money("2.00 EUR")])]))
            == Fixture.money("2.00 EUR"))
    }
}
