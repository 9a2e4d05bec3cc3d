import O2CCore

/// The KPI table: each figure of `KPITally` under both policies, with the delta, in a fixed
/// order (orders and credit, dunning, cash), every list sorted, so reports are byte-stable.
enum KPIRows {
    static func build(_ a: KPITally, _ b: KPITally) -> [SimulationReport.KPIRow] {
        var rows: [SimulationReport.KPIRow] = []
        func int(_ section: String, _ name: String, _ x: Int, _ y: Int) {
            let d = y - x
            rows.append(.init(section: section, name: name, baseline: "\(x)", candidate: "\(y)", delta: d == 0 ? "0" : (d > 0 ? "+\(d)" : "\(d)"), changed: d != 0))
        }
        func money(_ section: String, _ name: String, _ x: MoneyTotals, _ y: MoneyTotals) {
            let cs = Array(Set(x.currencies + y.currencies)).sorted()
            let d = MoneyTotals.delta(x, y)
            let delta = d.isZero ? "0" : cs.map { c in
                let v = d.amount(c)
                return (v.isNegative ? "" : "+") + Money(v, c).description
            }.joined(separator: " ")
            rows.append(.init(section: section, name: name, baseline: x.text(in: cs.isEmpty ? nil : cs), candidate: y.text(in: cs.isEmpty ? nil : cs),
                              delta: delta, changed: !d.isZero, kind: .money))
        }
        func decimal(_ section: String, _ name: String, _ x: ExactDecimal?, _ y: ExactDecimal?) {
            var delta = "n/a"
            var changed = x != y
            if let x, let y, let d = try? y - x {
                delta = d.isZero ? "0" : (d.isNegative ? "" : "+") + d.formatted(places: 1)
                changed = !d.isZero
            }
            rows.append(.init(section: section, name: name, baseline: x?.formatted(places: 1) ?? "n/a", candidate: y?.formatted(places: 1) ?? "n/a",
                              delta: delta, changed: changed, kind: .decimal))
        }

        let orders = "Orders and credit"
        int(orders, "orders", a.orders, b.orders)
        let labels = ["approve": "auto-approved", "review": "sent to review", "reject": "rejected"]
        let decisions = ["approve", "review", "reject"] + Set(a.decisions.keys).union(b.decisions.keys).subtracting(labels.keys).sorted()
        for d in decisions where !(a.decisions.isEmpty && b.decisions.isEmpty) && (a.decisions[d] != nil || b.decisions[d] != nil || labels[d] != nil) {
            int(orders, labels[d] ?? "decision `\(d)`", a.decisions[d] ?? 0, b.decisions[d] ?? 0)
        }
        for o in Set(a.outcomes.keys).union(b.outcomes.keys).sorted() {
            int(orders, "ended `\(o)`", a.outcomes[o] ?? 0, b.outcomes[o] ?? 0)
        }
        let running = max(0, a.orders - a.outcomes.values.reduce(0, +)), runningB = max(0, b.orders - b.outcomes.values.reduce(0, +))
        if running + runningB > 0 { int(orders, "still running at the end", running, runningB) }

        let dunning = "Dunning"
        int(dunning, "fees charged", a.feeCount, b.feeCount)
        money(dunning, "fee amount", a.fees, b.fees)
        if a.interestCount + b.interestCount > 0 {
            int(dunning, "statutory interest charged", a.interestCount, b.interestCount)
            money(dunning, "interest amount", a.interest, b.interest)
        }
        int(dunning, "notices sent, all templates", a.notices.values.reduce(0, +), b.notices.values.reduce(0, +))
        for t in Set(a.notices.keys).union(b.notices.keys).sorted() {
            int(dunning, "notices `\(t)`", a.notices[t] ?? 0, b.notices[t] ?? 0)
        }
        int(dunning, "suspensions", a.suspensions, b.suspensions)
        int(dunning, "agency hand-offs", a.agencyHandoffs, b.agencyHandoffs)

        let cash = "Cash"
        let days = Set(a.cashWithin.keys).union(b.cashWithin.keys).union(Set([30, 60, 90])).sorted()
        for d in days { money(cash, "collected by day \(d)", a.cashWithin[d] ?? MoneyTotals(), b.cashWithin[d] ?? MoneyTotals()) }
        money(cash, "collected in all", a.cash, b.cash)
        let currencies = Array(Set(a.cash.currencies + b.cash.currencies + a.invoiced.currencies + b.invoiced.currencies)).sorted()
        for c in currencies {
            let suffix = currencies.count > 1 ? " (\(c))" : ""
            decimal(cash, "DSO, days\(suffix)", a.dso(c), b.dso(c))
            decimal(cash, "days to pay, cash-weighted\(suffix)", a.daysToPay(c), b.daysToPay(c))
        }
        let ledger = !a.ledgerSales.isZero || !b.ledgerSales.isZero
        money(cash, "open receivables at the end", ledger ? a.ledgerAR : a.openAR, ledger ? b.ledgerAR : b.openAR)
        if !a.writtenOff.isZero || !b.writtenOff.isZero { money(cash, "written off (bad debt)", a.writtenOff, b.writtenOff) }
        if !a.revenue.isZero || !b.revenue.isZero { money(cash, "revenue recognised", a.revenue, b.revenue) }

        let engine = "Engine"
        int(engine, "steps", a.steps, b.steps)
        int(engine, "failed instances", a.failedInstances, b.failedInstances)
        return rows
    }
}
