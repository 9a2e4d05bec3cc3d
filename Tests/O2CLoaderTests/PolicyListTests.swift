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
