import O2CCore

/// Customers: how and when they pay an invoice, dispute it, and answer notices.
extension BehaviourModel {
    /// An invoice as the customer sees it: where payments go, what is owed, by when.
    struct InvoiceView {
        /// The receivable instance payments go to (`invoice-INV-…`), and its workflow.
        var instance: String
        var workflow: String
        var due: Day
        var total: Money
        var balance: Money
        var discountPercent: ExactDecimal
        var discountUntil: Day?
    }

    /// The invoice an `issue_invoice` effect sends: `{invoice, total, due_date, discount_percent, discount_until}`.
    func issuedInvoice(_ c: EffectContext) -> InvoiceView? {
        guard let ledger = traits.ledger, case .string(let id)? = c.arguments["invoice"], case .money(let total)? = c.arguments["total"],
              case .date(let due)? = c.arguments["due_date"] else { return nil }
        var percent = ExactDecimal.zero
        if case .number(let p)? = c.arguments["discount_percent"] { percent = p }
        var until: Day?
        if case .date(let d)? = c.arguments["discount_until"] { until = d }
        return InvoiceView(instance: "\(ledger)-\(id)", workflow: ledger, due: due, total: total, balance: total,
                           discountPercent: percent, discountUntil: until)
    }

    /// The invoice behind a notice from the receivable or its collections case (data `invoice {id, total, due_date}`).
    func receivable(_ c: EffectContext) -> InvoiceView? {
        guard let ledger = traits.ledger, case .object(let inv)? = c[field: "invoice"], case .string(let id)? = inv["id"],
              case .date(let due)? = inv["due_date"], case .money(let total)? = inv["total"] else { return nil }
        var balance = total
        if case .money(let b)? = c[field: "balance"] { balance = b }
        return InvoiceView(instance: c.workflow == ledger ? c.instanceId : "\(ledger)-\(id)", workflow: ledger, due: due, total: total,
                           balance: balance, discountPercent: .zero, discountUntil: nil)
    }

    /// What a customer will do about one invoice, fixed when it is issued and recomputable from
    /// any later notice (same stream), so follow-ups know what was planned without memory.
    struct CustomerPlan {
        var payments: [(amount: Money, at: Instant)] = []
        var dispute: (openAt: Instant, resolveAt: Instant, upheld: Bool)?
        /// After this, a willing payer answers a notice by paying what is left.
        var settledBy: Instant?
    }

    func plan(_ inv: InvoiceView, order o: OrderFacts) -> CustomerPlan {
        var r = SplitMix64(seed: spec.seed, "customer-plan", inv.instance)
        let dueAt = inv.due.startInstant.plus(hours: 9, minutes: r.int(in: 0...540))
        let early = r.int(in: 0...7), settle = r.int(in: 1...5), disputeLead = r.int(in: 0...5), disputeDays = r.int(in: 7...21)
        let payAfterDispute = r.int(in: 2...7), takesDiscount = r.chance(ExactDecimal(7).shifted(-1)), discountDay = r.int(in: 1...9)
        let total = inv.total
        var p = CustomerPlan()
        switch o.behaviour {
        case .onTime:
            if takesDiscount, inv.discountPercent > .zero, let until = inv.discountUntil {
                let discount = ((try? total.amount * inv.discountPercent / 100) ?? .zero).rounded(places: total.currency.minorUnits)
                let pay = until.startInstant.plus(days: -discountDay + 1, hours: 10)
                p.payments = [(Money((try? total.amount - discount) ?? total.amount, total.currency), pay)]
            } else {
                p.payments = [(total, dueAt.plus(days: -early))]
            }
        case .late(let days):
            p.payments = [(total, dueAt.plus(days: days))]
        case .partial(let fraction, let rest):
            let part = Money(((try? total.amount * fraction) ?? .zero).rounded(places: total.currency.minorUnits), total.currency)
            p.payments = [(part, dueAt.plus(days: settle))]
            guard let rest, let remainder = try? total.amount - part.amount else { return p }
            p.payments.append((Money(remainder, total.currency), dueAt.plus(days: max(rest, settle + 1))))
        case .neverPays, .paysAfterReminder:
            return p
        case .disputes(let upheld):
            let open = dueAt.plus(days: -disputeLead)
            p.dispute = (open, open.plus(days: disputeDays), upheld)
            if upheld { return p }
            p.payments = [(total, open.plus(days: disputeDays + payAfterDispute))]
        }
        p.settledBy = p.payments.map(\.at).max()
        return p
    }

    /// On the invoice being issued: the customer's payments and disputes, per their behaviour.
    func customerPlan(_ inv: InvoiceView, from c: EffectContext, cache: inout OrderCache) -> [Planned] {
        guard let o = order(c, cache: &cache) else { return [] }
        let p = plan(inv, order: o)
        let target = (inv.instance, inv.workflow)
        var out: [Planned] = []
        for (i, pay) in p.payments.enumerated() {
            out.append(payment(pay.amount, at: pay.at, reference: "PAY-\(o.orderId)-\(i + 1)", to: target))
        }
        if let d = p.dispute {
            let reasons = ["goods arrived damaged", "price differs from the quote", "quantity short", "not ordered"]
            var r = SplitMix64(seed: spec.seed, "dispute", inv.instance)
            out.append(Planned(candidates: ["dispute_opened", "dispute_raised"], containing: ["dispute", "open"], at: d.openAt,
                               facts: ["reason": .string(reasons[r.int(in: 0...3)])], target: target))
            out.append(Planned(candidates: ["dispute_resolved", "dispute_closed"], containing: ["dispute", "resol"], at: d.resolveAt,
                               facts: ["upheld": .bool(d.upheld)], target: target))
        }
        return out
    }

    /// On a later notice: a willing payer settles what is left (fees included) a few days later.
    func customerFollowUp(_ inv: InvoiceView, notice c: EffectContext, cache: inout OrderCache) -> [Planned] {
        guard let o = order(c, cache: &cache), inv.balance.amount > .zero else { return [] }
        var r = rng(c, "follow-up")
        let later = c.at.plus(days: r.int(in: 1...5), hours: r.int(in: 0...8))
        let pay = payment(inv.balance, at: later, reference: "PAY-\(o.orderId)-\(c.template ?? "notice")", to: (inv.instance, inv.workflow))
        switch o.behaviour {
        case .neverPays, .partial(_, nil), .disputes(upheld: true):
            return []
        case .paysAfterReminder:
            let overdue = c.template == traits.firstOverdueTemplate || c.at > inv.due.startInstant.plus(days: 1)
            return overdue ? [pay] : []
        default:
            guard let settled = plan(inv, order: o).settledBy, c.at >= settled else { return [] }
            return [pay]
        }
    }

    func payment(_ amount: Money, at: Instant, reference: String, to target: (String, String)) -> Planned {
        Planned(candidates: ["payment_received", "payment_applied"], containing: ["payment"], at: at,
                facts: ["amount": .money(amount), "reference": .string(reference)], target: target)
    }
}
