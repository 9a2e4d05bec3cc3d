import O2CCore

/// What the population draws for one order, before it is shaped into a workflow's inputs.
///
/// Pure: `OrderFacts.draw(spec, index:)` depends on the seed and the order's index only
/// (per-order stream `SplitMix64(seed, "order", id)`, per-customer stream `(seed, "customer",
/// id)`), never on other orders, the library or its policy.
public struct OrderFacts: Sendable, Hashable {
    public var index: Int
    public var orderId: String
    public var at: Instant
    public var customer: CustomerFacts
    public var total: Money
    public var sku: String
    public var quantity: Int
    public var unitPrice: Money
    /// Whether the warehouse has the stock when it is reserved.
    public var stockAvailable: Bool
    /// When stock is short: whether the customer waits (else cancels).
    public var waitsIfShort: Bool
    public var behaviour: CustomerBehaviour
    /// The part of the total that is a service (support, warranty) recognised over a year, if any.
    public var service: Service?

    public struct Service: Sendable, Hashable {
        public var amount: Money
        public var description: String
        public var start: Day
        public var end: Day
    }

    /// `SO-00042` for index 41 (ids count from 1, like order numbers).
    public static func orderId(_ index: Int) -> String {
        let digits = String(index + 1)
        return "SO-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// The index of the order id found anywhere in `text` (`invoice-INV-SO-00042` → 41).
    public static func index(in text: String) -> Int? {
        let u = Array(text.utf8)
        var i = 0
        while i + 3 < u.count {
            if u[i] == 83, u[i + 1] == 79, u[i + 2] == 45 { // "SO-"
                var j = i + 3, n = 0, seen = false
                while j < u.count, u[j] >= 48, u[j] <= 57, n < 100_000_000 {
                    n = n * 10 + Int(u[j] - 48)
                    j += 1
                    seen = true
                }
                if seen, n >= 1 { return n - 1 }
            }
            i += 1
        }
        return nil
    }

    public static func draw(_ spec: PopulationSpec, index: Int) -> OrderFacts {
        let id = orderId(index)
        var rng = SplitMix64(seed: spec.seed, "order", id)
        let slot = max(1, Int64(spec.days) * 86_400 / Int64(max(spec.orders, 1)))
        let offset = Int64(index) * Int64(spec.days) * 86_400 / Int64(max(spec.orders, 1)) + Int64(rng.int(in: 0...Int(slot - 1)))
        let at = spec.start.adding(Duration(seconds: offset / 60 * 60))
        let segment = spec.segments.pick(rng.unit())
        let customer = CustomerFacts.pick(spec, segment: segment, rng: &rng)
        let total = spec.orderTotal.draw(&rng)
        let quantity = [1, 1, 2, 3, 5, 10, 20][rng.int(in: 0...6)]
        let sku = "SKU-" + String(100 + rng.int(in: 0...899))
        let available = rng.chance(spec.stock.available)
        let waits = rng.chance(spec.stock.shortCustomerWaits)
        let behaviour = drawBehaviour(spec, &rng)
        let hasService = rng.chance(ExactDecimal(2).shifted(-1))
        let servicePercent = rng.int(in: 10...25)
        var service: Service?
        if hasService {
            let amount = Money(((try? total.amount * ExactDecimal(servicePercent).shifted(-2)) ?? .zero).rounded(places: spec.currency.minorUnits), spec.currency)
            let start = Day(daysSinceEpoch: at.day.daysSinceEpoch + 7)
            service = Service(amount: amount, description: "12 months support and maintenance", start: start,
                              end: Day(daysSinceEpoch: start.addingMonths(12).daysSinceEpoch - 1))
        }
        let goods = Money((try? total.amount - (service?.amount.amount ?? .zero)) ?? total.amount, spec.currency)
        let unit = Money(((try? goods.amount / ExactDecimal(quantity)) ?? goods.amount).rounded(places: spec.currency.minorUnits), spec.currency)
        return OrderFacts(index: index, orderId: id, at: at, customer: customer, total: total, sku: sku, quantity: quantity,
                          unitPrice: unit, stockAvailable: available, waitsIfShort: waits, behaviour: behaviour, service: service)
    }

    static func drawBehaviour(_ spec: PopulationSpec, _ rng: inout SplitMix64) -> CustomerBehaviour {
        let kind = spec.payment.mix.pick(rng.unit())
        let late = rng.int(in: spec.payment.lateDays)
        let fraction = ExactDecimal([25, 50, 75][rng.int(in: 0...2)]).shifted(-2)
        let paysRest = rng.chance(ExactDecimal(5).shifted(-1))
        let restDays = rng.int(in: 20...60)
        let disputes = rng.chance(spec.disputes.rate)
        let upheld = rng.chance(spec.disputes.upheld)
        if disputes { return .disputes(upheld: upheld) }
        switch kind {
        case "late": return .late(days: late)
        case "partial": return .partial(fraction: fraction, restAfterDays: paysRest ? restDays : nil)
        case "never": return .neverPays
        case "after_reminder": return .paysAfterReminder
        default: return .onTime
        }
    }
}

extension ExactDecimal {
    /// × 10ⁿ, exact for the small shifts used to write shares (`25.shifted(-2)` = 0.25).
    func shifted(_ n: Int) -> ExactDecimal {
        var r = raw
        if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
        return ExactDecimal(raw: r)
    }
}

extension OrderFacts {
    /// The goods part of the total (the line amount).
    public var goodsTotal: Money { Money((try? total.amount - (service?.amount.amount ?? .zero)) ?? total.amount, total.currency) }

