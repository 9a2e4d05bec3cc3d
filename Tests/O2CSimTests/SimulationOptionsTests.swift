import O2CCore
import O2CLoader
import O2CModel
import Testing
@testable import O2CSim

/// A scenario's `policy:` overrides read like the values in rules/: an analyst copies a line
/// from rules/order-policy.yaml into a scenario and changes the value.
@Suite struct SimulationOptionsTests {
    static func apply(_ overrides: String) -> (Library, [Diagnostic]) {
        let text = "population: p\nseed: 1\nstart: 2026-01-05\ndays: 10\norders: 10\npolicy:\n" + overrides
        let (options, parseProblems) = SimulationOptions.parse(text, file: "s.yaml")
        #expect(parseProblems.isEmpty, "\(parseProblems.map(\.message))")
        return options.applyPolicy(to: SimulateSharingTests.library())
    }

    static func value(_ library: Library, _ name: String) -> Value? { library.policy.first { $0.name == name }?.value }

    @Test("text may be a bare word, as in a rules file, or quoted; money and durations are constants")
    func overrides() throws {
        let (lib, ds) = Self.apply("""
          invoice_on: delivery
          new_customer_limit: 3000.00 EUR
        """)
        #expect(ds.isEmpty, "\(ds.map(\.message))")
        #expect(Self.value(lib, "invoice_on") == .string("delivery"))
        #expect(Self.value(lib, "new_customer_limit") == .money(Money(ExactDecimal(3000), Currency("EUR")!)))

        for quoted in [#"  invoice_on: '"delivery"'"#, #"  invoice_on: "delivery""#] {
            let (q, qds) = Self.apply(quoted)
            #expect(qds.isEmpty, "\(quoted): \(qds.map(\.message))")
            #expect(Self.value(q, "invoice_on") == .string("delivery"), "\(quoted)")
        }
    }

    @Test("a list is written as in rules/: a YAML list of constants of the value's item type")
    func listOverride() throws {
        let (lib, ds) = Self.apply("  business_holidays: [2026-12-24, 2026-12-31]\n")
        #expect(ds.isEmpty, "\(ds.map(\.message))")
        #expect(Self.value(lib, "business_holidays") == .list([.date(Day(parsing: "2026-12-24")!), .date(Day(parsing: "2026-12-31")!)]))
        let (_, wrong) = Self.apply("  business_holidays: [3000.00 EUR]\n")
        #expect(wrong.map(\.code) == ["E0105"])
        #expect(wrong.first?.message == "policy override `business_holidays` must be a list<date> constant")
    }

    @Test("a value of the wrong type, or an unknown name, is a located error with the fix")
    func refusals() {
        let (_, wrongType) = Self.apply("  new_customer_limit: delivery\n")
        #expect(wrongType.map(\.code) == ["E0105"])
        #expect(wrongType.first?.message == "policy override `new_customer_limit` must be a money constant")
        #expect(wrongType.first?.primary.span.line == 7)

        let (_, unknown) = Self.apply("  new_customer_limt: 3000.00 EUR\n")
        #expect(unknown.map(\.code) == ["E0101"])
        #expect(unknown.first?.help == "did you mean `new_customer_limit`?")
    }
}
