import O2CCore

/// Names the kind of change of a diverged order from the tails of its two traces (everything
/// from the first point of divergence on), so that orders changed the same way group together.
///
/// In order of what matters most to an analyst:
/// 1. the path: the first state one run moved to and the other did not ("released → in_review");
/// 2. fees: "no fee → fee charged", "fee charged → no fee", "fee → higher fee";
/// 3. other effects: "none → `credit_hold`", "`notify second_notice` → none";
/// 4. otherwise the same things happened at other times: "`fee` earlier", "same path, different timing".
enum ChangeClassifier {
    struct Kind {
        var label: String
        var feeDelta: MoneyTotals
    }

    static func classify(baseline b: [TraceItem], candidate c: [TraceItem]) -> Kind {
        let feeDelta = MoneyTotals.delta(fees(b), fees(c))
        return Kind(label: path(b, c) ?? fee(b, c) ?? effects(b, c) ?? timing(b, c), feeDelta: feeDelta)
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
        let x = k < pb.count ? pb[k] : nil, y = k < pc.count ? pc[k] : nil
        let prefix = x != nil && y != nil && x!.workflow != y!.workflow
        func side(_ i: TraceItem?, other: TraceItem) -> String {
            guard let i else { return "stays in `\(other.state)`" }
            return prefix ? "\(i.workflow): \(name(i))" : name(i)
        }
        return "\(side(x, other: y ?? x!)) → \(side(y, other: x ?? y!))"
    }

    static func fees(_ items: [TraceItem]) -> MoneyTotals {
        var t = MoneyTotals()
        for i in items {
            if case .effect("fee", .money(let m)?) = i.what { t.add(m) }
        }
        return t
    }

    static func fee(_ b: [TraceItem], _ c: [TraceItem]) -> String? {
        let fb = fees(b), fc = fees(c)
        guard fb != fc else { return nil }
        if fb.isZero { return "no fee → fee charged" }
        if fc.isZero { return "fee charged → no fee" }
        let higher = fc.currencies.contains { fc.amount($0) > fb.amount($0) }
        return higher ? "fee → higher fee" : "fee → lower fee"
    }

    static func effects(_ b: [TraceItem], _ c: [TraceItem]) -> String? {
        func keys(_ items: [TraceItem]) -> [String] {
            items.compactMap {
                if case .effect(let a, _) = $0.what, a != "fee" { return $0.action }
                return nil
            }
        }
        let kb = keys(b), kc = keys(c)
        var cb: [String: Int] = [:], cc: [String: Int] = [:]
        for k in kb { cb[k, default: 0] += 1 }
        for k in kc { cc[k, default: 0] += 1 }
        for k in kb + kc where cb[k] != cc[k] {
            return (cb[k] ?? 0) > (cc[k] ?? 0) ? "`\(k)` → none" : "none → `\(k)`"
        }
        return nil
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
