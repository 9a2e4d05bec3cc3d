import Testing
@testable import O2CCore

@Suite struct ExactDecimalTests {
    @Test("0.1 + 0.2 is exactly 0.3")
    func exactAddition() throws {
        let sum = try ExactDecimal("0.1")! + ExactDecimal("0.2")!
        #expect(sum == ExactDecimal("0.3")!)
        #expect(sum.description == "0.3")
    }

    @Test("division rounds the twelfth place half-even", arguments: [
        ("1", "3", "0.333333333333"),
        ("2", "3", "0.666666666667"),
        ("10", "4", "2.5"),
        ("-7", "2", "-3.5"),
    ])
    func division(a: String, b: String, expected: String) throws {
        #expect(try (ExactDecimal(a)! / ExactDecimal(b)!).description == expected)
    }

    @Test("rounding modes", arguments: [
        ("2.345", 2, RoundingMode.halfUp, "2.35"),
        ("2.345", 2, .halfEven, "2.34"),
        ("2.355", 2, .halfEven, "2.36"),
        ("-2.345", 2, .halfUp, "-2.35"),
        ("2.341", 2, .up, "2.35"),
        ("2.349", 2, .down, "2.34"),
        ("-2.341", 2, .floor, "-2.35"),
        ("-2.349", 2, .ceiling, "-2.34"),
    ])
    func rounding(value: String, places: Int, mode: RoundingMode, expected: String) {
        #expect(ExactDecimal(value)!.rounded(places: places, mode: mode).description == expected)
    }

    @Test("multiplication keeps cents exact and reports overflow")
    func multiplication() throws {
        #expect(try (ExactDecimal("1234.56")! * ExactDecimal("0.015")!).description == "18.5184")
        let huge = ExactDecimal(raw: Int128.max / 2)
        #expect(throws: ArithmeticError.overflow) { try huge * ExactDecimal(3) }
        #expect(throws: ArithmeticError.divisionByZero) { try ExactDecimal(1) / .zero }
    }

    @Test("formatting pads to the requested places")
    func formatting() {
        #expect(ExactDecimal(5000).formatted(places: 2) == "5000.00")
        #expect(Money(ExactDecimal("12.5")!, Currency("EUR")!).description == "12.50 EUR")
        #expect(Money(ExactDecimal("1000")!, Currency("JPY")!).description == "1000 JPY")
    }
}

@Suite struct CalendarTimeTests {
    @Test("civil dates round-trip and month arithmetic clamps", arguments: [
        ("2026-01-31", 1, "2026-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-03-31", -1, "2026-02-28"),
    ])
    func months(start: String, months: Int, expected: String) {
        #expect(Day(parsing: start)!.addingMonths(months).description == expected)
    }

    @Test("durations parse and print canonically", arguments: [
        ("7d", "7d"), ("36h", "1d12h"), ("1d12h", "1d12h"), ("-3d", "-3d"), ("90m", "1h30m"), ("2w", "14d"),
    ])
    func durations(text: String, canonical: String) {
        #expect(Duration(parsing: text)?.description == canonical)
    }

    @Test("instants parse offsets and print UTC")
    func instants() {
        #expect(Instant(parsing: "2026-01-31T10:30:00+02:00")?.description == "2026-01-31T08:30:00Z")
        #expect(Instant(parsing: "2026-01-31")?.description == "2026-01-31T00:00:00Z")
        #expect(Instant(parsing: "2026-01-31T25:00Z") == nil)
    }
}

@Suite struct JSONTests {
    @Test("numbers keep their exact decimal text")
    func exactNumbers() throws {
        let json = try JSON.parse(#"{"amount": 0.1, "n": [1, 2.50], "s": "a\"b"}"#)
        #expect(json["amount"] == .number(ExactDecimal("0.1")!))
        #expect(json.serialized() == #"{"amount":0.1,"n":[1,2.5],"s":"a\"b"}"#)
    }

    @Test("tagged values round-trip")
    func tagged() {
        let v = Value.object(["fee": .money(Money(ExactDecimal("40")!, Currency("EUR")!)), "due": .date(Day(parsing: "2026-02-01")!),
                              "wait": .duration(.days(7)), "tags": .list([.string("a"), .null])])
        #expect(Value(taggedJSON: v.taggedJSON) == v)
    }

    @Test("malformed JSON reports line and column")
    func errors() {
        #expect(throws: JSONError.self) { try JSON.parse("{\"a\": }") }
        #expect(throws: JSONError.self) { try JSON.parse("1e5") }
    }
}
