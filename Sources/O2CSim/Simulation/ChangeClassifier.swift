import O2CCore

/// Names the kind of change of a diverged order from the tails of its two traces (everything
/// from the first point of divergence on), so that orders changed the same way group together.
///
/// In order of what matters most to an analyst:
/// 1. the path: the first state one run moved to and the other did not ("released → in_review");
/// 2. fees: "no fee → fee charged", "fee charged → no fee", "fee → higher fee"; then statutory
///    interest booked the same way ("no interest → interest charged");
/// 3. other effects: "none → `credit_hold`", "`notify second_notice` → none" (a journal line by
///    its accounts, not its amount, so that orders changed alike group together);
/// 4. otherwise the same things happened at other times: "`fee` earlier", "same path, different timing".
enum ChangeClassifier {
    struct Kind {
        var label: String
        var feeDelta: MoneyTotals
    }

    static func classify(baseline b: [TraceItem], candidate c: [TraceItem]) -> Kind {
        let feeDelta = MoneyTotals.delta(fees(b), fees(c))
        return Kind(label: path(b, c) ?? fee(b, c) ?? interest(b, c) ?? effects(b, c) ?? timing(b, c), feeDelta: feeDelta)
    }

    /// The same things happened: "`fee` earlier" when the first difference is one thing done at
    /// another time, else "same path, different timing".
    static func timing(_ b: [TraceItem], _ c: [TraceItem]) -> String {
        let (x, y) = Divergence.focus(b, c)
        guard let x, let y, x.what == y.what, x.at != y.at else { return "same path, different timing" }
        let what: String
        switch x.what {
        case .effect(let action, _): what = "`\(action)`"
        default: what = "`\(x.action)`"
        }
        return "\(what) \(y.at < x.at ? "earlier" : "later")"
    }

    /// Items that change where an instance is: moves, failures, refused inputs.
    private static func pathItems(_ items: [TraceItem]) -> [TraceItem] {
        items.filter {
            switch $0.what {
            case .moved, .failed, .refused: true
            default: false
            }
        }
    }

    private static func name(_ i: TraceItem) -> String {
        switch i.what {
        case .moved(let to): to
        case .failed: "failed in `\(i.state)`"
        case .refused(TraceItem.startEvent, _): "not started"
        case .refused(let e, _): "`\(e)` refused"
        default: i.action
        }
    }

    static func path(_ b: [TraceItem], _ c: [TraceItem]) -> String? {
        let pb = pathItems(b), pc = pathItems(c)
        var k = 0
        while k < pb.count, k < pc.count, pb[k].instance == pc[k].instance, pb[k].what == pc[k].what { k += 1 }
        if k == pb.count && k == pc.count { return nil }
        let x = k < pb.count ? resting(pb, from: k) : nil, y = k < pc.count ? resting(pc, from: k) : nil
        let prefix = x != nil && y != nil && x!.workflow != y!.workflow
        func side(_ i: TraceItem?, other: TraceItem) -> String {
            guard let i else { return "stays in `\(other.state)`" }
            return prefix ? "\(i.workflow): \(name(i))" : name(i)
        }
        return "\(side(x, other: y ?? x!)) → \(side(y, other: x ?? y!))"
    }

    /// The move at `k`, or where the instance came to rest when it passed straight on at the
    /// same moment: an invoice that goes to `in_collections` by way of a choice state
    /// (`to_collections`) is named by `in_collections`, where it waits.
    static func resting(_ items: [TraceItem], from k: Int) -> TraceItem {
        var i = k
        while case .moved = items[i].what, i + 1 < items.count, case .moved = items[i + 1].what,
              items[i + 1].instance == items[i].instance, items[i + 1].at == items[i].at {
            i += 1
        }
        return items[i]
    }

    static func fees(_ items: [TraceItem]) -> MoneyTotals {
        var t = MoneyTotals()
        for i in items {
            if case .effect("fee", .money(let m)?) = i.what { t.add(m) }
        }
        return t
    }

    static func fee(_ b: [TraceItem], _ c: [TraceItem]) -> String? { charge("fee", fees(b), fees(c)) }

    /// "no fee → fee charged", "fee charged → no fee", "fee → higher fee", "fee → lower fee" (or
    /// interest), when the two totals differ.
    private static func charge(_ what: String, _ b: MoneyTotals, _ c: MoneyTotals) -> String? {
        guard b != c else { return nil }
        if b.isZero { return "no \(what) → \(what) charged" }
        if c.isZero { return "\(what) charged → no \(what)" }
        let higher = c.currencies.contains { c.amount($0) > b.amount($0) }
        return higher ? "\(what) → higher \(what)" : "\(what) → lower \(what)"
    }

