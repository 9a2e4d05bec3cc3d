import O2CCore

/// Compares each order's trace under the baseline with its trace under the candidate, as both
/// runs advance in lockstep, and keeps only what a report needs.
///
/// While two traces agree, matched items are dropped at once: an order that behaves the same
/// under both policies costs a small buffer while in flight and a counter once finished. At the
/// first unequal pair the order is *diverged*: that pair is kept as the example, and the rest
/// of both traces (the tails) is kept until the order finishes on both sides, to name the kind
/// of change ("released → in_review", "no fee → fee charged").
public struct TraceComparer: Sendable {
    struct Pair {
        var start: Instant
        var amount: Money?
        var base: [TraceItem] = []
        var cand: [TraceItem] = []
        var baseClosed = false
        var candClosed = false
        var divergence: Divergence?
    }

    private var open: [String: Pair] = [:]
    /// Orders finished on both sides (replay only, where late notes may still arrive).
    private var finalized: Set<String> = []
    private let rememberFinalized: Bool
    public private(set) var compared = 0
    public private(set) var identical = 0
    public private(set) var groups: [String: ChangeGroup] = [:]
    /// Group labels in the order they first occurred (for deterministic ties).
    private var groupOrder: [String] = []

    public init(rememberFinalized: Bool = false) {
        self.rememberFinalized = rememberFinalized
    }

    public enum Side: Sendable { case baseline, candidate }

    /// Takes what both observers drained since the last call.
    public mutating func absorb(_ drained: [RunObserver.Drained], from side: Side) {
        for d in drained {
            if rememberFinalized && finalized.contains(d.root) { continue }
            var p = open.removeValue(forKey: d.root) ?? Pair(start: d.start, amount: d.amount)
            if p.amount == nil { p.amount = d.amount }
            // Matched items are dropped as they come, so a side's buffer is usually empty here:
            // then the drained array is taken as it is (appending copied every item).
            switch side {
            case .baseline:
                if p.base.isEmpty { p.base = d.items } else { p.base.append(contentsOf: d.items) }
                p.baseClosed = p.baseClosed || d.closed
            case .candidate:
                if p.cand.isEmpty { p.cand = d.items } else { p.cand.append(contentsOf: d.items) }
                p.candClosed = p.candClosed || d.closed
            }
            match(&p)
            if p.baseClosed && p.candClosed {
                finalize(d.root, p)
            } else {
                open[d.root] = p
            }
        }
    }

    /// Orders still running when the simulation stops are compared as they stand.
    public mutating func finishAll() {
        for root in open.keys.sorted() {
            var p = open[root]!
            p.baseClosed = true
            p.candClosed = true
            match(&p)
            finalize(root, p)
        }
        open = [:]
    }

    public var changed: Int { compared - identical }

    /// Groups by count (largest first), then label.
    public var sortedGroups: [ChangeGroup] {
        let rank = Dictionary(uniqueKeysWithValues: groupOrder.enumerated().map { ($1, $0) })
        return groups.values.sorted { ($0.count, rank[$1.label]!) > ($1.count, rank[$0.label]!) }
    }

    /// Drops the common prefix; records the first unequal pair.
    private func match(_ p: inout Pair) {
        guard p.divergence == nil else { return }
        let n = min(p.base.count, p.cand.count)
        // Compared where they lie: indexing the arrays copied (retained, then released) both
        // items of every pair.
        let k = p.base.withUnsafeBufferPointer { base in
            p.cand.withUnsafeBufferPointer { cand in
                var k = 0
                while k < n && base[k] == cand[k] { k += 1 }
                return k
            }
        }
        if k < n {
            p.divergence = Divergence(baseline: p.base[k], candidate: p.cand[k])
        } else if p.baseClosed && p.base.count == k && p.cand.count > k {
            p.divergence = Divergence(baseline: nil, candidate: p.cand[k])
        } else if p.candClosed && p.cand.count == k && p.base.count > k {
            p.divergence = Divergence(baseline: p.base[k], candidate: nil)
        }
        if k > 0 {
            // All matched (the usual case): let go of the buffers rather than shift nothing.
            if k == p.base.count { p.base = [] } else { p.base.removeFirst(k) }
            if k == p.cand.count { p.cand = [] } else { p.cand.removeFirst(k) }
        }
    }

    private mutating func finalize(_ root: String, _ p: Pair) {
        compared += 1
        if rememberFinalized { finalized.insert(root) }
        guard var d = p.divergence else {
            identical += 1
            return
        }
        let kind = ChangeClassifier.classify(baseline: p.base, candidate: p.cand)
        let (x, y) = Divergence.focus(p.base, p.cand)
        if x != nil || y != nil { d = Divergence(baseline: x, candidate: y) }
        if groups[kind.label] == nil {
            groups[kind.label] = ChangeGroup(label: kind.label)
            groupOrder.append(kind.label)
        }
        groups[kind.label]!.add(root: root, start: p.start, amount: p.amount, divergence: d, feeDelta: kind.feeDelta,
                                ending: ChangeClassifier.ending(root: root, baseline: p.base, candidate: p.cand))
    }
}
