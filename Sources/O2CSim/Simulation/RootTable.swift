/// The orders a `RunObserver` follows, by root id: a dictionary that remembers the last root it
/// found. One step reads and updates its order's state five to ten times (members, live count,
/// suspension, decision, trace items, finish), each time hashing the same long root id; the
/// states live in an array so that they are updated in place.
struct RootTable {
    private var ids = SlotIndex()
    private var states: [RunObserver.RootState] = []

    var count: Int { ids.count }

    private mutating func slot(_ id: String) -> Int? { ids.slot(id) }

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
            return
        }
        let i = ids.add(id, end: states.count)
        if i == states.count { states.append(state) } else { states[i] = state }
    }

    mutating func remove(_ id: String) {
        guard let i = ids.remove(id) else { return }
        states[i] = RunObserver.RootState(start: states[i].start)
    }
}
