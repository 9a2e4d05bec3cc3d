import O2CCore

/// What a virtual engine does next: a timer or an event for one instance.
enum AgendaItem: Sendable {
    case timer(instance: String, key: String)
    case event(instance: String, name: String, payload: [String: Value], id: String?)

    var instance: String {
        switch self {
        case .timer(let id, _), .event(let id, _, _, _): id
        }
    }
}

/// Work ordered by time then by insertion (deterministic). Generic so the paired engine can tag
/// each item with the sides it is for.
///
/// The heap orders small fixed-size keys; items wait in a slab beside it. Sifting whole items
/// (strings and payload dictionaries) copied and released them at every swap, a tenth of a
/// simulation.
struct Agenda<Item> {
    private struct Key {
        var at: Instant
        var seq: Int
        var slot: Int
        func precedes(_ o: Key) -> Bool { (at, seq) < (o.at, o.seq) }
    }

    private var heap: [Key] = []
    private var slab: [Item?] = []
    private var free: [Int] = []
    private var seq = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var nextTime: Instant? { heap.first?.at }

    mutating func push(_ item: Item, at: Instant) {
        seq += 1
        let slot: Int
        if let f = free.popLast() {
            slot = f
            slab[f] = item
        } else {
            slot = slab.count
            slab.append(item)
        }
        heap.append(Key(at: at, seq: seq, slot: slot))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].precedes(heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Instant, Item)? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, heap[l].precedes(heap[m]) { m = l }
                if r < heap.count, heap[r].precedes(heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        let item = slab[top.slot].take()!
        free.append(top.slot)
        return (top.at, item)
    }
}
