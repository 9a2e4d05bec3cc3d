/// Ids mapped to reusable slots of an array its owner keeps (`PairedInstances`, `RootTable`),
/// remembering the last id found: a step asks about one instance or order several times in a
/// row, and an id is long enough that hashing it was most of each check.
struct SlotIndex {
    private var index: [String: Int] = [:]
    private var free: [Int] = []
    private var lastId = ""
    private var lastSlot = -1

    var count: Int { index.count }

    /// The slot of `id`, from the last lookup when it is the same id (usually the same string:
    /// comparing it is a pointer check).
    mutating func slot(_ id: String) -> Int? {
        if lastSlot >= 0, lastId == id { return lastSlot }
        guard let i = index[id] else { return nil }
        lastId = id
        lastSlot = i
        return i
    }

    /// The slot of `id` without remembering it, for readers that cannot mutate.
    func peek(_ id: String) -> Int? { index[id] }

    /// A slot for a new `id`: one freed before, or `end` (the owner then appends).
    mutating func add(_ id: String, end: Int) -> Int {
        let i = free.popLast() ?? end
        index[id] = i
        return i
    }

    /// Frees the slot of `id` and returns it, for the owner to clear.
    mutating func remove(_ id: String) -> Int? {
        guard let i = index.removeValue(forKey: id) else { return nil }
        if lastSlot == i { lastSlot = -1 }
        free.append(i)
        return i
    }
}