    /// The order as named facts, for `Facts.build` against the entry workflow's inputs.
    ///
    /// Written as full names into a table sized once: built from two dictionaries of short
    /// names, joined and inserted one by one (the table growing as it went), this cost more
    /// than drawing the order.
    public var facts: Facts {
        let c = customer
        var f = Facts(now: at, currency: total.currency)
        let customerFields: [(String, Value)] = [
            ("customer.id", .string(c.id)), ("customer.name", .string(c.name)), ("customer.email", .string(c.email)),
            ("customer.segment", .string(c.segment)), ("customer.channel", .string(c.channel)),
            ("customer.invoice_channel", .string(c.channel)), ("customer.open_ar", .money(c.openAR)),
            ("customer.open_orders", .money(c.openOrders)), ("customer.oldest_overdue_days", .int(c.oldestOverdueDays)),
            ("customer.dunning_level", .int(c.dunningLevel)), ("customer.payment_terms", .string(c.paymentTerms)),
            ("customer.address", .string(c.address)), ("customer.billing_address", .string(c.address)),
            ("customer.shipping_address", .string(c.address)),
        ]
        var orderFields: [(String, Value)] = [
            ("order.id", .string(orderId)), ("order.total", .money(total)), ("order.currency", .string(total.currency.code)),
            ("order.ordered_at", .datetime(at)), ("order.ordered_on", .date(at.day)), ("order.sku", .string(sku)),
            ("order.quantity", .int(quantity)), ("order.unit_price", .money(unitPrice)), ("order.channel", .string(c.channel)),
            ("order.customer_id", .string(c.id)), ("order.billing_address", .string(c.address)),
            ("order.shipping_address", .string(c.address)), ("order.line.sku", .string(sku)),
            ("order.line.description", .string("\(sku) industrial parts")), ("order.line.quantity", .int(quantity)),
            ("order.line.unit_price", .money(unitPrice)), ("order.line.amount", .money(goodsTotal)),
        ]
        if let s = service {
            orderFields.append(("order.service_total", .money(s.amount)))
            orderFields.append(("order.service_description", .string(s.description)))
            orderFields.append(("order.service_start", .date(s.start)))
            orderFields.append(("order.service_end", .date(s.end)))
        }
        let topFields: [(String, Value)] = [
            ("customer_id", .string(c.id)), ("customer_email", .string(c.email)), ("customer_name", .string(c.name)),
            ("segment", .string(c.segment)), ("sku", .string(sku)), ("channel", .string(c.channel)),
            ("quantity", .int(quantity)), ("unit_price", .money(unitPrice)),
        ]
        f.values.reserveCapacity(customerFields.count + orderFields.count + topFields.count)
        for (k, v) in customerFields { f[k] = v }
        for (k, v) in orderFields { f[k] = v }
        for (k, v) in topFields { f[k] = v }
        return f
    }
}
