import O2CCore
@testable import O2CRuntime
import Testing

private func d(_ s: String) -> ExactDecimal { ExactDecimal(s)! }
private func t(_ s: String) -> Instant { Instant(parsing: s)! }
private func eur(_ s: String) -> Value { .money(Money(ExactDecimal(s)!, Currency("EUR")!)) }

/// The KPI formulas of docs/kpis.md against hand-computed examples, in exact decimals.
@Suite struct KPIFormulaTests {
    @Test("DSO, best possible DSO and days delinquent (AR 120,000; sales 270,000 over 90 days; current 80,000)")
    func dso() {
        let dso = KPI.dso(endingAR: 120_000, creditSales: 270_000, days: 90)
        let best = KPI.bestPossibleDSO(currentAR: 80_000, creditSales: 270_000, days: 90)
        #expect(dso == 40)
        #expect(best == d("26.666666666667"))
        #expect(KPI.averageDaysDelinquent(dso: dso, bestPossible: best) == d("13.333333333333"))
        #expect(ReportFormat.days(best) == "26.7 days")
        #expect(KPI.dso(endingAR: 5, creditSales: 0, days: 90) == nil)
    }

    @Test("countback DSO walks back over monthly sales")
    func countback() {
        // AR 150,000; March sales 100,000 (31 days) are used up, then 50,000 of February's 80,000 (28 days): 31 + 17.5.
        let months: [(sales: ExactDecimal, days: ExactDecimal)] = [(100_000, 31), (80_000, 28), (90_000, 31)]
        #expect(KPI.countbackDSO(endingAR: 150_000, months: months) == d("48.5"))
        #expect(KPI.countbackDSO(endingAR: 50_000, months: months) == d("15.5"))
        // More AR than all sales: capped at the period's days.
        #expect(KPI.countbackDSO(endingAR: 500_000, months: months) == 90)
    }

    @Test("CEI with N = months in the period (creditguru's data: 55.9 %, not 79.6 %)")
    func cei() {
        let cei = KPI.cei(beginningAR: 6_200, creditSales: 10_890, months: 3, endingAR: 6_340, endingCurrentAR: 3_590)
        #expect(cei == d("55.929487179487"))
        #expect(ReportFormat.percent(cei) == "55.9 %")
    }

    @Test("bad-debt ratio")
    func badDebt() {
        #expect(KPI.badDebtRatio(writtenOff: 5_400, creditSales: 270_000) == 2)
    }

    @Test("median and p90 by nearest rank")
    func percentiles() {
        #expect(KPI.median([3, 1, 2]) == 2)
        #expect(KPI.median([4, 1, 3, 2]) == d("2.5"))
        #expect(KPI.percentile((1...10).map { ExactDecimal($0) }, 90) == 9)
        #expect(KPI.percentile((1...20).map { ExactDecimal($0) }, 90) == 18)
        #expect(KPI.percentile([5], 90) == 5)
        #expect(KPI.median([]) == nil)
    }

    @Test("months in a period: whole calendar months count 1, partial ones their share")
    func months() {
        #expect(KPI.months(from: Day(parsing: "2026-01-01")!, to: Day(parsing: "2026-04-01")!) == 3)
        #expect(KPI.months(from: Day(parsing: "2026-01-16")!, to: Day(parsing: "2026-02-01")!) == d("0.516129032258"))
    }

    @Test("money prints with thousands separators")
    func format() {
        #expect(ReportFormat.money(d("1234567.5"), Currency("EUR")) == "1,234,567.50 EUR")
        #expect(ReportFormat.money(d("-40"), Currency("EUR")) == "-40.00 EUR")
        #expect(ReportFormat.money(d("999"), nil) == "999.00")
    }
}

/// The sub-ledger, the trial balance and the report built from hand-written store contents.
@Suite struct ReportTests {
    static func journal(_ invoice: String, _ debit: String, _ credit: String, _ amount: String, _ at: String) -> ReportInput.EffectRow {
        .init(instanceId: "invoice-\(invoice)", action: "journal",
              arguments: ["debit": .string(debit), "credit": .string(credit), "amount": eur(amount), "invoice": .string(invoice)], at: t(at))
    }

