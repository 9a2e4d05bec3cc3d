import O2CCore
import O2CExpr
import O2CModel

/// Which workflows, events and actions carry which business meaning, for reports.
///
/// Found from the library (an invoice is a workflow that takes money `payment…` events against
/// a `due_date` and runs a dunning ladder); money is read from `journal` {debit, credit, amount,
/// memo, invoice} effects on `accounts_receivable` (docs/kpis.md); `fee` effects are the ladder's
/// late fees; `notify`, `suspend_account`, `credit_hold`, `agency_export` are counted.
public struct ReportSchema: Sendable {
    /// The workflow an order starts (`order`).
    public var orderWorkflow: String?
    /// The credit check, whose outcome says released or rejected, and whether it was reviewed.
    public var creditWorkflow: String?
    public var invoiceWorkflows: Set<String>
    public var paymentEvents: Set<String> = ["payment_received"]
    public var feeActions: Set<String> = ["fee"]
    public var writeOffActions: Set<String> = ["write_off"]
    public var creditNoteActions: Set<String> = ["credit_note", "issue_credit_note", "discount", "apply_discount"]
    public var suspendActions: Set<String> = ["suspend_account"]
    public var agencyActions: Set<String> = ["agency_handoff", "agency_export"]
    public var creditHoldActions: Set<String> = ["credit_hold"]
    public var journalAction = "journal"
    /// The general-ledger account of receivables; the others are recognised by name.
    public var receivablesAccount = "accounts_receivable"

    public func isCash(_ account: String) -> Bool { account == "cash" || account.contains("bank") }
    public func isBadDebt(_ account: String) -> Bool { account.contains("bad_debt") || account.contains("write_off") }
    public func isFeeIncome(_ account: String) -> Bool { account.contains("fee") }
    /// Late-payment interest (statutory interest): owed like a fee, but neither a sale nor a late fee.
    public func isInterestIncome(_ account: String) -> Bool { account.contains("interest") }
    /// States of the credit workflow meaning "a person looked at it".
    public var reviewStates: Set<String> = ["in_review", "escalated"]
    /// Dunning ladder steps in order, for the recovery rate per step.
    public var ladderSteps: [String] = []

    public init(orderWorkflow: String? = "order", creditWorkflow: String? = "credit_check", invoiceWorkflows: Set<String> = ["invoice"],
                ladderSteps: [String] = []) {
        self.orderWorkflow = orderWorkflow
        self.creditWorkflow = creditWorkflow
        self.invoiceWorkflows = invoiceWorkflows
        self.ladderSteps = ladderSteps
    }

    public init(library: Library) {
        let invoices = library.workflows.filter(\.isReceivable)
        self.init(orderWorkflow: library.workflow("order")?.name ?? library.workflows.first { $0.inputs["order"] != nil }?.name,
                  creditWorkflow: library.workflow("credit_check")?.name ?? library.workflows.first { !$0.states.allSatisfy { $0.decide.isEmpty } }?.name,
                  invoiceWorkflows: Set(invoices.map(\.name)))
        var steps: [String] = []
        for wf in invoices {
            for state in wf.states {
                guard let binding = state.ladder, let ladder = library.ladder(binding.ladder) else { continue }
                for s in ladder.steps where !steps.contains(s.name) { steps.append(s.name) }
            }
        }
        ladderSteps = steps
        for wf in library.workflows {
            for e in wf.events where e.name.contains("payment") && e.payload.fields.contains(where: { $0.type.unwrapped == .money }) {
                paymentEvents.insert(e.name)
            }
        }
        if let credit = creditWorkflow.flatMap(library.workflow) {
            reviewStates = Set(credit.states.filter { $0.name.contains("review") || $0.name.contains("escalat") }.map(\.name))
        }
    }

    /// Workflows whose history the report reads.
    public var historyWorkflows: Set<String> {
        invoiceWorkflows.union([orderWorkflow, creditWorkflow].compactMap { $0 })
    }
}
