import O2CCore

/// A book of business to simulate: how many orders over how many days, which customers place
/// them, how big they are, whether stock is there, and how customers pay.
///
/// Read from a scenario file (`scenarios/*.yaml`, format in docs/simulate.md, "Scenario files")
/// with `parse`, or take `demo`, the demo's default book. Every share is an exact decimal; each
/// mix must add up to 1.
public struct PopulationSpec: Sendable, Hashable {
    /// The population's name (`population: q3`), for reports.
    public var name: String
    public var seed: UInt64
    /// When the first order may arrive.
    public var start: Instant
    /// Orders arrive over this many days, evenly spread with a random time within each slot.
    public var days: Int
    public var orders: Int
    public var currency: Currency
    /// The workflow each order starts (default: `order`, else the first workflow with an `order` input).
    public var workflow: String?
    /// Customer segments as the credit table knows them.
    public var segments: Mix
    public var orderTotal: AmountCurve
    public var stock: Stock
    public var payment: Payment
    public var disputes: Disputes
    /// How customers want their invoices and notices (`email`, `post`).
    public var channels: Mix

    public struct Stock: Sendable, Hashable {
        /// Share of orders whose stock is there when reserved.
        public var available: ExactDecimal
        /// Of the short ones, the share whose customer chooses to wait (the others cancel).
        public var shortCustomerWaits: ExactDecimal
        public init(available: ExactDecimal, shortCustomerWaits: ExactDecimal) {
            self.available = available
            self.shortCustomerWaits = shortCustomerWaits
        }
    }

    public struct Payment: Sendable, Hashable {
        /// `on_time`, `late`, `partial`, `never`, `after_reminder`.
        public var mix: Mix
        /// Days past the due date a late payer pays.
        public var lateDays: ClosedRange<Int>
        public init(mix: Mix, lateDays: ClosedRange<Int>) {
            self.mix = mix
            self.lateDays = lateDays
        }
    }

    public struct Disputes: Sendable, Hashable {
        /// Share of orders whose customer disputes the invoice (instead of their payment behaviour).
        public var rate: ExactDecimal
        /// Of the disputes, the share finance upholds (the invoice is written off or credited).
        public var upheld: ExactDecimal
        public init(rate: ExactDecimal, upheld: ExactDecimal) {
            self.rate = rate
            self.upheld = upheld
        }
    }

    public init(name: String, seed: UInt64, start: Instant, days: Int, orders: Int, currency: Currency, workflow: String? = nil,
                segments: Mix, orderTotal: AmountCurve, stock: Stock, payment: Payment, disputes: Disputes, channels: Mix) {
        self.name = name
        self.seed = seed
        self.start = start
        self.days = days
        self.orders = orders
        self.currency = currency
        self.workflow = workflow
        self.segments = segments
        self.orderTotal = orderTotal
        self.stock = stock
        self.payment = payment
        self.disputes = disputes
        self.channels = channels
    }

    /// The demo's book of business (also in scenarios/demo.yaml): 400 orders over 120 days.
    public static let demo: PopulationSpec = {
        let currency = Currency("EUR")!
        func eur(_ s: String) -> Money { Money(ExactDecimal(s)!, currency) }
        func d(_ s: String) -> ExactDecimal { ExactDecimal(s)! }
        return PopulationSpec(
            name: "demo", seed: 7, start: Instant(parsing: "2026-01-05")!, days: 120, orders: 400, currency: currency,
            segments: Mix(["new": "0.25", "standard": "0.50", "preferred": "0.15", "on_watch": "0.07", "blocked": "0.03"]),
            orderTotal: AmountCurve(minimum: eur("200.00"), median: eur("2400.00"), maximum: eur("60000.00")),
            stock: Stock(available: d("0.9"), shortCustomerWaits: d("0.6")),
            payment: Payment(mix: Mix(["on_time": "0.55", "late": "0.25", "partial": "0.06", "never": "0.04", "after_reminder": "0.10"]),
                             lateDays: 1...45),
            disputes: Disputes(rate: d("0.02"), upheld: d("0.5")),
            channels: Mix(["email": "0.85", "post": "0.15"]))
    }()
}