    /// Order SO-1 (received 2026-01-01 10:00) with invoice INV-1 of 1,000 EUR due 2026-02-01: a part
    /// payment of 500, a 40 EUR late fee, then 540 paying it off; order SO-2 with invoice INV-2 of
    /// 200 EUR, written off. Journal entries as the shipped library books them.
    static var input: ReportInput {
        var input = ReportInput()
        func invoice(_ id: String, parent: String, total: String, due: String, state: String, outcome: String?, status: String, updated: String,
                     balance: String) -> ReportInput.Instance {
            .init(id: "invoice-\(id)", workflow: "invoice", parentId: parent, state: state, status: status, outcome: outcome, createdAt: t("2026-01-02"),
                  updatedAt: t(updated), inputs: ["invoice": .object(["id": .string(id), "total": eur(total), "due_date": .date(Day(parsing: due)!)])],
                  context: ["balance": eur(balance)])
        }
        input.instances = [
            .init(id: "order-SO-1", workflow: "order", state: "completed", status: "completed", outcome: "completed",
                  createdAt: t("2026-01-01T10:00:00Z"), updatedAt: t("2026-03-10")),
            .init(id: "invoicing-SO-1", workflow: "invoicing", parentId: "order-SO-1", state: "closed", createdAt: t("2026-01-02")),
            invoice("INV-1", parent: "invoicing-SO-1", total: "1000", due: "2026-02-01", state: "paid", outcome: "paid", status: "completed",
                    updated: "2026-03-10", balance: "0"),
            .init(id: "order-SO-2", workflow: "order", state: "closed_unpaid", status: "completed", outcome: "closed_unpaid",
                  createdAt: t("2026-01-05"), updatedAt: t("2026-03-01")),
            invoice("INV-2", parent: "order-SO-2", total: "200", due: "2026-02-10", state: "written_off", outcome: "written_off", status: "completed",
                    updated: "2026-03-01", balance: "0"),
        ]
        input.history["invoice-INV-1"] = [
            .init(at: t("2026-02-02"), kind: "ladder", data: ["step": .string("first_notice"), "result": .string("fired")]),
            .init(at: t("2026-02-10"), kind: "event", data: ["name": .string("payment_received"), "payload": .object(["amount": eur("500")])]),
            .init(at: t("2026-02-11"), kind: "event", data: ["name": .string("payment_received"), "payload": .object(["amount": eur("9999")])]),
            .init(at: t("2026-02-11"), kind: "ignored", data: [:]),
            .init(at: t("2026-03-03"), kind: "ladder", data: ["step": .string("late_fee"), "result": .string("fired")]),
            .init(at: t("2026-03-10"), kind: "event", data: ["name": .string("payment_received"), "payload": .object(["amount": eur("540")])]),
        ]
        input.history["invoice-INV-2"] = [
            .init(at: t("2026-02-11"), kind: "ladder", data: ["step": .string("first_notice"), "result": .string("fired")]),
        ]
        input.effects = [
            journal("INV-1", "accounts_receivable", "deferred_revenue", "840.34", "2026-01-02"),
            journal("INV-1", "accounts_receivable", "tax_payable", "159.66", "2026-01-02"),
            journal("INV-2", "accounts_receivable", "deferred_revenue", "200", "2026-01-05"),
            journal("INV-1", "cash", "accounts_receivable", "500", "2026-02-10"),
            .init(instanceId: "invoice-INV-1", action: "fee", arguments: ["amount": eur("40")], at: t("2026-03-03")),
            journal("INV-1", "accounts_receivable", "late_fee_income", "40", "2026-03-03"),
            journal("INV-2", "bad_debt_expense", "accounts_receivable", "200", "2026-03-01"),
            journal("INV-1", "cash", "accounts_receivable", "540", "2026-03-10"),
            journal("INV-1", "deferred_revenue", "revenue", "840.34", "2026-01-04"),
            .init(instanceId: "invoice-INV-1", action: "notify", arguments: ["template": .string("first_notice")], at: t("2026-02-02")),
        ]
        return input
    }

    static let schema = ReportSchema(orderWorkflow: "order", creditWorkflow: nil, invoiceWorkflows: ["invoice"],
                                     ladderSteps: ["first_notice", "late_fee", "suspension"])

