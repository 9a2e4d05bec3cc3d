import O2CCore

/// The first point where two traces of one order differ. A nil side had nothing more to do.
public struct Divergence: Sendable, Equatable {
    public var baseline: TraceItem?
    public var candidate: TraceItem?

    /// The first difference as seen by the instance where it happened: an order's trace
    /// interleaves its instances, so the other side's next item may belong to another instance
    /// (a revenue posting) and say nothing about what changed (a fee charged earlier). Each
    /// instance's own items are compared; the earliest instance-level difference is the focus.
    static func focus(_ b: [TraceItem], _ c: [TraceItem]) -> (TraceItem?, TraceItem?) {
        var order: [String] = []
        var seen: Set<String> = []
        for i in (b + c).sorted(by: { $0.at < $1.at }) where seen.insert(i.instance).inserted { order.append(i.instance) }
        var best: (TraceItem?, TraceItem?, Instant)?
        for instance in order {
            let x = b.filter { $0.instance == instance }, y = c.filter { $0.instance == instance }
            var k = 0
            while k < x.count, k < y.count, x[k] == y[k] { k += 1 }
            guard k < x.count || k < y.count else { continue }
            let p = k < x.count ? x[k] : nil, q = k < y.count ? y[k] : nil
            let t = min(p?.at ?? q!.at, q?.at ?? p!.at)
            if best == nil || t < best!.2 { best = (p, q, t) }
        }
        guard let best else { return (b.first, c.first) }
        return (best.0, best.1)
    }

    public var at: Instant { [baseline?.at, candidate?.at].compactMap { $0 }.min()! }
    /// Where the earlier side was: "credit_check.checking".
    public var place: String {
        let first = [baseline, candidate].compactMap { $0 }.min { $0.at < $1.at }!
        return first.place
    }
}
