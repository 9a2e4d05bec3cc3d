import O2CCore
import O2CSim
import Testing

/// Policy changes whose effect is known exactly, checked number by number.
@Suite struct SimulateKnownEffectTests {
    typealias F = SimulateFixtures

    /// Seven new customers' orders; the limit drops from 5000 to 3000: the orders of 3500, 4000
    /// and 5000 EUR (12500 EUR in all) move from auto-approval to review, the others stay.
    @Test("lowering the new-customer limit moves exactly the orders between the two limits to review")
    func newCustomerLimit() throws {
        let baseline = F.library(F.credit)
        let candidate = F.library(F.credit.replacingAll("new_customer_limit: 5000.00 EUR", with: "new_customer_limit: 3000.00 EUR"))
        let totals = ["1000.00", "2500.00", "3000.00", "3500.00", "4000.00", "5000.00", "6000.00"]
        var arrivals = totals.enumerated().map { i, t in
            F.start("credit_check", "O-\(i + 1)", at: "2026-01-0\(i + 1)T09:00:00Z",
                    ["order": .object(["id": .string("O-\(i + 1)"), "total": .money(F.money(t))]), "customer": .object(["segment": .string("new")])])
        }
        arrivals.append(F.start("credit_check", "O-8", at: "2026-01-08T09:00:00Z",
                                ["order": .object(["id": .string("O-8"), "total": .money(F.money("100.00"))]), "customer": .object(["segment": .string("blocked")])]))
        let r = F.simulate(baseline, candidate, arrivals, until: "2026-03-01")

        #expect(r.changes.map(\.text) == ["rules/policy.yaml: `policy.new_customer_limit` 5000.00 EUR → 3000.00 EUR (used by table `credit_decision`)"])
        #expect(F.kpi(r, "orders")! == ("8", "8"))
        #expect(F.kpi(r, "auto-approved")! == ("6", "3"))
        #expect(F.kpi(r, "sent to review")! == ("1", "4"))
        #expect(F.kpi(r, "rejected")! == ("1", "1"))
        #expect(F.kpi(r, "ended `released`")! == ("6", "3"))
        #expect(F.kpi(r, "notices `credit_review_requested`")! == ("1", "4"))

        #expect(r.compared == 8)
        #expect(r.identical == 5)
        #expect(r.groups.count == 1)
        let g = try #require(r.groups.first)
        #expect(g.label == "released → in_review")
        #expect(g.count == 3)
        #expect(g.atStake.text() == "12500.00 EUR")
        #expect(g.examples.map(\.root) == ["O-4", "O-5", "O-6"])
        let first = try #require(g.examples.first?.divergence)
        #expect(first.at == F.at("2026-01-04T09:00:00Z"))
        #expect(first.place == "credit_check.checking")
        #expect(first.baseline?.action == "→ released")
        #expect(first.candidate?.action == "→ in_review")
    }

    /// Invoices due 2026-01-31 and paid 10, 20, 22, 25, 29, 35 days late, and one never. With
    /// the fee at day 30, two are charged (35 days late, never); at day 21, five: the three paid
    /// between day 21 and day 30 are charged only under the candidate, 40.00 EUR each.
    @Test("moving the late fee from day 30 to day 21 charges exactly the invoices paid between day 21 and 30")
    func lateFeeDay() throws {
        let baseline = F.library(F.invoice)
        let candidate = F.library(F.invoice.replacingAll("offset: 30d", with: "offset: 21d"))
        let lateness: [Int?] = [10, 20, 22, 25, 29, 35, nil]
        var arrivals: [Arrival] = []
        for (i, _) in lateness.enumerated() {
            arrivals.append(F.start("invoice", "INV-\(i + 1)", at: "2026-01-01T00:00:00Z",
                                    ["invoice": .object(["id": .string("INV-\(i + 1)"), "total": .money(F.money("1000.00")), "due_date": .date(Day(parsing: "2026-01-31")!)])]))
        }
        let due = F.at("2026-01-31T00:00:00Z")
        let payments = lateness.enumerated().compactMap { i, d in d.map { (i, due.adding(.days($0)).adding(Duration(seconds: 12 * 3600))) } }
        for (i, t) in payments.sorted(by: { $0.1 < $1.1 }) {
            arrivals.append(Arrival(at: t, root: "INV-\(i + 1)", what: .event(instance: "INV-\(i + 1)", name: "payment_received",
                                                                                 payload: ["amount": .money(F.money("1040.00"))], id: "bank-\(i + 1)")))
        }
        let r = F.simulate(baseline, candidate, arrivals, until: "2026-06-01")

        #expect(r.changes.map(\.text) == ["rules/policy.yaml: ladder `b2b` step `late_fee`: day 30 → 21"])
        #expect(F.kpi(r, "fees charged")! == ("2", "5"))
        #expect(F.kpi(r, "fee amount")! == ("80.00 EUR", "200.00 EUR"))
        #expect(F.kpi(r, "notices `first_notice`")! == ("7", "7"))
        #expect(F.kpi(r, "collected in all")! == ("6240.00 EUR", "6240.00 EUR"))
        #expect(r.compared == 7)
        #expect(r.identical == 2)
        let fee = try #require(r.groups.first { $0.label == "no fee → fee charged" })
        #expect(fee.count == 3)
        #expect(fee.examples.map(\.root) == ["INV-3", "INV-4", "INV-5"])
        #expect(fee.feeDelta.text() == "120.00 EUR")
        #expect(fee.atStake.text() == "3000.00 EUR")
        let d = try #require(fee.examples.first?.divergence)
        #expect(d.at == F.at("2026-02-21T00:00:00Z"))
        #expect(d.candidate?.action == "fee 40.00 EUR")
        #expect(d.baseline?.action == "→ paid")
        // Charged under both, only earlier under the candidate.
        let timing = try #require(r.groups.first { $0.label == "`fee` earlier" })
        #expect(timing.count == 2)
        #expect(timing.feeDelta.isZero)
        #expect(r.groups.count == 2)
    }
}