    @Test("the ledger rebuilds each invoice from its receivables journal lines")
    func ledger() throws {
        let ledger = InvoiceLedger.build(Self.input, schema: Self.schema)
        let inv = try #require(ledger.invoices.first { $0.id == "invoice-INV-1" })
        #expect(inv.total == 1000)
        #expect(inv.movements.filter { $0.kind == .payment }.map(\.amount) == [500, 540])
        #expect(inv.balance(at: t("2026-02-10T12:00:00Z")) == 500)
        #expect(inv.balance(at: t("2026-03-05")) == 540)
        #expect(inv.paidAt == t("2026-03-10"))
        #expect(inv.orderId == "order-SO-1" && inv.orderedAt == t("2026-01-01T10:00:00Z"))
        let written = try #require(ledger.invoices.first { $0.id == "invoice-INV-2" })
        #expect(written.paidAt == nil)
        #expect(written.sum(.writeOff, through: nil) == 200)
        #expect(written.balance(at: t("2026-04-01")) == 0)
    }

    @Test("without journal entries the ledger falls back to totals, accepted payments and effects")
    func fallback() throws {
        var input = Self.input
        input.effects.removeAll { $0.action == "journal" }
        let ledger = InvoiceLedger.build(input, schema: Self.schema)
        let inv = try #require(ledger.invoices.first { $0.id == "invoice-INV-1" })
        #expect(inv.movements.filter { $0.kind == .payment }.map(\.amount) == [500, 540], "the ignored 9,999 is not cash")
        #expect(inv.balance(at: t("2026-04-01")) == 0)
    }

    @Test("cash + open AR + write-offs = invoiced + fees; debits = credits; sub-ledger = ledger")
    func reconciliation() {
        let r = O2CReport(Self.input, schema: Self.schema, from: t("2026-01-01"), to: t("2026-04-01"))
        #expect(r.invoiced == 1200 && r.fees == 40 && r.cash == 1040 && r.writeOffs == 200 && r.credits == 0 && r.openAR == 0)
        #expect(r.subledgerDifference == 0)
        #expect(r.engineOpenAR == 0)
        #expect(r.feesCharged == 40 && r.paymentsReceived == 1040)
        #expect(r.trialBalance.debits == r.trialBalance.credits)
        #expect(r.ledgerAR == 0)
        #expect(r.recognisedRevenue == d("840.34"))
        #expect(r.deferredRevenue == 200)
        #expect(r.reconciliation.allSatisfy { $0.result == "✓" }, "\(r.reconciliation)")
    }

    @Test("statutory interest is owed like a fee but counted apart: not invoiced, not a late fee, and the books still agree")
    func interest() throws {
        var input = Self.input
        // INV-1 is charged 15.22 interest at its hand-off and the last payment covers it too.
        input.effects.append(Self.journal("INV-1", "accounts_receivable", "interest_income", "15.22", "2026-03-05"))
        input.effects.removeAll { $0.action == "journal" && $0.at == t("2026-03-10") }
        input.effects.append(Self.journal("INV-1", "cash", "accounts_receivable", "555.22", "2026-03-10"))
        input.history["invoice-INV-1"]![5] = .init(at: t("2026-03-10"), kind: "event",
                                                    data: ["name": .string("payment_received"), "payload": .object(["amount": eur("555.22")])])
        let r = O2CReport(input, schema: Self.schema, from: t("2026-01-01"), to: t("2026-04-01"))
        #expect(r.invoiced == 1200 && r.fees == 40 && r.interest == d("15.22") && r.cash == d("1055.22") && r.openAR == 0)
        #expect(r.creditSales == 1200, "interest is not a sale (DSO)")
        #expect(r.subledgerDifference == 0)
        #expect(r.reconciliation.allSatisfy { $0.result == "✓" }, "\(r.reconciliation)")
        #expect(r.reconciliation.first?.label.hasSuffix("= invoiced + late fees + interest") == true)
        #expect(r.moneySection.contains { $0.contains("statutory interest charged") && $0.contains("15.22") })
        // Without interest the report reads as before.
        let plain = O2CReport(Self.input, schema: Self.schema, from: t("2026-01-01"), to: t("2026-04-01"))
        #expect(!plain.moneySection.contains { $0.contains("interest") })
        #expect(plain.reconciliation.first?.label.hasSuffix("= invoiced + late fees") == true)
    }

    @Test("a difference is shown, not hidden")
    func difference() {
        var input = Self.input
        input.instances[2].context["balance"] = eur("10")
        let r = O2CReport(input, schema: Self.schema, from: t("2026-01-01"), to: t("2026-04-01"))
        #expect(r.reconciliation.contains { $0.result == "✗ off by 10.00 EUR" })
    }

