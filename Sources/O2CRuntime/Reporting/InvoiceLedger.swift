import O2CCore

/// The receivables sub-ledger: every invoice with its dated money movements.
///
/// Built from the `journal` effects that touch the receivables account and name the invoice
/// (`{debit, credit, amount, invoice}`): the counter-account says what each one is (revenue or
/// tax: invoiced; a fee income account: a late fee; an interest income account: interest; cash:
/// a payment; bad debt: a write-off;
/// anything else, such as sales discounts: a credit note, discount or short-pay adjustment).
/// An invoice with no such journal lines (a library that books nothing) falls back to its
/// `total` input, accepted `payment_received` events in history, and `fee`, `write_off` and
/// `credit_note` effects. Pure.
public struct InvoiceLedger: Sendable {
    public enum Kind: String, Sendable { case invoiced, fee, interest, payment, writeOff = "write_off", credit }

    public struct Movement: Sendable, Equatable {
        public var kind: Kind
        public var amount: ExactDecimal
        public var at: Instant
        public init(_ kind: Kind, _ amount: ExactDecimal, at: Instant) {
            self.kind = kind
            self.amount = amount
            self.at = at
        }
        /// What it does to the balance owed.
        var signed: ExactDecimal { kind == .invoiced || kind == .fee || kind == .interest ? amount : amount.negated }
    }

    public struct Invoice: Sendable {
        public var id: String
        /// The order (root instance) it belongs to, and when that order was received.
        public var orderId: String
        public var orderedAt: Instant
        public var due: Day
        /// Sorted by time.
        public var movements: [Movement]
        /// The workflow's own `balance`, for the cross-check.
        public var engineBalance: ExactDecimal?
        public var state: String
        public var status: String
        /// Ladder steps that fired, in order.
        public var steps: [(name: String, at: Instant)]
        /// When the invoice reached its final `paid` state (nil: not paid, or not known).
        public var paidAt: Instant?

        public init(id: String, orderId: String, orderedAt: Instant, due: Day, movements: [Movement], engineBalance: ExactDecimal? = nil,
                    state: String = "open", status: String = "active", steps: [(name: String, at: Instant)] = [], paidAt: Instant? = nil) {
            self.id = id
            self.orderId = orderId
            self.orderedAt = orderedAt
            self.due = due
            self.movements = movements.sorted { $0.at < $1.at }
            self.engineBalance = engineBalance
            self.state = state
            self.status = status
            self.steps = steps
            self.paidAt = paidAt
        }

        /// When it was issued: its first invoiced amount.
        public var issuedAt: Instant { movements.first { $0.kind == .invoiced }?.at ?? movements.first?.at ?? Instant(secondsSinceEpoch: 0) }
        /// The amount invoiced (net and tax).
        public var total: ExactDecimal { sum(.invoiced, through: nil) }

        /// What was owed at `t`, fees included.
        public func balance(at t: Instant) -> ExactDecimal {
            movements.filter { $0.at <= t }.reduce(.zero) { (try? $0 + $1.signed) ?? $0 }
        }

        public func sum(_ kind: Kind, through t: Instant?) -> ExactDecimal {
            movements.filter { $0.kind == kind && (t == nil || $0.at <= t!) }.reduce(.zero) { (try? $0 + $1.amount) ?? $0 }
        }

    }

    public var invoices: [Invoice]
    public var currency: Currency?

    public init(invoices: [Invoice], currency: Currency?) {
        self.invoices = invoices
        self.currency = currency
    }

    public func total(_ f: (Invoice) -> ExactDecimal) -> ExactDecimal {
        invoices.reduce(.zero) { (try? $0 + f($1)) ?? $0 }
    }
}
