import O2CCore
import O2CEngine
import O2CExpr

/// The key figures a `RunObserver` tallies from each step: fees, notices, suspensions and
/// hand-offs, ledger lines, credit decisions, payments and open balances (see `KPISpec` for
/// which names each is read from).
extension RunObserver {
    mutating func count(_ e: Effect, root: String) {
        switch e.action {
        case "fee":
            if case .money(let m)? = e.arguments["amount"] {
                tally.fees.add(m)
                tally.feeCount += 1
            }
        case "notify":
            tally.notices[e.arguments["template"]?.plainText ?? "(no template)", default: 0] += 1
        case "start", "emit":
            break
        default:
            tally.actions[e.action, default: 0] += 1
            if suspensionActions.contains(e.action) { markSuspended(root) }
            if agencyActions.contains(e.action) { markHandedOff(root) }
            if e.action == spec.journalAction, case .money(let m)? = e.arguments["amount"] { journal(m, e.arguments) }
        }
    }

    /// Revenue recognised, and receivables as the ledger sees them (docs/kpis.md): AR debits
    /// other than fees are credit sales; AR = debits − credits.
    mutating func journal(_ m: Money, _ args: [String: Value]) {
        let debit = args["debit"]?.plainText ?? "", credit = args["credit"]?.plainText ?? ""
        if credit == spec.revenueAccount { tally.revenue.add(m) }
        if debit == spec.receivableAccount {
            tally.ledgerAR.add(m)
            if !spec.feeAccounts.contains(credit) { tally.ledgerSales.add(m) }
            if spec.interestAccounts.contains(credit) {
                tally.interest.add(m)
                tally.interestCount += 1
            }
        }
        if credit == spec.receivableAccount {
            tally.ledgerAR.subtract(m)
            if spec.badDebtAccounts.contains(debit) { tally.writtenOff.add(m) }
        }
    }

    mutating func markSuspended(_ root: String) {
        let marked = roots.update(root) { r in
            defer { r.suspended = true }
            return !r.suspended
        }
        if marked == true { tally.suspensions += 1 }
    }

    mutating func markHandedOff(_ root: String) {
        let marked = roots.update(root) { r in
            defer { r.handedOff = true }
            return !r.handedOff
        }
        if marked == true { tally.agencyHandoffs += 1 }
    }

    /// Reads the entry's fields in place: building their dictionary for two names cost more.
    mutating func decision(_ data: HistoryFields, root: String) {
        guard let table = spec.decisionTable, data["table"] == .string(table) else { return }
        let first = roots.update(root) { r in
            defer { r.decided = true }
            return !r.decided
        }
        guard first == true else { return }
        tally.decisions[data["outputs"]?[spec.decisionOutput]?.plainText ?? "(none)", default: 0] += 1
    }

    mutating func payment(_ m: Money, at: Instant, root: String) {
        tally.cash.add(m)
        tally.cashByDay[at.day.daysSinceEpoch, default: MoneyTotals()].add(m)
        guard let start = roots.update(root, { $0.start }) else { return }
        let seconds = at.secondsSinceEpoch - start.secondsSinceEpoch
        for d in spec.cashDays where seconds <= Int64(d) * 86_400 {
            tally.cashWithin[d, default: MoneyTotals()].add(m)
        }
        let days = (try? ExactDecimal(Int(seconds)) / 86_400) ?? .zero
        if let w = try? m.amount * days { tally.cashDays[m.currency] = (try? (tally.cashDays[m.currency] ?? .zero) + w) ?? tally.cashDays[m.currency] }
    }

    /// Open receivables: the balance variable of every active instance that has one.
    mutating func balance(_ s: Snapshot, input: Input) {
        guard case .money(let now)? = s.context[spec.balanceVariable] else { return }
        if case .start = input { tally.invoiced.add(now) }
        let previous = balances[s.instanceId]
        if s.status == .active {
            guard previous != now else { return }
            if let previous { tally.openAR.subtract(previous) }
            tally.openAR.add(now)
            balances[s.instanceId] = now
        } else {
            if let previous { tally.openAR.subtract(previous) }
            balances[s.instanceId] = nil
        }
    }

    /// The order's value: a money input named `total` (depth first, in declared order), else the first money input.
    static func amountAtStake(_ inputs: [String: Value], _ type: ObjectType?) -> Money? {
        var first: Money?
        func walk(_ values: [String: Value], _ names: [String]) -> Money? {
            for name in names {
                switch values[name] {
                case .money(let m)?:
                    if name == "total" { return m }
                    if first == nil { first = m }
                case .object(let o)?:
                    if let m = walk(o, o.keys.sorted()) { return m }
                default: continue
                }
            }
            return nil
        }
        let order = type?.fields.map(\.name) ?? inputs.keys.sorted()
        return walk(inputs, order) ?? first
    }
}
