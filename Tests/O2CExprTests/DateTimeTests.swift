import O2CCore
import O2CExpr
import Testing

@Suite("dates, datetimes and durations")
struct DateTimeTests {
    @Test("calendar arithmetic", arguments: [
        ("2026-01-31 + 30d", "2026-03-02", "date"),
        ("2026-01-31 - 31d", "2025-12-31", "date"),
        ("2w + 2026-02-01", "2026-02-15", "date"),
        ("2026-03-01 - 2026-02-01", "28d", "duration"),
        ("2024-03-01 - 2024-02-01", "29d", "duration"),
        ("order.due + policy.grace", "2026-02-07", "date"),
        ("order.due + policy.max_days * 1d", "2026-03-02", "date"),
        ("2026-01-31T10:00:00Z + 36h", "2026-02-01T22:00:00Z", "datetime"),
        ("2026-01-31T10:00:00Z - 30m", "2026-01-31T09:30:00Z", "datetime"),
        ("2026-02-01T00:00:00Z - 2026-01-31T10:00:00Z", "14h", "duration"),
        ("1d + 12h", "1d12h", "duration"),
        ("7d - 8d", "-1d", "duration"),
        ("7d * 2", "14d", "duration"),
        ("3 * 1h", "3h", "duration"),
        ("-policy.grace", "-7d", "duration"),
    ])
    func arithmetic(source: String, expected: String, type: String) throws {
        let (e, d) = Expression.compile(source, at: Fixture.span, scope: Fixture.scope)
        #expect(d.isEmpty, "\(d.map(\.message))")
        let expr = try #require(e)
        #expect(try expr.evaluate(Fixture.env).description == expected)
        #expect(expr.type.description == type)
    }

    @Test("comparisons of dates, datetimes and durations", arguments: [
        ("order.due > 2026-01-30", true),
        ("order.due == 2026-01-31", true),
        ("order.created < now()", true),
        ("today() - order.due < 0d", true),
        ("36h > 1d", true),
        ("order.due - today() >= 16d", true),
        ("order.due in [2026-01-31, 2026-02-28]", true),
    ])
    func comparisons(source: String, expected: Bool) throws {
        #expect(try Fixture.eval(source) == .bool(expected))
    }

    @Test("calendar functions", arguments: [
        ("days_between(2026-01-01, 2026-01-31)", "30"),
        ("days_between(2026-01-31, 2026-01-01)", "-30"),
        ("days_between(order.created, now())", "5"),
        ("days_between(2026-01-14T23:00:00Z, 2026-01-15T22:00:00Z)", "0"),
        ("days_between(2026-01-14, 2026-01-15T22:00:00Z)", "1"),
        ("days_between(order.due, today())", "-16"),
        ("add_months(2026-01-31, 1)", "2026-02-28"),
        ("add_months(2024-01-31, 1)", "2024-02-29"),
        ("add_months(2026-01-15, -13)", "2024-12-15"),
        ("add_months(2026-11-30, 3)", "2027-02-28"),
        ("end_of_month(2026-02-10)", "2026-02-28"),
        ("end_of_month(2024-02-10)", "2024-02-29"),
        ("end_of_month(order.due)", "2026-01-31"),
        ("now()", "2026-01-15T10:30:00Z"),
        ("today()", "2026-01-15"),
        ("date(now())", "2026-01-15"),
        ("date(\"2026-03-01\")", "2026-03-01"),
        ("date(\"2026-03-01T23:59:00Z\")", "2026-03-01"),
        ("datetime(2026-03-01)", "2026-03-01T00:00:00Z"),
        ("datetime(\"2026-03-01T08:15:00+01:00\")", "2026-03-01T07:15:00Z"),
        ("year(order.due)", "2026"),
        ("month(order.due)", "1"),
        ("day(order.due)", "31"),
        ("weekday(2026-01-15)", "4"),
        ("weekday(now())", "4"),
    ])
    func functions(source: String, expected: String) throws {
        #expect(try Fixture.eval(source).description == expected)
    }

