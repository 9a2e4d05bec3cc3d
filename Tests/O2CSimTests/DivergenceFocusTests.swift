import O2CCore
@testable import O2CSim
import Testing

/// `Divergence.focus` walks each trace once; it must pick what the first version picked (both
/// traces sorted together by time to order the instances, each instance's items filtered out
/// of both), ties included.
@Suite("divergence focus")
struct DivergenceFocusTests {
    /// The first version, kept as the reference.
    static func reference(_ b: [TraceItem], _ c: [TraceItem]) -> (TraceItem?, TraceItem?) {
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

    @Test("the same focus as sorting and filtering, over random traces with ties")
    func sameAsReference() {
        var rng = SplitMix64(seed: 11, "focus")
        let instances = ["order-SO-00001", "credit-SO-00001", "invoice-INV-1", "invoice-INV-2", "revenue-1"]
        let states = ["a", "b", "c"]
        func trace(_ n: Int) -> [TraceItem] {
            var t = Int64(0)
            return (0..<n).map { _ in
                t += Int64(rng.int(in: 0...2)) * 3600 // many items at the same time
                let what: TraceItem.What = rng.chance(ExactDecimal(5).shifted(-1)) ? .moved(to: states[rng.int(in: 0...2)])
                    : .effect(action: "notify", detail: .string(states[rng.int(in: 0...2)]))
                return TraceItem(at: Instant(secondsSinceEpoch: t), instance: instances[rng.int(in: 0...4)], workflow: "w",
                                 state: states[rng.int(in: 0...2)], what: what)
            }
        }
        for round in 0..<2_000 {
            let b = trace(rng.int(in: 0...12))
            // Often a copy of the baseline with a change or two, else an unrelated trace.
            var c = rng.chance(ExactDecimal(7).shifted(-1)) ? b : trace(rng.int(in: 0...12))
            if !c.isEmpty, rng.chance(ExactDecimal(8).shifted(-1)) { c[rng.int(in: 0...(c.count - 1))] = trace(1)[0] }
            if rng.chance(ExactDecimal(3).shifted(-1)) { c += trace(rng.int(in: 0...3)) }
            let (x, y) = Divergence.focus(b, c), (rx, ry) = Self.reference(b, c)
            #expect(x == rx && y == ry && x?.at == rx?.at && y?.at == ry?.at && x?.workflow == rx?.workflow, "round \(round)")
        }
    }
}