    /// Interest an order was charged: journal lines from receivables to an interest account
    /// (`KPISpec.interestAccounts`), read from their trace detail ("15.22 EUR Dr
    /// accounts_receivable Cr interest_income").
    static func interestCharged(_ items: [TraceItem], accounts: Set<String> = KPISpec.defaultInterestAccounts) -> MoneyTotals {
        var t = MoneyTotals()
        for i in items {
            guard case .effect("journal", .string(let line)?) = i.what, let entry = JournalLine(line),
                  entry.debit == "accounts_receivable", accounts.contains(entry.credit), let m = entry.amount else { continue }
            t.add(m)
        }
        return t
    }

    static func interest(_ b: [TraceItem], _ c: [TraceItem]) -> String? { charge("interest", interestCharged(b), interestCharged(c)) }

    static func effects(_ b: [TraceItem], _ c: [TraceItem]) -> String? {
        func keys(_ items: [TraceItem]) -> [String] {
            items.compactMap {
                guard case .effect(let a, let detail) = $0.what, a != "fee" else { return nil }
                if a == "journal", case .string(let line)? = detail, let key = JournalLine.key(line) { return key }
                return $0.action
            }
        }
        let kb = keys(b), kc = keys(c)
        var cb: [String: Int] = [:], cc: [String: Int] = [:]
        for k in kb { cb[k, default: 0] += 1 }
        for k in kc { cc[k, default: 0] += 1 }
        for k in kb + kc where cb[k] != cc[k] {
            return (cb[k] ?? 0) > (cc[k] ?? 0) ? "`\(k)` → none" : "none → `\(k)`"
        }
        // The same lines between the same accounts, for other amounts (a VAT rate changed).
        let ab = journalTotals(b), ac = journalTotals(c)
        for k in kb where ab[k] != ac[k] {
            let x = ab[k] ?? MoneyTotals(), y = ac[k] ?? MoneyTotals()
            return "`\(k)` → " + (y.currencies.contains { y.amount($0) > x.amount($0) } ? "higher amount" : "lower amount")
        }
        return nil
    }

    /// The amounts of an order's journal lines, by their accounts.
    private static func journalTotals(_ items: [TraceItem]) -> [String: MoneyTotals] {
        var t: [String: MoneyTotals] = [:]
        for i in items {
            guard case .effect("journal", .string(let line)?) = i.what, let key = JournalLine.key(line), let m = JournalLine(line)?.amount else { continue }
            t[key, default: MoneyTotals()].add(m)
        }
        return t
    }

    /// A journal line as a trace shows it: "15.22 EUR Dr accounts_receivable Cr interest_income".
    /// Split on the bytes of " Dr " and " Cr " (Foundation's `range(of:)` cost the simulator 2 %);
    /// the amount is read only when asked for.
    struct JournalLine {
        var amountText: Substring
        var debit: String
        var credit: String
        var amount: Money? { Money(parsing: String(amountText)) }
        init?(_ text: String) {
            guard let dr = Self.find("Dr", in: text, from: text.startIndex), let cr = Self.find("Cr", in: text, from: dr.upperBound) else { return nil }
            amountText = text[..<dr.lowerBound]
            debit = String(text[dr.upperBound..<cr.lowerBound])
            credit = String(text[cr.upperBound...])
        }

        /// "journal Dr X Cr Y": the line without its amount, the key orders group by.
        static func key(_ text: String) -> String? {
            guard let dr = find("Dr", in: text, from: text.startIndex) else { return nil }
            return "journal" + text[dr.lowerBound...]
        }

        /// The range of " \(word) " (two ASCII letters between spaces) from `start`, by bytes.
        static func find(_ word: StaticString, in text: String, from start: String.Index) -> Range<String.Index>? {
            let w = word.utf8Start, u = text.utf8
            var i = start
            while i < u.endIndex {
                if u[i] == 0x20 {
                    let a = u.index(after: i)
                    if a < u.endIndex, u[a] == w[0] {
                        let b = u.index(after: a)
                        if b < u.endIndex, u[b] == w[1] {
                            let c = u.index(after: b)
                            if c < u.endIndex, u[c] == 0x20 { return i..<u.index(after: c) }
                        }
                    }
                }
                i = u.index(after: i)
            }
            return nil
        }
    }

    /// How the order itself ends under each policy when that differs: "`completed` → `rejected`",
    /// "`completed` → still running"; nil when it ends the same way.
    static func ending(root: String, baseline b: [TraceItem], candidate c: [TraceItem]) -> String? {
        func end(_ items: [TraceItem]) -> String? {
            for i in items.reversed() where i.instance == root {
                switch i.what {
                case .completed(let outcome): return "`\(outcome)`"
                case .failed: return "failed"
                case .refused(TraceItem.startEvent, _): return "not started"
                default: continue
                }
            }
            return nil
        }
        let x = end(b), y = end(c)
        guard x != y else { return nil }
        return "\(x ?? "still running") → \(y ?? "still running")"
    }
}