    @Test("business days skip weekends and the holidays given; a start on a day off counts from the next business day", arguments: [
        ("add_business_days(now(), 1)", "2026-01-16T10:30:00Z"),                       // Thursday → Friday
        ("add_business_days(now(), 2)", "2026-01-19T10:30:00Z"),                       // → Monday
        ("add_business_days(2026-11-27T15:00:00Z, 1)", "2026-11-30T15:00:00Z"),        // Friday afternoon → Monday afternoon
        ("add_business_days(2026-11-28T10:00:00Z, 1)", "2026-12-01T00:00:00Z"),        // Saturday → the end of Monday
        ("add_business_days(2026-11-28T10:00:00Z, 0)", "2026-11-30T00:00:00Z"),
        ("add_business_days(2026-01-15, 0)", "2026-01-15"),
        ("add_business_days(2026-01-15, 10)", "2026-01-29"),                           // two weeks
        ("add_business_days(2026-04-02, 1, [2026-04-03, 2026-04-06])", "2026-04-07"),  // Easter: Good Friday, Easter Monday
        ("add_business_days(2026-04-02T09:00:00Z, 1, [2026-04-03, 2026-04-06])", "2026-04-07T09:00:00Z"),
        ("add_business_days(2026-04-03T09:00:00Z, 1, [2026-04-03, 2026-04-06])", "2026-04-08T00:00:00Z"),
    ])
    func businessDays(source: String, expected: String) throws {
        #expect(try Fixture.eval(source).description == expected)
    }

    @Test("business days: a negative or huge count fails at run time; wrong argument types are located errors")
    func businessDayErrors() throws {
        #expect(Fixture.failure("add_business_days(2026-01-15, -1)")?.message == "`add_business_days` cannot add `-1` business days (0 to 10000)")
        #expect(Fixture.failure("add_business_days(2026-01-15, 10001)") != nil)
        #expect(Fixture.diagnose("add_business_days(2026-01-15, 1.5)").map(\.code) == ["E0506"])
        let holidays = Fixture.diagnose("add_business_days(2026-01-15, 1, [\"2026-01-16\"])")
        #expect(holidays.map(\.code) == ["E0506"])
        #expect(holidays.first?.message == "argument 3 of `add_business_days` must be a list of dates, found `list<string>`")
        #expect(try Fixture.eval("add_business_days(2026-01-15T10:00:00Z, 1)").description == "2026-01-16T10:00:00Z")
    }

    @Test("now() and today() read the environment's clock, not the system's")
    func clockIsAnInput() throws {
        let (e, _) = Expression.compile("today() + 1d", at: Fixture.span, scope: Fixture.scope)
        let expr = try #require(e)
        var env = Fixture.env
        #expect(try expr.evaluate(env).description == "2026-01-16")
        env.now = Instant(parsing: "2030-06-30T23:59:59Z")!
        #expect(try expr.evaluate(env).description == "2030-07-01")
        #expect(expr.constantValue == nil, "clock functions are never folded into constants")
    }

    @Test("a date moves in whole days")
    func wholeDays() throws {
        let d = Fixture.diagnose("order.due + 36h")
        #expect(d.map(\.code) == ["E0504"])
        #expect(d.first?.message == "`1d12h` is not a whole number of days, and a date moves in whole days")
        #expect(d.first?.primary.span.column == 24)
        let error = try #require(Fixture.failure("order.due + event.count * 1h"))
        #expect(error.message == "`3h` is not a whole number of days, and a date moves in whole days")
    }

    @Test("dates outside years 1 to 9999 are errors, not crashes", arguments: [
        "9999-12-31 + 1d",
        "0001-01-01 - 1d",
        "add_months(9999-12-01, 1)",
        "add_months(2026-01-01, count * 1000000000)",
        "9999-12-31T23:59:59Z + 1s",
    ])
    func range(source: String) {
        #expect(Fixture.failure(source) != nil)
    }

    @Test("dates from outside are range-checked before calendar arithmetic")
    func corruptDates() {
        var env = Fixture.env
        env["order"] = .object(["due": .date(Day(daysSinceEpoch: .max)), "created": .datetime(Instant(secondsSinceEpoch: .min))])
        for source in ["end_of_month(order.due)", "add_months(order.due, 1)", "year(order.due)", "order.due + 1d",
                       "days_between(order.created, now())", "date(order.created)", "order.due - 2026-01-01"] {
            #expect(Fixture.failure(source, env: env) != nil, "\(source)")
        }
    }

    @Test("invalid date and duration literals are syntax errors", arguments: [
        ("2026-02-30", "invalid date `2026-02-30`"),
        ("2026-13-01", "invalid date `2026-13-01`"),
        ("2026-01-01T25:00:00Z", "invalid datetime `2026-01-01T25:00:00Z`"),
        ("10ms", "invalid duration `10ms`"),
        ("7days", "invalid duration `7days`"),
        ("1h2d", "invalid duration `1h2d`"),
        ("1.5d", "invalid duration `1.5d`"),
    ])
    func invalidLiterals(source: String, message: String) {
        let d = Fixture.diagnose(source)
        #expect(d.map(\.code) == ["E0501"])
        #expect(d.first?.message == message)
        #expect(d.first?.primary.span.column == 12)
    }
}
