/// The orders a `RunObserver` follows, by root id: a dictionary that remembers the last root it
/// found. One step reads and updates its order's state five to ten times (members, live count,
/// suspension, decision, trace items, finish), each time hashing the same long root id; the
/// states live in an array so that they are updated in place.
struct RootTable {
    private var index: [String: Int] = [:]
    private var states: [RunObserver.RootState] = []
    private var free: [Int] = []
    private var lastId = ""
    private var lastSlot = -1

    var count: Int { index.count }

    /// The slot of `id`, from the last lookup when it is the same id (usually the same string:
    /// comparing it is a pointer check).
    private mutating func slot(_ id: String) -> Int? {
        if lastSlot >= 0, lastId == id { return lastSlot }
        guard let i = index[id] else { return nil }
        lastId = id
        lastSlot = i
        return i
    }

    mutating func contains(_ id: String) -> Bool { slot(id) != nil }

    mutating func state(_ id: String) -> RunObserver.RootState? { slot(id).map { states[$0] } }

    /// Runs `body` on the state of `id` in place; nil when there is none.
    @discardableResult
    mutating func update<T>(_ id: String, _ body: (inout RunObserver.RootState) -> T) -> T? {
        guard let i = slot(id) else { return nil }
        return body(&states[i])
    }

    /// Sets the state of `id`, replacing any it had.
    mutating func set(_ id: String, _ state: RunObserver.RootState) {
        if let i = slot(id) {
            states[i] = state
        } else if let f = free.popLast() {
            states[f] = state
            index[id] = f
        } else {
            index[id] = states.count
            states.append(state)
        }
    }

    mutating func remove(_ id: String) {
        guard let i = index.removeValue(forKey: id) else { return }
        if lastSlot == i { lastSlot = -1 }
        states[i] = RunObserver.RootState(start: states[i].start)
        free.append(i)
    }
}