    @Test("KPIs over a period from the ledger")
    func kpis() {
        // At 2026-02-15: INV-1 owes 500 and INV-2 200, both past due; sales 1,200 in 45 days.
        let r = O2CReport(Self.input, schema: Self.schema, from: t("2026-01-01"), to: t("2026-02-15"))
        #expect(r.openAR == 700 && r.currentAR == 0 && r.creditSales == 1200)
        #expect(r.dso == d("26.25"))
        #expect(r.bestPossibleDSO == 0)
        #expect(r.averageDaysDelinquent == d("26.25"))
        #expect(r.beginningAR == 0)
        // Cycle time: order received 2026-01-01T10:00, completed 2026-03-10T00:00 = 67 days 14 hours.
        let later = O2CReport(Self.input, schema: Self.schema, from: t("2026-01-01"), to: t("2026-04-01"))
        #expect(later.cycleTimes == [d("67.583333333333")])
        #expect(later.orders == 2 && later.ordersByOutcome.map(\.name) == ["closed_unpaid", "completed"])
        #expect(later.notices == 1)
        #expect(later.badDebtRatio == d("16.666666666667"))
    }

    @Test("adjacent periods meet: what is posted at a midnight boundary is in exactly one of them")
    func periodBoundary() {
        // INV-2's write-off is booked at 2026-03-01T00:00, the boundary between February and March.
        let february = O2CReport(Self.input, schema: Self.schema, from: t("2026-02-01"), to: t("2026-03-01"))
        let march = O2CReport(Self.input, schema: Self.schema, from: t("2026-03-01"), to: t("2026-04-01"))
        #expect(february.openAR == 700, "February ends before the write-off")
        #expect(march.beginningAR == february.openAR)
        #expect(february.writtenOffInPeriod == 0 && march.writtenOffInPeriod == 200)
    }

    @Test("an invoice due on the period's last day is still current at its end")
    func dueOnLastDay() {
        // INV-2 is due 2026-02-10 and owes 200 through February; at the end of 10 February it is not yet late.
        let due = O2CReport(Self.input, schema: Self.schema, from: t("2026-01-01"), to: t("2026-02-11"))
        let after = O2CReport(Self.input, schema: Self.schema, from: t("2026-01-01"), to: t("2026-02-12"))
        #expect(due.currentAR == 200)
        #expect(after.currentAR == 0)
    }

    @Test("countback DSO walks back before the period's start when the AR needs it")
    func countbackBeforeThePeriod() {
        // March alone: ending AR 540 (INV-1 after its late fee), no sales in March; January's 1,200 explain it.
        let march = O2CReport(Self.input, schema: Self.schema, from: t("2026-03-01"), to: t("2026-03-05"))
        #expect(march.openAR == 540)
        // 4 days of March + 28 of February (no sales) + 540 ÷ 1,200 × 31 of January = 45.95
        #expect(march.countbackDSO == d("45.95"))
    }

    @Test("CEI is n/a when nothing was collectible, not a rate above 100 %")
    func ceiUndefined() {
        #expect(KPI.cei(beginningAR: 0, creditSales: 100, months: 3, endingAR: 90, endingCurrentAR: 60) == nil)
        #expect(KPI.cei(beginningAR: 6200, creditSales: 10890, months: 3, endingAR: 6340, endingCurrentAR: 3590) != nil)
    }

    @Test("dunning recovery: paid after a step and before the next one")
    func recovery() {
        let r = O2CReport(Self.input, schema: Self.schema, from: t("2026-01-01"), to: t("2026-04-01"))
        // first_notice fired on both; INV-1 got late_fee before it was paid, INV-2 was written off.
        #expect(r.recovery.map(\.step) == ["first_notice", "late_fee"])
        #expect(r.recovery[0].reached == 2 && r.recovery[0].recovered == 0)
        #expect(r.recovery[1].reached == 1 && r.recovery[1].recovered == 1 && r.recovery[1].rate == 100)
    }

    @Test("malformed journal entries show as a difference")
    func trialBalance() {
        let rows: [ReportInput.EffectRow] = [
            .init(instanceId: "x", action: "journal", arguments: ["debit": .string("ar"), "credit": .string("revenue"), "amount": eur("10")], at: t("2026-01-01")),
            .init(instanceId: "x", action: "journal", arguments: ["debit": .string("ar"), "amount": eur("5")], at: t("2026-01-01")),
        ]
        let tb = TrialBalance(rows)
        #expect(tb.entries == 2 && tb.malformed == 1)
        #expect(tb.debits == 15 && tb.credits == 10)
        #expect(tb.accounts.map(\.name) == ["ar", "revenue"])
    }
}
