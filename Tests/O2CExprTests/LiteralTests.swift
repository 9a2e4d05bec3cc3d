import O2CCore
import O2CExpr
import Testing

@Suite("literals")
struct LiteralTests {
    @Test("each literal evaluates to the value an analyst wrote", arguments: [
        ("5000", "5000", "int"),
        ("1_000.50", "1000.5", "decimal"),
        ("0.015", "0.015", "decimal"),
        ("0.000000000001", "0.000000000001", "decimal"),
        ("\"text\"", "\"text\"", "string"),
        ("'single'", "\"single\"", "string"),
        (#""say \"hi\"\n\\ ok""#, #""say \"hi\"\#n\\ ok""#, "string"),
        ("'it\\'s'", "\"it's\"", "string"),
        ("true", "true", "bool"),
        ("false", "false", "bool"),
        ("null", "null", "null"),
        ("2026-01-31", "2026-01-31", "date"),
        ("2026-01-31T10:00:00Z", "2026-01-31T10:00:00Z", "datetime"),
        ("2026-01-31T10:00Z", "2026-01-31T10:00:00Z", "datetime"),
        ("2026-01-31T12:00:00+02:00", "2026-01-31T10:00:00Z", "datetime"),
        ("7d", "7d", "duration"),
        ("36h", "1d12h", "duration"),
        ("30m", "30m", "duration"),
        ("10s", "10s", "duration"),
        ("1d12h", "1d12h", "duration"),
        ("2w", "14d", "duration"),
        ("5000.00 EUR", "5000.00 EUR", "money"),
        ("12 USD", "12.00 USD", "money"),
        ("1_250.5 EUR", "1250.50 EUR", "money"),
        ("100 JPY", "100 JPY", "money"),
        ("1.5 KWD", "1.500 KWD", "money"),
        ("-5 EUR", "-5.00 EUR", "money"),
        ("[1, 2, 3]", "[1, 2, 3]", "list<int>"),
        ("[1, 2.5]", "[1, 2.5]", "list<decimal>"),
        ("[1, null]", "[1, null]", "list<int?>"),
        ("[]", "[]", "list<any>"),
        ("[\"a\", \"b\",]", "[\"a\", \"b\"]", "list<string>"),
        ("{a: 1, b: \"x\"}", "{a: 1, b: \"x\"}", "{a: int, b: string}"),
        ("{\"with space\": true}", "{with space: true}", "{with space: bool}"),
    ])
    func literal(source: String, printed: String, type: String) throws {
        let (e, d) = Expression.compile(source, at: Fixture.span, scope: TypeScope())
        #expect(d.isEmpty, "\(d.map(\.message))")
        let expr = try #require(e)
        #expect(try expr.evaluate(Fixture.env).description == printed)
        #expect(expr.type.description == type)
        #expect(expr.constantValue?.description == printed, "literals are constants")
    }

    @Test("numbers are exact decimals, never binary floating point")
    func exactNumbers() throws {
        #expect(try Fixture.eval("0.1 + 0.2 == 0.3") == .bool(true))
        #expect(try Fixture.eval("0.1 + 0.2").description == "0.3")
        #expect(try Fixture.eval("1 / 3 * 3").description == "0.999999999999")
        #expect(try Fixture.eval("2.50 == 2.5") == .bool(true))
    }

    @Test("a name that is also a field of an object literal still resolves")
    func objectLiteralReadsNames() throws {
        #expect(try Fixture.eval("{total: order.total, n: count}.total").description == "6000.00 EUR")
        #expect(try Fixture.eval("{a: {b: 5}}.a.b") == .int(5))
    }

    /// An object literal fills a dictionary whose keys were placed at compile time: each
    /// evaluation gives the dictionary that inserting the fields would, and no value of one
    /// evaluation stays in the next.
    @Test("an object literal built through its prepared keys equals one built field by field, every time")
    func objectLiteralTemplate() throws {
        let expected: Value = .object(["a": .int(1), "b": .string("x"), "c": .object(["d": .int(2)]), "t": .int(3)])
        for _ in 0..<3 {
            #expect(try Fixture.eval(#"{t: count, a: 1, b: "x", c: {d: 2}}"#) == expected)
        }
    }
}
