import O2CCore

extension O2CReport {
    /// Computes the report from what the store holds.
    public init(_ input: ReportInput, schema: ReportSchema, from: Instant, to: Instant) {
        self.init(from: from, to: to)
        let ledger = InvoiceLedger.build(input, schema: schema)
        currency = ledger.currency
        countOrders(input, schema)
        money(ledger, input, schema)
        activity(input, schema)
        trialBalance = TrialBalance(input.effects, action: schema.journalAction, through: asOf)
        kpis(ledger)
        recovery = Self.recovery(ledger, steps: schema.ladderSteps, from: from, through: to)
    }

    /// Orders that ended in the period by outcome, and those still open at its end by state;
    /// the cycle time of each order completed in the period (docs/kpis.md).
    mutating func countOrders(_ input: ReportInput, _ schema: ReportSchema) {
        var outcomes: [String: Int] = [:]
        for o in input.instances where o.workflow == schema.orderWorkflow && o.createdAt < to {
            let ended = o.status != "active" && o.updatedAt < to
            guard !ended || o.updatedAt >= from else { continue }
            orders += 1
            let name = ended ? (o.status == "completed" ? (o.outcome ?? o.state) : o.status) : "open: \(o.state)"
            outcomes[name, default: 0] += 1
            if ended, o.status == "completed", o.outcome == "completed" {
                cycleTimes.append((try? ExactDecimal(Int(o.updatedAt.secondsSinceEpoch - o.createdAt.secondsSinceEpoch)) / 86_400) ?? .zero)
            }
        }
        ordersByOutcome = outcomes.keys.sorted().map { ($0, outcomes[$0]!) }
        for c in input.instances where c.workflow == schema.creditWorkflow && c.createdAt < to {
            let reviewed = (input.history[c.id] ?? []).contains { h in
                h.kind == "transition" && h.data["to"].map { v in schema.reviewStates.contains(v.plainText) } == true
            } || schema.reviewStates.contains(c.state)
            switch (c.status, c.outcome ?? c.state) {
            case ("completed", "released"), ("completed", "approved"): if reviewed { creditReleasedAfterReview += 1 } else { creditReleased += 1 }
            case ("completed", "rejected"): if reviewed { creditRejectedAfterReview += 1 } else { creditRejected += 1 }
            case ("active", _): creditPending += 1
            default: break
            }
        }
    }

    mutating func money(_ ledger: InvoiceLedger, _ input: ReportInput, _ schema: ReportSchema) {
        let issued = ledger.invoices.filter { $0.issuedAt <= asOf }
        invoiceCount = issued.count
        let l = InvoiceLedger(invoices: issued, currency: ledger.currency)
        invoiced = l.total { $0.sum(.invoiced, through: asOf) }
        fees = l.total { $0.sum(.fee, through: asOf) }
        interest = l.total { $0.sum(.interest, through: asOf) }
        cash = l.total { $0.sum(.payment, through: asOf) }
        writeOffs = l.total { $0.sum(.writeOff, through: asOf) }
        credits = l.total { $0.sum(.credit, through: asOf) }
        openAR = l.total { $0.balance(at: asOf) }
        // Not yet past due on the period's last day: an invoice due that day is still current.
        currentAR = l.total { $0.due >= asOf.day ? $0.balance(at: asOf) : .zero }
        overdueAR = (try? openAR - currentAR) ?? .zero
        beginningAR = l.total { $0.balance(at: from.adding(Duration(seconds: -1))) }
        creditSales = l.total { inv in inv.movements.filter { $0.kind == .invoiced && $0.at >= from && $0.at < to }.reduce(.zero) { (try? $0 + $1.amount) ?? $0 } }
        writtenOffInPeriod = l.total { inv in inv.movements.filter { $0.kind == .writeOff && $0.at >= from && $0.at < to }.reduce(.zero) { (try? $0 + $1.amount) ?? $0 } }
        let invoiceInstances = input.instances.filter { schema.invoiceWorkflows.contains($0.workflow) }
        if invoiceInstances.allSatisfy({ $0.updatedAt <= asOf }), issued.allSatisfy({ $0.engineBalance != nil }) {
            engineOpenAR = l.total { $0.engineBalance! }
        }
        let ids = Set(invoiceInstances.map(\.id))
        for e in input.effects where schema.feeActions.contains(e.action) && e.at <= asOf && ids.contains(e.instanceId) {
            if case .money(let m)? = e.arguments["amount"] { feesCharged = (try? feesCharged + m.amount) ?? feesCharged }
        }
        for id in ids.sorted() {
            let h = input.history[id] ?? []
            for (i, entry) in h.enumerated() where entry.kind == "event" && entry.at <= asOf && InvoiceLedger.applied(h, after: i) {
                guard case .string(let name)? = entry.data["name"], schema.paymentEvents.contains(name),
                      case .money(let m)? = entry.data["payload"]?["amount"] else { continue }
                paymentsReceived = (try? paymentsReceived + m.amount) ?? paymentsReceived
            }
        }
    }

