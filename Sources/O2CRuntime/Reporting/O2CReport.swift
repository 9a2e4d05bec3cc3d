import O2CCore

/// Everything `o2c report` and the demo summary print: orders by outcome, money, the
/// reconciliation, and the KPIs of docs/kpis.md over a period [from, to).
///
/// Pure: `O2CReport(input, schema:, from:, to:)` computes it from `ReportInput`.
public struct O2CReport: Sendable {
    public var from: Instant
    public var to: Instant
    public var currency: Currency?
    /// The last moment inside the period: the figures "as of" its end. Everything at `to` itself
    /// belongs to the next period, so one period's ending AR is the next one's beginning AR, even
    /// for what was posted at midnight (ladder timers and `--now DATE` post at 00:00).
    var asOf: Instant { to.adding(Duration(seconds: -1)) }

    // Orders
    public var orders = 0
    /// Order outcome (or `open: <state>`) → count, sorted by name.
    public var ordersByOutcome: [(name: String, count: Int)] = []
    public var creditReleased = 0, creditReleasedAfterReview = 0, creditRejected = 0, creditRejectedAfterReview = 0, creditPending = 0

    // Money, as of the period's end (all time), and in the period
    public var invoiceCount = 0
    /// Invoice totals issued by `to` (all time), and late fees and interest charged by `to`.
    public var invoiced = ExactDecimal.zero, fees = ExactDecimal.zero, interest = ExactDecimal.zero
    public var cash = ExactDecimal.zero, writeOffs = ExactDecimal.zero, credits = ExactDecimal.zero
    public var openAR = ExactDecimal.zero, currentAR = ExactDecimal.zero, overdueAR = ExactDecimal.zero, beginningAR = ExactDecimal.zero
    /// The same open AR, from the invoices' own `balance` variables (when `to` is after their last step).
    public var engineOpenAR: ExactDecimal?
    /// Late fees the ladders charged (`fee` effects), and payments the invoices accepted (history).
    public var feesCharged = ExactDecimal.zero
    public var paymentsReceived = ExactDecimal.zero
    /// Credit sales = invoice totals issued in [from, to).
    public var creditSales = ExactDecimal.zero
    public var writtenOffInPeriod = ExactDecimal.zero

    // Activity
    public var notices = 0
    public var noticesByTemplate: [(name: String, count: Int)] = []
    public var suspensions = 0, agencyHandoffs = 0, creditHolds = 0, feeCount = 0
    public var deadEffects = 0

    // Ledger
    public var trialBalance = TrialBalance([])

    // KPIs
    public var days = ExactDecimal.zero, months = ExactDecimal.zero
    public var dso: ExactDecimal?, countbackDSO: ExactDecimal?, bestPossibleDSO: ExactDecimal?, averageDaysDelinquent: ExactDecimal?
    public var cei: ExactDecimal?, badDebtRatio: ExactDecimal?
    /// Order received → order completed (its last invoice paid), in days, for orders completed in the period.
    public var cycleTimes: [ExactDecimal] = []
    public var cycleMedian: ExactDecimal?, cycleP90: ExactDecimal?

    public struct StepRecovery: Sendable, Equatable {
        public var step: String
        /// Invoices on which the step fired in the period, and how many of them were paid before the next step.
        public var reached: Int
        public var recovered: Int
        public var rate: ExactDecimal? { reached == 0 ? nil : (try? ExactDecimal(recovered) * 100 / ExactDecimal(reached)) }
    }
    public var recovery: [StepRecovery] = []

    /// invoiced + fees + interest − cash − write-offs − credit notes − open AR: zero when the books agree.
    public var subledgerDifference: ExactDecimal {
        let out = [cash, writeOffs, credits, openAR].reduce(ExactDecimal.zero) { (try? $0 + $1) ?? $0 }
        let owed = [invoiced, fees, interest].reduce(ExactDecimal.zero) { (try? $0 + $1) ?? $0 }
        return (try? owed - out) ?? .zero
    }

    public init(from: Instant, to: Instant) {
        self.from = from
        self.to = to
    }
}
