import O2CCore

/// The warehouse, the carrier, credit controllers, finance and the collection agency.
extension BehaviourModel {
    /// When the order's stock is (back) on the shelf: at once, or 5 to 20 days after the order.
    func restockAt(_ o: OrderFacts) -> Instant {
        guard !o.stockAvailable else { return o.at }
        var r = SplitMix64(seed: spec.seed, "restock", o.orderId)
        return o.at.plus(days: r.int(in: 5...20), hours: r.int(in: 6...16))
    }

    /// `reserve_stock`: reserved at once if the stock is there; else short now, with the restock
    /// date, and (for a customer who waits) a goods receipt, `stock_arrived`, on that date. A
    /// reservation asked for after the restock date succeeds, so a re-reservation works.
    func warehouse(_ c: EffectContext, cache: inout OrderCache) -> [Planned] {
        guard let o = order(c, cache: &cache) else { return [] }
        let restock = restockAt(o)
        if c.at >= restock { return [Planned(candidates: ["stock_reserved"], containing: ["reserved"], at: c.at)] }
        let zero = Money(.zero, o.total.currency)
        let short = Planned(candidates: ["stock_short", "stock_unavailable", "out_of_stock"], containing: ["short"], at: c.at,
                            facts: ["available": .int(0), "available_amount": .money(zero), "expected_on": .date(restock.day)])
        guard o.waitsIfShort else { return [short] }
        return [short, Planned(candidates: ["stock_arrived", "stock_replenished", "restocked"], containing: ["arrived"], at: restock)]
    }

    /// `create_label`: a label at once, pick-up the next working morning, a tracking update a
    /// day later, and delivery one to four days after pick-up.
    func carrier(_ c: EffectContext, cache: inout OrderCache) -> [Planned] {
        guard let o = order(c, cache: &cache) else { return [] }
        var r = rng(c, "carrier")
        let carriers = ["DHL", "UPS", "DPD", "PostNL"]
        let pickedUp = c.at.plus(days: 1).day.startInstant.plus(hours: r.int(in: 8...14))
        let delivered = pickedUp.plus(days: r.int(in: 1...4), hours: r.int(in: 0...6))
        let label: [String: Value] = ["tracking_no": .string("TRK-\(o.orderId)-\(r.int(in: 1000...9999))"), "carrier": .string(carriers[r.int(in: 0...3)])]
        return [
            Planned(candidates: ["label_created"], containing: ["label"], at: c.at, facts: label),
            Planned(candidates: ["carrier_picked_up", "picked_up", "shipped"], at: pickedUp),
            Planned(candidates: ["carrier_update"], at: min(pickedUp.plus(days: 1), delivered.plus(hours: -1)), facts: ["status": .string("in transit")]),
            Planned(candidates: ["carrier_delivered", "delivered"], containing: ["deliver"], at: delivered),
        ]
    }

    /// A credit controller decides a held order within 2 to 20 hours (15% wait for the
    /// escalation); the credit manager decides an escalated one within 8 hours. Both reach the
    /// same decision for the same order.
    func reviewer(_ c: EffectContext, manager: Bool, cache: inout OrderCache) -> [Planned] {
        guard let o = order(c, cache: &cache) else { return [] }
        var r = rng(c, "review")
        let answers = manager || r.chance(ExactDecimal(85).shifted(-2))
        let at = manager ? c.at.plus(hours: r.int(in: 1...8)) : c.at.plus(hours: r.int(in: 2...20))
        guard answers else { return [] }
        var d = SplitMix64(seed: spec.seed, "credit-decision", o.orderId)
        let approve: ExactDecimal = switch o.customer.segment {
        case "new": ExactDecimal(85).shifted(-2)
        case "on_watch": ExactDecimal(6).shifted(-1)
        case "blocked": .zero
        default: ExactDecimal(8).shifted(-1)
        }
        let who = manager ? "credit.manager" : ["anna.credit", "ben.credit", "chloe.credit"][r.int(in: 0...2)]
        if d.chance(approve) {
            return [Planned(candidates: ["approved", "review_approved"], at: at, facts: ["reviewer": .string(who)])]
        }
        return [Planned(candidates: ["rejected", "review_rejected"], at: at,
                        facts: ["reviewer": .string(who), "reason": .string("exposure too high for the customer's history")])]
    }

    /// A stock-shortage notice: the customer answers within two days, waiting or cancelling.
    func stockReply(_ c: EffectContext, cache: inout OrderCache) -> [Planned] {
        guard let o = order(c, cache: &cache) else { return [] }
        var r = rng(c, "reply")
        let at = c.at.plus(hours: r.int(in: 2...48))
        if o.waitsIfShort {
            return [Planned(candidates: ["customer_replied", "customer_waits", "backorder_accepted"], containing: ["wait"], at: at,
                            facts: ["choice": .string("wait")])]
        }
        return [Planned(candidates: ["customer_cancelled", "customer_cancels", "backorder_declined"], containing: ["cancel"], at: at,
                        facts: ["choice": .string("cancel"), "reason": .string("cannot wait for the stock")])]
    }

    /// Finance approves nine write-offs in ten, within a week.
    func writeOffReview(_ c: EffectContext) -> [Planned] {
        var r = rng(c, "write-off")
        let at = c.at.plus(days: r.int(in: 1...7))
        if r.chance(ExactDecimal(9).shifted(-1)) {
            return [Planned(candidates: ["write_off_approved"], at: at, facts: ["approver": .string("cfo")])]
        }
        return [Planned(candidates: ["write_off_rejected"], at: at, facts: ["approver": .string("cfo"), "reason": .string("customer still trading with us")])]
    }

    /// The collection agency (`agency_export {invoice, balance}`): it recovers the whole debt for
    /// one case in two, 30 to 120 days after the hand-off, and keeps a quarter as its contingency
    /// fee (`agency_payment {amount, commission}` to the invoice). Why one in two: recovery odds
    /// fall from about 73 % at 90 days to 50 % at six months (o2c-domain §7.3), and a debt
    /// reaches the agency at 90 days. The rest it never recovers: finance decides at the review.
    func agencyRecovery(_ c: EffectContext) -> [Planned] {
        guard let ledger = traits.ledger, case .string(let invoice)? = c.arguments["invoice"],
              case .money(let balance)? = c.arguments["balance"], balance.amount > .zero else { return [] }
        var r = rng(c, "agency")
        guard r.chance(ExactDecimal(5).shifted(-1)) else { return [] }
        let at = c.at.plus(days: r.int(in: 30...120), hours: r.int(in: 9...16))
        let commission = ((try? balance.amount * ExactDecimal(25) / 100) ?? .zero).rounded(places: balance.currency.minorUnits)
        let remitted = Money((try? balance.amount - commission) ?? balance.amount, balance.currency)
        return [Planned(candidates: ["agency_payment", "agency_remittance"], containing: ["agency"], at: at,
                        facts: ["amount": .money(remitted), "commission": .money(Money(commission, balance.currency)),
                                "reference": .string("AGENCY-\(invoice)")],
                        target: ("\(ledger)-\(invoice)", ledger))]
    }
}
