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
        // Each item is read as in rules/: a bad one is named where it stands.
        let (_, wrong) = Self.apply("  business_holidays: [2026-12-24, 3000.00 EUR]\n")
        #expect(wrong.map(\.code) == ["E0105"])
        #expect(wrong.first?.message == "an item of policy override `business_holidays` must be a date constant")
        #expect(wrong.first?.primary.span.column == 35)
        // Bare words in a list of text, as in rules/; an empty list is no holidays at all.
        let (empty, emptyDs) = Self.apply("  business_holidays: []\n")
        #expect(emptyDs.isEmpty)
        #expect(Self.value(empty, "business_holidays") == .list([]))
        let (_, nested) = Self.apply("  business_holidays: [[2026-12-24]]\n")
        #expect(nested.map(\.code) == ["E0105"])
    }

    @Test("a value of the wrong type, or an unknown name, is a located error with the fix")
    func refusals() {
        let (_, wrongType) = Self.apply("  new_customer_limit: delivery\n")
        #expect(wrongType.map(\.code) == ["E0105"])
        #expect(wrongType.first?.message == "policy override `new_customer_limit` must be a money constant")
        #expect(wrongType.first?.primary.span.line == 7)

        // A whole number in its rules file is an int: the fix is in that file, and the help says so.
        let (_, whole) = Self.apply("  max_dunning_level: 2.5\n")
        #expect(whole.first?.message == "policy override `max_dunning_level` must be an int constant")
        #expect(whole.first?.help?.contains("if decimals make sense for it, write it there with one (`2.0`) and `o2c validate` says whether every use accepts a decimal") == true,
                "\(whole.first?.help ?? "")")
        // A whole number written with a zero fraction: the fix is to drop it.
        let (_, zero) = Self.apply("  max_dunning_level: 3.0\n")
        #expect(zero.first?.help == "write it as a whole number: `3`")
        // Bounds declared in rules/ hold for overrides too.
        let (_, bounded) = Self.apply("  late_fee_percent: 250.0\n")
        #expect(bounded.first?.message == "policy override `late_fee_percent`: 250 is above its max 100")
        // Money in another currency than the value it replaces would fail later, order by order.
        let (_, usd) = Self.apply("  new_customer_limit: 2000.00 USD\n")
        #expect(usd.map(\.code) == ["E0105"])
        #expect(usd.first?.message == "policy override `new_customer_limit` is in USD, the value it replaces in EUR")
        #expect(usd.first?.help?.hasPrefix("give it in EUR (the current value is 5000.00 EUR)") == true)
        // Percentages ship as decimals, so a candidate rate such as 2.5 needs no edit elsewhere.
        let (rate, rateDs) = Self.apply("  late_fee_percent: 2.5\n  statutory_interest_percent: 10.15\n")
        #expect(rateDs.isEmpty, "\(rateDs.map(\.message))")
        #expect(Self.value(rate, "statutory_interest_percent") == .number(ExactDecimal("10.15")!))

        let (_, unknown) = Self.apply("  new_customer_limt: 3000.00 EUR\n")
        #expect(unknown.map(\.code) == ["E0101"])
        #expect(unknown.first?.help == "did you mean `new_customer_limit`?")
    }
}

/// The policy diff of a list names the items that came and went, not both whole lists.
@Suite struct PolicyListDiffTests {
    @Test("a changed holiday list shows the added and removed dates; a reordered one says so")
    func listDiff() throws {
        let base = SimulateSharingTests.library()
        var cand = base
        let i = try #require(cand.policy.firstIndex { $0.name == "business_holidays" })
        guard case .list(var days) = cand.policy[i].value else { Issue.record("not a list"); return }
        let easterMonday = days.remove(at: 2)
        cand.policy[i].value = .list(days + [.date(Day(parsing: "2026-12-24")!)])
        let change = try #require(PolicyDiff.compare(base, cand).first { $0.subject == "`policy.business_holidays`" })
        #expect(change.detail == "added 2026-12-24; removed \(easterMonday) (12 → 12 items) (used by workflow `credit_check`)")
        cand.policy[i].value = .list(days.reversed() + [easterMonday])
        let reordered = try #require(PolicyDiff.compare(base, cand).first { $0.subject == "`policy.business_holidays`" })
        #expect(reordered.detail.hasPrefix("the same 12 items, in another order: ["))
    }
}
