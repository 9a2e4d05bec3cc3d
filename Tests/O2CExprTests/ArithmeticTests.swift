import O2CCore
import O2CExpr
import Testing

@Suite("arithmetic on numbers and money")
struct ArithmeticTests {
    @Test("numbers", arguments: [
        ("1 + 2", "3", "int"),
        ("7 - 10", "-3", "int"),
        ("6 * 7", "42", "int"),
        ("7 / 2", "3.5", "decimal"),
        ("6 / 3", "2", "decimal"),
        ("7 % 3", "1", "int"),
        ("-7 % 3", "-1", "int"),
        ("7.5 % 2", "1.5", "decimal"),
        ("1 + 0.5", "1.5", "decimal"),
        ("count * ratio", "0.75", "decimal"),
        ("-count", "-3", "int"),
        ("- -count", "3", "int"),
        ("2 / 3", "0.666666666667", "decimal"),
    ])
    func numbers(source: String, expected: String, type: String) throws {
        let (e, d) = Expression.compile(source, at: Fixture.span, scope: Fixture.scope)
        #expect(d.isEmpty)
        let expr = try #require(e)
        #expect(try expr.evaluate(Fixture.env).description == expected)
        #expect(expr.type.description == type)
    }

    @Test("money arithmetic rounds to the currency's minor unit, half-up", arguments: [
        ("10.00 EUR * 0.015", "0.15 EUR"),
        ("100 EUR / 3", "33.33 EUR"),
        ("200 EUR / 3", "66.67 EUR"),
        ("0.05 EUR * 0.5", "0.03 EUR"),
        ("-0.05 EUR * 0.5", "-0.03 EUR"),
        ("1234.56 EUR * 0.015", "18.52 EUR"),
        ("3 * 9.99 EUR", "29.97 EUR"),
        ("1000 JPY / 3", "333 JPY"),
        ("10 KWD / 3", "3.333 KWD"),
        ("balance + 0.50 EUR", "1251.00 EUR"),
        ("balance - order.total", "-4749.50 EUR"),
        ("-balance", "-1250.50 EUR"),
        ("order.total * policy.rate", "90.00 EUR"),
        ("0.001 EUR + 0.001 EUR", "0.002 EUR"),
    ])
    func money(source: String, expected: String) throws {
        #expect(try Fixture.eval(source).description == expected)
        #expect(Expression.compile(source, at: Fixture.span, scope: Fixture.scope).0?.type == .money)
    }

    @Test("money rounds the exact product once, not the 12-place product again")
    func singleRounding() throws {
        // 0.01 × 0.499999999999 = 0.00499999999999 exactly, which rounds to 0.00. Rounding to
        // twelve places first (0.005000000000) and then to cents would give 0.01.
        #expect(try Fixture.eval("0.01 EUR * 0.499999999999").description == "0.00 EUR")
        #expect(try Fixture.eval("0.01 EUR * 0.5").description == "0.01 EUR")
    }

    @Test("money divided by money is a plain ratio")
    func moneyRatio() throws {
        let v = try Fixture.eval("balance / order.total")
        #expect(v.description == "0.208416666667")
        #expect(Expression.compile("balance / order.total", at: Fixture.span, scope: Fixture.scope).0?.type == .decimal)
    }

    @Test("strings concatenate with +")
    func concatenation() throws {
        #expect(try Fixture.eval("label + \": \" + order.id") == .string("Dunning: SO-1001"))
    }

    @Test("runtime failures are errors with the span of the failing operation", arguments: [
        ("1 / (count - 3)", "division by zero", 12),
        ("balance + 5 USD", "cannot add `1250.50 EUR` and `5.00 USD`: the currencies differ", 12),
        ("order.total > 5 USD", "cannot compare `6000.00 EUR` with `5.00 USD`: the currencies differ", 12),
        ("balance / 0", "division by zero", 12),
        ("count % 0", "division by zero", 12),
        ("170000000000000000000000000 * 10", "arithmetic overflow", 12),
        ("1 + (event.kind * 2)", "cannot apply `*` to `string` and `number`", 16),
    ])
    func runtimeErrors(source: String, message: String, column: Int) throws {
        let error = try #require(Fixture.failure(source))
        #expect(error.message == message)
        #expect(error.span.column == column)
        #expect(error.span.line == 10)
        #expect(error.span.file == Fixture.file)
    }

    @Test("overflow is reported, never wrapped or crashed", arguments: [
        "170141183460469231731687303715 * 1000000000000",
        "170000000000000 EUR * 10000000000000",
        "100000000000000000000000000 + 100000000000000000000000000",
        "106751991167300d * 2",
    ])
    func overflow(source: String) throws {
        let (e, _) = Expression.compile(source, at: Fixture.span, scope: Fixture.scope)
        if let e { #expect(throws: EvalError.self) { try e.evaluate(Fixture.env) } }
    }
}
