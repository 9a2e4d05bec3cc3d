import O2CCore

extension O2CReport {
    /// The report for programs: exact decimals as JSON numbers, money as amounts with `currency`.
    public var json: JSON {
        func n(_ d: ExactDecimal?) -> JSON { d.map { .number($0) } ?? .null }
        func i(_ v: Int) -> JSON { .number(ExactDecimal(v)) }
        let money: [(String, JSON)] = [
            ("currency", currency.map { .string($0.code) } ?? .null), ("invoices", i(invoiceCount)), ("invoiced", n(invoiced)),
            ("fees", n(fees)), ("interest", n(interest)), ("cash", n(cash)), ("customer_credit", n(customerCredit)), ("written_off", n(writeOffs)), ("credit_notes", n(credits)), ("open_ar", n(openAR)),
            ("current_ar", n(currentAR)), ("overdue_ar", n(overdueAR)), ("beginning_ar", n(beginningAR)), ("credit_sales", n(creditSales)),
            ("revenue_recognised", n(recognisedRevenue)), ("revenue_deferred", n(deferredRevenue)),
        ]
        let kpis: [(String, JSON)] = [
            ("days", n(days)), ("months", n(months)), ("dso", n(dso)), ("countback_dso", n(countbackDSO)), ("best_possible_dso", n(bestPossibleDSO)),
            ("average_days_delinquent", n(averageDaysDelinquent)), ("cei_percent", n(cei)), ("cei_convention", .string("N = months in the period")),
            ("bad_debt_ratio_percent", n(badDebtRatio)), ("cycle_time_median_days", n(cycleMedian)), ("cycle_time_p90_days", n(cycleP90)),
            ("cycle_time_orders", i(cycleTimes.count)),
        ]
        return .object([
            ("from", .string(from.description)), ("to", .string(to.description)),
            ("orders", .object([("received", i(orders))] + ordersByOutcome.map { ($0.name, i($0.count)) })),
            ("credit", .object([("released", i(creditReleased)), ("released_after_review", i(creditReleasedAfterReview)),
                                ("rejected", i(creditRejected)), ("rejected_after_review", i(creditRejectedAfterReview)), ("pending", i(creditPending))])),
            ("money", .object(money)),
            ("reconciliation", .array(reconciliation.map { .object([("check", .string($0.label)), ("result", .string($0.result))]) })),
            ("kpis", .object(kpis)),
            ("dunning_recovery", .array(recovery.map {
                .object([("step", .string($0.step)), ("reached", i($0.reached)), ("recovered", i($0.recovered)),
                         ("rate_percent", n($0.rate))])
            })),
            ("activity", .object([("notices", i(notices)), ("suspensions", i(suspensions)), ("agency_handoffs", i(agencyHandoffs)),
                                  ("credit_holds", i(creditHolds)), ("dead_effects", i(deadEffects))]
                                 + noticesByTemplate.map { ("notices." + $0.name, i($0.count)) })),
            ("trial_balance", .array(trialBalance.accounts.map {
                .object([("account", .string($0.name)), ("debit", n($0.debit)), ("credit", n($0.credit))])
            })),
        ])
    }
}