    mutating func activity(_ input: ReportInput, _ schema: ReportSchema) {
        var templates: [String: Int] = [:]
        for e in input.effects where e.at <= asOf {
            if e.status == "dead" { deadEffects += 1 }
            switch e.action {
            case "notify":
                notices += 1
                templates[e.arguments["template"]?.plainText ?? "?", default: 0] += 1
            case let a where schema.suspendActions.contains(a): suspensions += 1
            case let a where schema.agencyActions.contains(a): agencyHandoffs += 1
            case let a where schema.creditHoldActions.contains(a): creditHolds += 1
            case let a where schema.feeActions.contains(a): feeCount += 1
            default: break
            }
        }
        noticesByTemplate = templates.keys.sorted().map { ($0, templates[$0]!) }
    }

    mutating func kpis(_ ledger: InvoiceLedger) {
        days = (try? ExactDecimal(Int(to.secondsSinceEpoch - from.secondsSinceEpoch)) / 86_400) ?? .zero
        months = KPI.months(from: from.day, to: to.day)
        dso = KPI.dso(endingAR: openAR, creditSales: creditSales, days: days)
        bestPossibleDSO = KPI.bestPossibleDSO(currentAR: currentAR, creditSales: creditSales, days: days)
        averageDaysDelinquent = KPI.averageDaysDelinquent(dso: dso, bestPossible: bestPossibleDSO)
        cei = KPI.cei(beginningAR: beginningAR, creditSales: creditSales, months: months, endingAR: openAR, endingCurrentAR: currentAR)
        badDebtRatio = KPI.badDebtRatio(writtenOff: writtenOffInPeriod, creditSales: creditSales)
        // Countback walks back from the period's end through as many months as the AR needs,
        // before the period's start too (o2c-domain §6): stopping at `from` undercounted a short
        // period's AR left from earlier sales.
        let earliest = min(from.day, ledger.invoices.map(\.issuedAt.day).min() ?? from.day)
        // Months before the period count whole; the period's own first month counts from `from`.
        let monthStart = Day(year: earliest.components.year, month: earliest.components.month, day: 1) ?? earliest
        let first = earliest < from.day ? monthStart : from.day
        let slices = KPI.monthSlices(from: first, to: to.day).reversed().map { m in
            let end = m.start.startInstant.adding(.days(m.days))
            let sales = ledger.total { $0.issuedAt >= m.start.startInstant && $0.issuedAt < min(end, to) ? $0.total : .zero }
            return (sales: sales, days: ExactDecimal(m.days))
        }
        countbackDSO = KPI.countbackDSO(endingAR: openAR, months: Array(slices))
        cycleMedian = KPI.median(cycleTimes)
        cycleP90 = KPI.percentile(cycleTimes, 90)
    }

    /// Per ladder step: of the invoices on which it fired in the period, the share that reached
    /// `paid` after it and before the next step fired (docs/kpis.md).
    static func recovery(_ ledger: InvoiceLedger, steps: [String], from: Instant, through t: Instant) -> [StepRecovery] {
        var order = steps
        for inv in ledger.invoices { for s in inv.steps where !order.contains(s.name) { order.append(s.name) } }
        return order.enumerated().compactMap { k, step in
            var r = StepRecovery(step: step, reached: 0, recovered: 0)
            let laterSteps = Set(order.dropFirst(k + 1))
            for inv in ledger.invoices {
                guard let got = inv.steps.first(where: { $0.name == step }), got.at >= from, got.at < t else { continue }
                r.reached += 1
                let next = inv.steps.first { laterSteps.contains($0.name) && $0.at > got.at }
                if let paid = inv.paidAt, paid >= got.at, paid < t, next.map({ paid < $0.at }) ?? true { r.recovered += 1 }
            }
            return r.reached > 0 ? r : nil
        }
    }
}
