import O2CCore
import O2CLoader
import O2CModel
import Testing

/// A policy value written as a YAML list (the business calendar's holidays) is a typed list.
@Suite struct PolicyListTests {
    func load(_ rules: String) -> (Library, [Diagnostic]) {
        LibraryLoader.load([LibraryLoader.Source(path: "rules/calendar.yaml", text: rules)])
    }

    @Test("a YAML list of dates is a `list<date>`, flow or block, with or without a description")
    func listOfDates() throws {
        let (lib, ds) = load("""
            policy:
              business_holidays: [2026-12-25, 2026-12-26]
              closing_days:
                value:
                  - 2026-05-01
                description: Days the warehouse is closed.
            """)
        #expect(ds.isEmpty, "\(ds.map(\.message))")
        let holidays = try #require(lib.policy.first { $0.name == "business_holidays" })
        #expect(holidays.type.description == "list<date>")
        #expect(holidays.value == .list([.date(Day(parsing: "2026-12-25")!), .date(Day(parsing: "2026-12-26")!)]))
        let closing = try #require(lib.policy.first { $0.name == "closing_days" })
        #expect(closing.value == .list([.date(Day(parsing: "2026-05-01")!)]))
        #expect(closing.description == "Days the warehouse is closed.")
    }

    @Test("min and max bound a value (every item of a list), both included; a value outside, or a bound of another type, is E0105 where it is written")
    func bounds() throws {
        let (lib, ds) = load("""
            policy:
              late_fee_percent: {value: 2.5, min: 0, max: 100}
              limit: {value: 3000.00 EUR, min: 0.00 EUR}
              closing_days: {value: [2026-05-01], min: 2026-01-01, max: 2026-12-31}
            """)
        #expect(ds.isEmpty, "\(ds.map(\.message))")
        let fee = try #require(lib.policy.first { $0.name == "late_fee_percent" })
        #expect(fee.minimum == .number(0) && fee.maximum == .number(100))
        let (_, above) = load("policy:\n  late_fee_percent: {value: 250, min: 0, max: 100}\n")
        #expect(above.map(\.message) == ["policy value `late_fee_percent`: 250 is above its max 100"])
        #expect(above.first?.primary.span.column == 29)
        let (_, item) = load("policy:\n  closing_days: {value: [2026-05-01, 2027-01-02], max: 2026-12-31}\n")
        #expect(item.map(\.message) == ["policy value `closing_days`: 2027-01-02 is above its max 2026-12-31"])
        // Bounds that agree with each other but not with the value: the value is named, once.
        let (kindLib, kind) = load("policy:\n  limit: {value: 3000.00 EUR, min: 0}\n")
        #expect(kind.map(\.message) == ["policy value `limit` is money, but its `min`/`max` are a number"])
        #expect(kindLib.policy.first?.type == .any, "its uses are not reported again")
        let (_, quoted) = load("policy:\n  rate: {value: \"10.15\", min: 0, max: 30}\n")
        #expect(quoted.map(\.message) == ["policy value `rate` is string (it is quoted, and a quoted value is text: remove the quotes), but its `min`/`max` are a number"])
        // A bound alone of another type than the value is the bound's slip.
        let (_, bound) = load("policy:\n  limit: {value: 3000.00 EUR, min: 0.00 EUR, max: 9}\n")
        #expect(bound.map(\.message) == ["`max` of policy value `limit` must be money like its value, found `9`"])
        let (_, currency) = load("policy:\n  limit: {value: 3000.00 EUR, min: 0.00 USD}\n")
        #expect(currency.map(\.code) == ["E0105"], "a bound in another currency cannot be compared")
        let (_, swapped) = load("policy:\n  rate: {value: 5.0, min: 10, max: 1}\n")
        #expect(swapped.map(\.message) == ["policy value `rate` has `min` 10 above `max` 1"])
    }

    @Test("a type error reading a policy value points at the value, in files saved with Windows line ends too")
    func typeHintsCRLF() throws {
        let rules = "policy:\r\n  rate: {value: 2.5 EUR}\r\n"
        let workflow = "workflow: w\r\nstart: a\r\nstates:\r\n  a:\r\n    always:\r\n      - when: policy.rate > 2\r\n        goto: b\r\n      - goto: b\r\n  b: {final: true}\r\n"
        let (lib, ds) = LibraryLoader.load([.init(path: "rules/r.yaml", text: rules), .init(path: "workflows/w.yaml", text: workflow)])
        let error = try #require(ds.first { $0.code == "E0504" })
        #expect(error.secondary.contains { $0.span.file == "rules/r.yaml" && $0.text == "`policy.rate` is money, from its value here" })
        let text = DiagnosticRenderer(sources: lib.sources).render(error)
        #expect(text.contains("6 |       - when: policy.rate > 2"), "\(text)")
        #expect(text.contains("2 |   rate: {value: 2.5 EUR}"), "\(text)")
    }

    @Test("an empty list, or items of different types, is E0105 at the value")
    func badLists() {
        let (_, empty) = load("policy:\n  business_holidays: []\n")
        #expect(empty.map(\.code) == ["E0105"])
        #expect(empty.first?.message == "policy value `business_holidays` is an empty list, so its type is unknown")
        #expect(empty.first?.primary.span.line == 2)
        let (_, mixed) = load("policy:\n  business_holidays: [2026-12-25, 5.00 EUR]\n")
        #expect(mixed.map(\.code) == ["E0105"])
        #expect(mixed.first?.message == "the items of policy value `business_holidays` differ in type: `2026-12-25` is date, `5.00 EUR` is money")
        #expect(mixed.first?.primary.span.column == 35)
        let (_, two) = load("policy:\n  business_holidays: [2026-12-25, 5.00 EUR, 2026-12-26, true]\n")
        #expect(two.map(\.code) == ["E0105", "E0105"], "every bad item is reported at once")
        let (lib, numbers) = load("policy:\n  steps: [1, 1.5]\n")
        #expect(numbers.isEmpty)
        #expect(lib.policy.first?.type.description == "list<decimal>")
    }
}
