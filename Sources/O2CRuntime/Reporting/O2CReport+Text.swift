import O2CCore

extension O2CReport {
    /// Revenue booked to revenue accounts (credit balance), deferred revenue still on the books,
    /// and the ledger's AR and cash: `nil` when the library books no such account.
    public var recognisedRevenue: ExactDecimal? {
        trialBalance.balance { $0.contains("revenue") && !$0.contains("deferred") }?.negated
    }
    public var deferredRevenue: ExactDecimal? { trialBalance.balance { $0.contains("deferred") }?.negated }
    public var ledgerAR: ExactDecimal? { trialBalance.balance { $0.contains("receivable") || $0 == "ar" } }
    public var ledgerCash: ExactDecimal? { trialBalance.balance { $0 == "cash" || $0.contains("bank") } }

    /// Overpayments kept as credit balances of customers.
    public var customerCredit: ExactDecimal? { trialBalance.balance { $0.contains("customer_credit") }?.negated }

    /// The reconciliation lines: what is checked, and ✓ or the difference.
    public var reconciliation: [(label: String, result: String)] {
        let c = currency
        func diff(_ a: ExactDecimal, _ b: ExactDecimal) -> String { ReportFormat.check((try? a - b) ?? .zero, c) }
        var lines: [(String, String)] = [
            ("cash applied + open AR + write-offs + credit notes and discounts = invoiced + late fees" + (interest.isZero ? "" : " + interest"),
             ReportFormat.check(subledgerDifference, c)),
        ]
        if let e = engineOpenAR { lines.append(("open AR per invoice workflows = open AR per ledger", diff(e, openAR))) }
        if trialBalance.entries > 0 {
            lines.append(("debits = credits (\(trialBalance.entries) journal entries)", diff(trialBalance.debits, trialBalance.credits)))
            if let ar = ledgerAR { lines.append(("receivables account = open AR", diff(ar, openAR))) }
            lines.append(("late fees charged by the ladder = late fees booked", diff(feesCharged, fees)))
            if let booked = ledgerCash { lines.append(("payments received = cash account", diff(paymentsReceived, booked))) }
        }
        return lines
    }

    /// Where the money is, as of `to` (all invoices ever issued).
    public var moneySection: [String] {
        let c = currency
        let m = { (d: ExactDecimal) in ReportFormat.money(d, c) }
        var out = ["Money (as of \(to.day))"]
        out.append(ReportFormat.line("invoiced", m(invoiced), note: "\(invoiceCount) invoice\(invoiceCount == 1 ? "" : "s")"))
        out.append(ReportFormat.line("late fees charged", m(fees), note: "\(feeCount) fee\(feeCount == 1 ? "" : "s")"))
        if !interest.isZero { out.append(ReportFormat.line("statutory interest charged", m(interest))) }
        out.append(ReportFormat.line("cash applied to invoices", m(cash)))
        if let credit = customerCredit, !credit.isZero { out.append(ReportFormat.line("overpayments, as customer credit", m(credit))) }
        out.append(ReportFormat.line("credit notes and discounts", m(credits), note: "credit notes, early-payment discounts, short pays, agency commission"))
        out.append(ReportFormat.line("written off", m(writeOffs)))
        out.append(ReportFormat.line("open AR", m(openAR), note: "not yet due \(m(currentAR)), overdue \(m(overdueAR))"))
        if let r = recognisedRevenue { out.append(ReportFormat.line("revenue recognised", m(r))) }
        if let d = deferredRevenue { out.append(ReportFormat.line("revenue deferred", m(d), note: "invoiced, not yet earned")) }
        return out
    }

    public var reconciliationSection: [String] {
        ["Reconciliation"] + reconciliation.map { "  \($0.result)  \($0.label)" }
    }

    /// The KPIs over [from, to).
    public var kpiSection: [String] {
        let m = { (d: ExactDecimal) in ReportFormat.money(d, currency) }
        var out = ["KPIs \(from.day) → \(to.day) (\(ReportFormat.one(days)) days, N = \(ReportFormat.one(months)) months; formulas in docs/kpis.md)"]
        out.append(ReportFormat.line("credit sales", m(creditSales), note: "invoiced in the period, net + VAT"))
        out.append(ReportFormat.line("DSO", ReportFormat.days(dso), note: "ending AR ÷ credit sales × days"))
        out.append(ReportFormat.line("countback DSO", ReportFormat.days(countbackDSO), note: "ending AR walked back over monthly sales"))
        out.append(ReportFormat.line("best possible DSO", ReportFormat.days(bestPossibleDSO), note: "not-yet-due AR ÷ credit sales × days"))
        out.append(ReportFormat.line("average days delinquent", ReportFormat.days(averageDaysDelinquent), note: "DSO − best possible DSO"))
        out.append(ReportFormat.line("CEI", ReportFormat.percent(cei), note: "(BegAR + sales/N − EndAR) ÷ (BegAR + sales/N − EndCurrentAR)"))
        out.append(ReportFormat.line("bad-debt ratio", ReportFormat.percent(badDebtRatio), note: "written off ÷ credit sales"))
        out.append(ReportFormat.line("O2C cycle time", "median \(ReportFormat.days(cycleMedian)), p90 \(ReportFormat.days(cycleP90))",
                                     note: "order received → completed (paid), \(cycleTimes.count) orders"))
        return out
    }

    public var recoverySection: [String] {
        guard !recovery.isEmpty else { return [] }
        var out = ["Dunning recovery (invoices paid after a step and before the next one)"]
        for r in recovery {
            out.append(ReportFormat.line(r.step, ReportFormat.percent(r.rate), note: "\(r.recovered) of \(r.reached)"))
        }
        return out
    }

    /// Orders and credit decisions.
    public var orderSection: [String] {
        var out = ["Orders (ended \(from.day) → \(to.day) by outcome, and open at the end)"]
        out.append(ReportFormat.line("orders", "\(orders)"))
        for (name, n) in ordersByOutcome {
            let share = (try? ExactDecimal(n) * 100 / ExactDecimal(max(orders, 1))).map { ReportFormat.percent($0) } ?? ""
            out.append(ReportFormat.line("  " + name, "\(n)", note: share))
        }
        out.append(ReportFormat.line("credit: released at once", "\(creditReleased)"))
        out.append(ReportFormat.line("credit: released after review", "\(creditReleasedAfterReview)"))
        out.append(ReportFormat.line("credit: rejected", "\(creditRejected + creditRejectedAfterReview)", note: "\(creditRejectedAfterReview) after review"))
        if creditPending > 0 { out.append(ReportFormat.line("credit: waiting for a decision", "\(creditPending)")) }
        return out
    }

    /// Notices and collection actions.
    public var activitySection: [String] {
        var out = ["Collections activity"]
        out.append(ReportFormat.line("notices sent", "\(notices)"))
        for (t, n) in noticesByTemplate { out.append(ReportFormat.line("  " + t, "\(n)")) }
        out.append(ReportFormat.line("credit holds", "\(creditHolds)"))
        out.append(ReportFormat.line("account suspensions", "\(suspensions)"))
        out.append(ReportFormat.line("agency hand-offs", "\(agencyHandoffs)"))
        if deadEffects > 0 { out.append(ReportFormat.line("effects dead-lettered", "\(deadEffects)", note: "see `o2c outbox --dead`")) }
        return out
    }

    public var text: String {
        [orderSection, activitySection, moneySection, reconciliationSection, kpiSection, recoverySection]
            .filter { !$0.isEmpty }.map { $0.joined(separator: "\n") }.joined(separator: "\n\n")
    }
}
