import O2CCore
import O2CEngine

extension InvoiceLedger {
    /// Builds the ledger from what the store holds: one entry per invoice id named by journal
    /// lines on the receivables account (any workflow: `invoice`, `subscription_invoice`…), with
    /// the due date, balance and ladder history of the instance that holds that invoice; or, for
    /// a library that books no journal, one per invoice-workflow instance (fallback).
    public static func build(_ input: ReportInput, schema: ReportSchema) -> InvoiceLedger {
        var byId: [String: ReportInput.Instance] = [:]
        for i in input.instances { byId[i.id] = i }
        var holder: [String: ReportInput.Instance] = [:]      // invoice id → the instance that is that invoice
        for i in input.instances {
            guard case .object(let inv)? = i.inputs["invoice"], case .string(let id)? = inv["id"] else { continue }
            if holder[id] == nil || schema.invoiceWorkflows.contains(i.workflow) { holder[id] = i }
        }
        var journalOf: [String: [ReportInput.EffectRow]] = [:]
        var order: [String] = []
        for e in input.effects where e.action == schema.journalAction {
            guard case .string(let inv)? = e.arguments["invoice"],
                  e.arguments["debit"] == .string(schema.receivablesAccount) || e.arguments["credit"] == .string(schema.receivablesAccount) else { continue }
            if journalOf[inv] == nil { order.append(inv) }
            journalOf[inv, default: []].append(e)
        }
        var currency: Currency?
        var invoices: [Invoice] = []
        func root(_ i: ReportInput.Instance) -> ReportInput.Instance {
            var r = i
            while let p = r.parentId, let parent = byId[p] { r = parent }
            return r
        }
        for id in order {
            let rows = journalOf[id]!
            guard case .money(let first)? = rows.first?.arguments["amount"] else { continue }
            if currency == nil { currency = first.currency }
            guard first.currency == currency else { continue }
            let movements = journalMovements(rows, schema: schema, currency: first.currency)
            let inst = holder[id]
            let issued = movements.first?.at ?? rows[0].at
            var due = issued.day
            if let inst, let d = dueDate(inst) { due = d }
            invoices.append(invoice(id: inst?.id ?? id, instance: inst, root: inst.map(root), due: due, movements: movements, input: input))
        }
        guard invoices.isEmpty else { return InvoiceLedger(invoices: invoices, currency: currency) }
        var effectsOf: [String: [ReportInput.EffectRow]] = [:]
        for e in input.effects { effectsOf[e.instanceId, default: []].append(e) }
        for inst in input.instances where schema.invoiceWorkflows.contains(inst.workflow) {
            guard case .money(let total)? = find("total", in: inst.inputs) else { continue }
            if currency == nil { currency = total.currency }
            guard total.currency == currency else { continue }
            let movements = fallbackMovements(inst, total: total, history: input.history[inst.id] ?? [], effects: effectsOf[inst.id] ?? [],
                                              schema: schema)
            invoices.append(invoice(id: inst.id, instance: inst, root: root(inst), due: dueDate(inst) ?? inst.createdAt.day,
                                    movements: movements, input: input))
        }
        return InvoiceLedger(invoices: invoices, currency: currency)
    }

    static func dueDate(_ inst: ReportInput.Instance) -> Day? {
        for name in ["due_date", "billed_on", "issue_date"] {
            if case .date(let d)? = find(name, in: inst.inputs) { return d }
        }
        return nil
    }

    static func invoice(id: String, instance inst: ReportInput.Instance?, root: ReportInput.Instance?, due: Day, movements: [Movement],
                        input: ReportInput) -> Invoice {
        var steps: [(String, Instant)] = []
        var engine: ExactDecimal?
        var paidAt: Instant?
        if let inst {
            for h in input.history[inst.id] ?? [] where h.kind == "ladder" && h.data["result"] == .string("fired") {
                if case .string(let step)? = h.data["step"] { steps.append((step, h.at)) }
            }
            if case .money(let b)? = inst.context["balance"] { engine = b.amount }
            if inst.status == "completed", (inst.outcome ?? inst.state).hasPrefix("paid") { paidAt = inst.updatedAt }
        }
        let orderedAt = root?.createdAt ?? movements.first?.at ?? Instant(secondsSinceEpoch: 0)
        return Invoice(id: id, orderId: root?.id ?? id, orderedAt: orderedAt, due: due, movements: movements, engineBalance: engine,
                       state: inst?.state ?? "unknown", status: inst?.status ?? "unknown", steps: steps, paidAt: paidAt)
    }

    /// The receivables lines of one invoice's journal entries, classified by counter-account.
    static func journalMovements(_ rows: [ReportInput.EffectRow], schema: ReportSchema, currency: Currency) -> [Movement] {
        rows.compactMap { e in
            guard case .money(let m)? = e.arguments["amount"], m.currency == currency,
                  case .string(let debit)? = e.arguments["debit"], case .string(let credit)? = e.arguments["credit"] else { return nil }
            if debit == schema.receivablesAccount {
                let kind: Kind = schema.isFeeIncome(credit) ? .fee : schema.isInterestIncome(credit) ? .interest : .invoiced
                return Movement(kind, m.amount, at: e.at)
            }
            if credit == schema.receivablesAccount {
                let kind: Kind = schema.isCash(debit) ? .payment : schema.isBadDebt(debit) ? .writeOff : .credit
                return Movement(kind, m.amount, at: e.at)
            }
            return nil
        }
    }

    /// Without journal lines: the `total` input, accepted payments from history, and fee,
    /// write-off and credit-note effects.
    static func fallbackMovements(_ inst: ReportInput.Instance, total: Money, history: [HistoryEntry], effects: [ReportInput.EffectRow],
                                  schema: ReportSchema) -> [Movement] {
        var out = [Movement(.invoiced, total.amount, at: inst.createdAt)]
        for (i, h) in history.enumerated() {
            guard h.kind == "event", case .string(let name)? = h.data["name"], schema.paymentEvents.contains(name),
                  case .money(let m)? = h.data["payload"]?["amount"], m.currency == total.currency, applied(history, after: i) else { continue }
            out.append(Movement(.payment, m.amount, at: h.at))
        }
        for e in effects {
            guard case .money(let m)? = e.arguments["amount"], m.currency == total.currency else { continue }
            if schema.feeActions.contains(e.action) { out.append(Movement(.fee, m.amount, at: e.at)) }
            if schema.writeOffActions.contains(e.action) { out.append(Movement(.writeOff, m.amount, at: e.at)) }
            if schema.creditNoteActions.contains(e.action) { out.append(Movement(.credit, m.amount, at: e.at)) }
        }
        return out
    }

    /// Whether the event at `index` changed anything: no `ignored` or `failed` before the next input.
    static func applied(_ history: [HistoryEntry], after index: Int) -> Bool {
        var j = index + 1
        while j < history.count {
            switch history[j].kind {
            case "ignored", "failed": return false
            case "event", "timer", "started", "cancelled": return true
            default: j += 1
            }
        }
        return true
    }

    /// A field at the top level or one level down (`invoice.total`).
    static func find(_ name: String, in values: [String: Value]) -> Value? {
        if let v = values[name] { return v }
        for k in values.keys.sorted() {
            if case .object(let o)? = values[k], let v = o[name] { return v }
        }
        return nil
    }
}
