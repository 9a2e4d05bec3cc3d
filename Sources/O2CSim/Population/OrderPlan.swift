import O2CCore

/// One order of the book of business: when it arrives, which workflow it starts with which
/// inputs, and how its customer will behave once invoiced.
public struct OrderPlan: Sendable, Hashable {
    /// `SO-00042`: also the order's business key; child instances carry it in their ids.
    public var id: String
    public var at: Instant
    public var workflow: String
    public var inputs: [String: Value]
    public var behaviour: CustomerBehaviour
    /// Everything drawn for this order, from which `inputs` were built and answers are given.
    public var facts: OrderFacts

    public init(id: String, at: Instant, workflow: String, inputs: [String: Value], behaviour: CustomerBehaviour, facts: OrderFacts) {
        self.id = id
        self.at = at
        self.workflow = workflow
        self.inputs = inputs
        self.behaviour = behaviour
        self.facts = facts
    }
}

/// How a customer pays an invoice, relative to its due date.
public enum CustomerBehaviour: Sendable, Hashable, CustomStringConvertible {
    /// Pays in full a few days before the due date.
    case onTime
    /// Pays in full `days` after the due date (fees charged by then included).
    case late(days: Int)
    /// Pays `fraction` of the total just after the due date; the rest `restAfterDays` after the
    /// due date, or never (`nil`).
    case partial(fraction: ExactDecimal, restAfterDays: Int?)
    /// Never pays: the invoice walks the whole dunning ladder.
    case neverPays
    /// Pays the balance a few days after the first overdue notice.
    case paysAfterReminder
    /// Opens a dispute around the due date; finance upholds it (credit) or not (then the customer pays).
    case disputes(upheld: Bool)

    /// The name used in scenario files and reports.
    public var kind: String {
        switch self {
        case .onTime: "on_time"
        case .late: "late"
        case .partial: "partial"
        case .neverPays: "never"
        case .paysAfterReminder: "after_reminder"
        case .disputes: "dispute"
        }
    }

    public var description: String {
        switch self {
        case .onTime: "on time"
        case .late(let d): "\(d) days late"
        case .partial(let f, let r): "partial \(f)" + (r.map { ", rest at +\($0)d" } ?? ", rest never")
        case .neverPays: "never pays"
        case .paysAfterReminder: "pays after a reminder"
        case .disputes(let u): "disputes (\(u ? "upheld" : "rejected"))"
        }
    }
}
