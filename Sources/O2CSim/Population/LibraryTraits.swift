import O2CCore
import O2CExpr
import O2CModel

/// What the behaviour model needs to know about the library, found once by reading it: which
/// workflow is the receivable (payments go there), which action issues an invoice to the
/// customer, and which notice is the first overdue one.
///
/// The shipped library's contract (docs/library): `invoicing` performs `issue_invoice
/// {invoice, total, due_date, discount_percent, discount_until, …}` and starts the receivable
/// `invoice-<invoice id>`, whose B2B ladder sends the notices; from day 46 a `collections` case
/// writes to the customer, but payments still go to the invoice.
struct LibraryTraits: Sendable, Equatable {
    /// The receivable workflow: takes money `payment…` events against a `due_date` and runs a ladder.
    var ledger: String?
    /// The action that sends an invoice to the customer (`issue_invoice`), if the library has one.
    var issueAction: String?
    /// The template of the first notice after the due date (the one `after_reminder` payers answer).
    var firstOverdueTemplate: String?

    init(_ library: Library) {
        let ledgerWorkflow = library.workflows.first(where: \.isReceivable)
        ledger = ledgerWorkflow?.name
        issueAction = Self.allActions(library).first { $0.contains("invoice") && ($0.contains("issue") || $0.contains("send")) }
        if let wf = ledgerWorkflow, let binding = wf.states.first(where: { $0.ladder != nil })?.ladder, let ladder = library.ladder(binding.ladder) {
            for step in ladder.steps where step.offsetFromAnchor.seconds > 0 {
                if let n = step.actions.first(where: { $0.name == "notify" }) { firstOverdueTemplate = n.literals["template"]; break }
            }
        }
    }

    static func allActions(_ library: Library) -> [String] {
        var names: [String] = []
        for wf in library.workflows {
            for st in wf.states {
                var calls = st.entry + st.exit
                calls += st.on.flatMap { $0.transitions.flatMap(\.actions) }
                calls += st.after.flatMap(\.transition.actions) + st.always.flatMap(\.actions)
                for c in calls where !names.contains(c.name) { names.append(c.name) }
            }
        }
        return names
    }
}
