import O2CCore
import O2CSim
import Synchronization

/// Events the demo's outside world will send later, ordered by time then by arrival.
///
/// Handlers push into it from `dispatch` (they must be `Sendable`, hence the mutex); the demo
/// driver pops what is due and delivers it with `Runtime.advance` at its own time.
final class EventQueue: Sendable {
    private struct Entry {
        var event: ScheduledEvent
        var seq: Int
        func precedes(_ o: Entry) -> Bool { (event.at, seq) < (o.event.at, o.seq) }
    }

    private let state = Mutex<(heap: [Entry], seq: Int)>(([], 0))

    func push(_ e: ScheduledEvent) {
        state.withLock { s in
            s.seq += 1
            s.heap.append(Entry(event: e, seq: s.seq))
            var i = s.heap.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                guard s.heap[i].precedes(s.heap[p]) else { break }
                s.heap.swapAt(i, p)
                i = p
            }
        }
    }

    var nextTime: Instant? { state.withLock { $0.heap.first?.event.at } }
    var count: Int { state.withLock { $0.heap.count } }

    /// The earliest event, if it is due at or before `t`.
    func pop(dueBy t: Instant) -> ScheduledEvent? {
        state.withLock { s in
            guard let top = s.heap.first, top.event.at <= t else { return nil }
            let last = s.heap.removeLast()
            if !s.heap.isEmpty {
                s.heap[0] = last
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var m = i
                    if l < s.heap.count, s.heap[l].precedes(s.heap[m]) { m = l }
                    if r < s.heap.count, s.heap[r].precedes(s.heap[m]) { m = r }
                    if m == i { break }
                    s.heap.swapAt(i, m)
                    i = m
                }
            }
            return top.event
        }
    }
}
