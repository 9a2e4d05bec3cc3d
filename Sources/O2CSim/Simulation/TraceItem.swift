import O2CCore

/// One observable thing an instance did: moved to a state, emitted an effect, completed,
/// failed, or had an input refused. Two runs of the same order under two policies are compared
/// item by item; the first unequal pair is the point of divergence.
///
/// Items hold the strings the engine already made (shared, not copied), so recording one costs
/// an array append, not a string format: 100,000 orders × two policies stay in seconds.
///
/// The fields live in one immutable object (`Fields`): an item is copied into its order's
/// buffer, into the comparer's, and through the classifier's filters, and copying five fields
/// retained and released four strings and the detail each time. A step both policies took
/// alike gives both observers the same objects, so comparing those items is one pointer test.
public struct TraceItem: Sendable, Equatable {
    public enum What: Sendable, Equatable {
        case moved(to: String)
        /// The action and its key argument (the template of a notice, the amount of a fee…).
        case effect(action: String, detail: Value?)
        case completed(outcome: String)
        case failed(message: String)
        /// An external event the instance did not accept (replay: recorded, refused now).
        case refused(event: String, reason: String)
    }

    private final class Fields: Sendable {
        let at: Instant
        let instance: String
        let workflow: String
        let state: String
        let what: What

        init(at: Instant, instance: String, workflow: String, state: String, what: What) {
            self.at = at
            self.instance = instance
            self.workflow = workflow
            self.state = state
            self.what = what
        }
    }

    private let fields: Fields

    public var at: Instant { fields.at }
    public var instance: String { fields.instance }
    public var workflow: String { fields.workflow }
    public var state: String { fields.state }
    public var what: What { fields.what }

    public init(at: Instant, instance: String, workflow: String, state: String, what: What) {
        fields = Fields(at: at, instance: instance, workflow: workflow, state: state, what: what)
    }

    /// Items are equal in behaviour when everything but the free-text failure reason matches.
    /// The same object holds the same values (values are equal to themselves).
    public static func == (a: TraceItem, b: TraceItem) -> Bool {
        if a.fields === b.fields { return true }
        let x = a.fields, y = b.fields
        return x.at == y.at && x.instance == y.instance && x.state == y.state && x.what == y.what
    }

    /// What happened, short: "→ in_review", "fee 40.00 EUR", "notify late_fee_notice", "completed paid".
    public var action: String {
        switch what {
        case .moved(let to): "→ \(to)"
        case .effect(let a, let d?): "\(a) \(d.plainText)"
        case .effect(let a, nil): a
        case .completed(let o): "completed `\(o)`"
        case .failed(let m): "failed: \(m)"
        case .refused(TraceItem.startEvent, let r): "not started (\(r))"
        case .refused(let e, let r): "refused `\(e)` (\(r))"
        }
    }

    /// Where: "credit_check.checking".
    public var place: String { state.isEmpty ? workflow : "\(workflow).\(state)" }

    /// The "event" of a refused start (an order one policy cannot even start).
    static let startEvent = "(start)"

    /// The argument that tells two effects of one action apart in a report, first present of:
    /// `template`, `amount`, `event`, `workflow`, `account`, `decision`, `reason` (a journal
    /// line names its accounts instead).
    ///
    /// One walk over the arguments (an effect has a handful), instead of hashing up to ten
    /// names into them: this runs for every effect of both policies.
    static func detail(of arguments: [String: Value]) -> Value? {
        var debit: String?, credit: String?, amount: Value?
        var best: Value?, bestRank = Int.max
        for (k, v) in arguments {
            // By length first: comparing each name with all nine cost more than hashing it.
            switch k.utf8.count {
            case 5:
                if k == "debit", case .string(let s) = v { debit = s } else if k == "event", 2 < bestRank { (best, bestRank) = (v, 2) }
            case 6:
                if k == "amount" {
                    amount = v
                    if 1 < bestRank { (best, bestRank) = (v, 1) }
                } else if k == "credit", case .string(let s) = v {
                    credit = s
                } else if k == "reason", 6 < bestRank {
                    (best, bestRank) = (v, 6)
                }
            case 7:
                if k == "account", 4 < bestRank { (best, bestRank) = (v, 4) }
            case 8:
                if k == "template" {
                    (best, bestRank) = (v, 0)
                } else if k == "workflow", 3 < bestRank {
                    (best, bestRank) = (v, 3)
                } else if k == "decision", 5 < bestRank {
                    (best, bestRank) = (v, 5)
                }
            default:
                break
            }
        }
        if let debit, let credit, let amount {
            return .string("\(amount.plainText) Dr \(debit) Cr \(credit)") // a journal line: which accounts tells what it is
        }
        return best
    }
}
