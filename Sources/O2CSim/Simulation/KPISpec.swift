import O2CCore
import O2CModel

/// Which events, actions, states and tables the key figures are read from.
///
/// Why configurable with defaults rather than hard-coded: the figures come from what the
/// library does (a `fee` effect, a `payment_received` event), and libraries name things their
/// own way; `standard(for:)` picks the shipped library's names and falls back sensibly.
public struct KPISpec: Sendable {
    /// The credit table whose `decisionOutput` counts orders approved / sent to review / rejected.
    public var decisionTable: String?
    public var decisionOutput: String
    /// Events whose `amount` is cash collected.
    public var paymentEvents: Set<String>
    /// Entering one of these states counts a suspension / an agency hand-off.
    public var suspensionStates: Set<String>
    public var agencyStates: Set<String>
    /// Or emitting one of these actions does (counted once per instance either way).
    public var suspensionActions: Set<String>
    public var agencyActions: Set<String>
    /// `journal` effects crediting `revenueAccount` are revenue recognised; those debiting
    /// `receivableAccount` open receivables (credit sales, unless credited to a fee account),
    /// those crediting it settle them.
    public var journalAction: String
    public var revenueAccount: String
    public var receivableAccount: String
    public var feeAccounts: Set<String>
    /// Income accounts of late-payment interest (statutory interest), and the expense accounts of
    /// write-offs, for "interest charged" and "written off".
    public var interestAccounts: Set<String> = KPISpec.defaultInterestAccounts
    public var badDebtAccounts: Set<String> = ["bad_debt_expense"]
    public static let defaultInterestAccounts: Set<String> = ["interest_income"]
    /// The money variable holding what an invoice still owes (accounts receivable, for DSO).
    public var balanceVariable: String
    /// Cash collected within this many days of each order's start.
    public var cashDays: [Int]

    public init(decisionTable: String? = nil, decisionOutput: String = "decision", paymentEvents: Set<String> = ["payment_received"],
                suspensionStates: Set<String> = ["suspended"], agencyStates: Set<String> = ["with_agency"],
                suspensionActions: Set<String> = ["suspend_account"], agencyActions: Set<String> = ["agency_handoff"],
                journalAction: String = "journal", revenueAccount: String = "revenue", receivableAccount: String = "accounts_receivable",
                feeAccounts: Set<String> = ["late_fee_income", "fee_income", "interest_income"], balanceVariable: String = "balance",
                cashDays: [Int] = [30, 60, 90]) {
        self.decisionTable = decisionTable
        self.decisionOutput = decisionOutput
        self.paymentEvents = paymentEvents
        self.suspensionStates = suspensionStates
        self.agencyStates = agencyStates
        self.suspensionActions = suspensionActions
        self.agencyActions = agencyActions
        self.journalAction = journalAction
        self.revenueAccount = revenueAccount
        self.receivableAccount = receivableAccount
        self.feeAccounts = feeAccounts
        self.balanceVariable = balanceVariable
        self.cashDays = cashDays
    }

    /// Defaults for a library: the credit table is `credit_decision` if present, else the first
    /// table (by name) with a `decision` output; payment events are the events of a receivable
    /// (`Workflow.isReceivable`) whose name contains `payment` and that carry a money `amount`:
    /// `payment_received`, and `agency_payment` (cash the agency remits). Why only receivables: a
    /// collections case's `payment_plan_agreed` also has a money `amount`, and it is a promise,
    /// not cash.
    public static func standard(for library: Library) -> KPISpec {
        var spec = KPISpec()
        let tables = library.tables.sorted { $0.name < $1.name }
        spec.decisionTable = library.table("credit_decision")?.name ?? tables.first { t in t.outputs.contains { $0.name == "decision" } }?.name
        var payments: Set<String> = []
        for wf in library.workflows where wf.isReceivable {
            for e in wf.events where e.name.contains("payment") && e.payload["amount"]?.unwrapped == .money {
                payments.insert(e.name)
            }
        }
        if !payments.isEmpty { spec.paymentEvents = payments }
        return spec
    }
}
