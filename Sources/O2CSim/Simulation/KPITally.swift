import O2CCore

/// The key figures of one run, accumulated step by step (nothing per order is kept).
public struct KPITally: Sendable {
    /// Top-level instances started (orders, in the shipped library).
    public var orders = 0
    /// First credit decision per order, by output value (`approve`, `review`, `reject`).
    public var decisions: [String: Int] = [:]
    /// Final outcome per order (`completed`, `cancelled`…); orders still running at the end are `(running)`.
    public var outcomes: [String: Int] = [:]
    public var fees = MoneyTotals()
    public var feeCount = 0
    /// Statutory interest booked (receivables debited, an interest account credited).
    public var interest = MoneyTotals()
    public var interestCount = 0
    /// Receivables written off (a bad-debt account debited), VAT included as the receivable is.
    public var writtenOff = MoneyTotals()
    /// `notify` effects by template.
    public var notices: [String: Int] = [:]
    /// Every other effect by action (for the report's appendix and custom figures).
    public var actions: [String: Int] = [:]
    public var suspensions = 0
    public var agencyHandoffs = 0
    public var cash = MoneyTotals()
    /// Cash collected within N days of its order's start, for each N of `KPISpec.cashDays`.
    public var cashWithin: [Int: MoneyTotals] = [:]
    /// Σ amount × days-from-order-start of every payment, per currency (cash-weighted days to pay).
    public var cashDays: [Currency: ExactDecimal] = [:]
    /// Cash per calendar day (days since 1970), for charts.
    public var cashByDay: [Int: MoneyTotals] = [:]
    public var revenue = MoneyTotals()
    /// Invoiced (opening balances) and still open (current balances of active instances).
    public var invoiced = MoneyTotals()
    public var openAR = MoneyTotals()
    /// The same from `journal` effects, when the library posts them: AR debits except fees, and
    /// AR debits − credits. Preferred for DSO (docs/kpis.md), since a balance variable may be
    /// mirrored in several instances (an invoice and its collections case).
    public var ledgerSales = MoneyTotals()
    public var ledgerAR = MoneyTotals()
    /// Credit sales and AR at the end of the sales period, for DSO.
    public var periodSample: (invoiced: MoneyTotals, openAR: MoneyTotals, days: Int)?
    public var failedInstances = 0
    public var steps = 0

    public init() {}

    /// DSO = ending AR ÷ credit sales × days in the period (docs/kpis.md), per currency, 1 decimal.
    public func dso(_ c: Currency) -> ExactDecimal? {
        guard let p = periodSample, !p.invoiced.amount(c).isZero else { return nil }
        guard let ratio = try? p.openAR.amount(c) / p.invoiced.amount(c), let d = try? ratio * ExactDecimal(p.days) else { return nil }
        return d.rounded(places: 1)
    }

    /// Average days from order start to payment, weighted by the amount paid, 1 decimal.
    public func daysToPay(_ c: Currency) -> ExactDecimal? {
        let total = cash.amount(c)
        guard !total.isZero, let weighted = cashDays[c], let d = try? weighted / total else { return nil }
        return d.rounded(places: 1)
    }
}
