import O2CCore

/// The first point where two traces of one order differ. A nil side had nothing more to do.
public struct Divergence: Sendable, Equatable {
    public var baseline: TraceItem?
    public var candidate: TraceItem?

    /// The first difference as seen by the instance where it happened: an order's trace
    /// interleaves its instances, so the other side's next item may belong to another instance
    /// (a revenue posting) and say nothing about what changed (a fee charged earlier). Each
    /// instance's own items are compared; the earliest instance-level difference is the focus,
    /// and of two at the same time, that of the instance seen first in time (then in the
    /// baseline's, then the candidate's order of items).
    ///
    /// One walk over each trace, with the instances in a short list (an order has a handful):
    /// sorting both traces together and filtering them once per instance cost ≈400 k
    /// instructions per diverged order.
    static func focus(_ b: [TraceItem], _ c: [TraceItem]) -> (TraceItem?, TraceItem?) {
        struct Lane {
            let instance: String
            /// Where the instance is first seen: its earliest time, then its position in `b + c`.
            var first: (at: Instant, position: Int)
            var x: [Int] = [], y: [Int] = []
        }
        var lanes: [Lane] = []
        func lane(_ item: TraceItem, position: Int) -> Int {
            for l in lanes.indices where lanes[l].instance == item.instance {
                if item.at < lanes[l].first.at { lanes[l].first = (item.at, position) }
                return l
            }
            lanes.append(Lane(instance: item.instance, first: (item.at, position)))
            return lanes.count - 1
        }
        for (i, item) in b.enumerated() { lanes[lane(item, position: i)].x.append(i) }
        for (i, item) in c.enumerated() { lanes[lane(item, position: b.count + i)].y.append(i) }
        var best: (p: TraceItem?, q: TraceItem?, t: Instant, first: (at: Instant, position: Int))?
        for l in lanes {
            let x = l.x, y = l.y
            var k = 0
            while k < x.count, k < y.count, b[x[k]] == c[y[k]] { k += 1 }
            guard k < x.count || k < y.count else { continue }
            let p = k < x.count ? b[x[k]] : nil, q = k < y.count ? c[y[k]] : nil
            let t = min(p?.at ?? q!.at, q?.at ?? p!.at)
            if let current = best {
                guard t < current.t || t == current.t && (l.first.at, l.first.position) < (current.first.at, current.first.position) else { continue }
            }
            best = (p, q, t, l.first)
        }
        guard let best else { return (b.first, c.first) }
        return (best.p, best.q)
    }

    public var at: Instant { [baseline?.at, candidate?.at].compactMap { $0 }.min()! }
    /// Where the earlier side was: "credit_check.checking".
    public var place: String {
        let first = [baseline, candidate].compactMap { $0 }.min { $0.at < $1.at }!
        return first.place
    }
}
