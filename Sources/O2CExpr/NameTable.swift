import O2CCore

/// The name → value table inside `Environment`, with a table of fields for each object value.
///
/// Why not `[String: Value]`: every `Dictionary<String, _>` lookup runs SipHash (seed, combine,
/// finalize), about 50 ns, and a typical guard does six of them (`order`, `.total`, `policy`, …).
/// Here the hash is a plain FNV-1a that the compiler computes once per name and bakes into the
/// closure, so a lookup is an index probe and one string comparison. Objects bound in the
/// environment, and the objects inside them down to `depthLimit`, get their own field table when
/// bound, so `order.customer.segment` never hashes at run time either.
///
/// All tables live in the same few arrays (a child table is an index, not a nested value), so a
/// lookup copies and retains nothing; the arrays make the whole structure copy-on-write.
struct NameTable: Sendable {
    // Entries: one per bound name or object field.
    private var keys: [String] = []
    private var hashes: [Int] = []
    private var values: [Value] = []
    /// The table of this entry's fields when the value is an object, else -1.
    private var child: [Int32] = []
    // Tables: open addressing with linear probing in `slots[start...start+mask]`; -1 is empty.
    private var tableStart: [Int] = []
    private var tableMask: [Int] = []
    private var slots: [Int32] = []
    /// The entries of table 0, the bound names, in binding order.
    private var roots: [Int32] = []
    /// Entries no longer reachable after rebinding; the table is rebuilt when they pile up.
    private var garbage = 0

    /// Objects this many levels below a bound name still get a field table.
    static let depthLimit = 2

    init(_ dictionary: [String: Value] = [:]) {
        roots = dictionary.map { appendEntry($0.key, $0.value, depth: 0) }
        let root = addTable(roots)
        assert(root == 0)
    }

    /// FNV-1a over the UTF-8 bytes.
    static func hash(_ s: String) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: h)
    }

    var dictionary: [String: Value] {
        Dictionary(uniqueKeysWithValues: roots.map { (keys[Int($0)], values[Int($0)]) })
    }

    // MARK: Lookup

    @inline(__always)
    private func find(_ table: Int, _ key: String, _ hash: Int) -> Int? {
        let start = tableStart[table], mask = tableMask[table]
        var i = hash & mask
        while true {
            let s = Int(slots[start + i])
            if s < 0 { return nil }
            if hashes[s] == hash, keys[s] == key { return s }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    func value(_ key: String, hash: Int) -> Value? {
        find(0, key, hash).map { values[$0] }
    }

    /// `key.field` through the field table; `nil` when anything is missing or not tabled.
    @inline(__always)
    func value(_ key: String, _ hash: Int, _ field: String, _ fieldHash: Int) -> Value? {
        guard let s = find(0, key, hash), child[s] >= 0, let f = find(Int(child[s]), field, fieldHash) else { return nil }
        return values[f]
    }

    /// `key.field.sub` through the field tables; `nil` when anything is missing or not tabled.
    @inline(__always)
    func value(_ key: String, _ hash: Int, _ field: String, _ fieldHash: Int, _ sub: String, _ subHash: Int) -> Value? {
        guard let s = find(0, key, hash), child[s] >= 0, let f = find(Int(child[s]), field, fieldHash),
              child[f] >= 0, let g = find(Int(child[f]), sub, subHash) else { return nil }
        return values[g]
    }

    // MARK: Binding

    subscript(key: String) -> Value? {
        get { value(key, hash: NameTable.hash(key)) }
        set {
            if let s = find(0, key, NameTable.hash(key)) {
                guard let newValue else {
                    var d = dictionary
                    d[key] = nil
                    self = NameTable(d)
                    return
                }
                garbage += child[s] >= 0 ? tableMask[Int(child[s])] : 0
                values[s] = newValue
                child[s] = childTable(newValue, depth: 0)
            } else if let newValue {
                roots.append(appendEntry(key, newValue, depth: 0))
                if roots.count * 2 > tableMask[0] + 1 {
                    garbage += tableMask[0] + 1
                    regrowRoot()
                } else {
                    insert(roots[roots.count - 1], into: 0)
                }
            }
            if garbage > 2 * keys.count + 64 { self = NameTable(dictionary) }
        }
    }

    private mutating func appendEntry(_ key: String, _ value: Value, depth: Int) -> Int32 {
        let c = childTable(value, depth: depth)
        keys.append(key)
        hashes.append(NameTable.hash(key))
        values.append(value)
        child.append(c)
        return Int32(keys.count - 1)
    }

    private mutating func childTable(_ value: Value, depth: Int) -> Int32 {
        guard depth < NameTable.depthLimit, case .object(let o) = value else { return -1 }
        let entries = o.map { appendEntry($0.key, $0.value, depth: depth + 1) }
        return Int32(addTable(entries))
    }

    private mutating func addTable(_ entries: [Int32]) -> Int {
        var size = 4
        while size < entries.count * 2 { size *= 2 }
        tableStart.append(slots.count)
        tableMask.append(size - 1)
        slots.append(contentsOf: repeatElement(-1, count: size))
        let id = tableStart.count - 1
        for e in entries { insert(e, into: id) }
        return id
    }

    /// Moves the root table to a new, larger region (the old one becomes garbage).
    private mutating func regrowRoot() {
        var size = tableMask[0] + 1
        while size < roots.count * 2 { size *= 2 }
        tableStart[0] = slots.count
        tableMask[0] = size - 1
        slots.append(contentsOf: repeatElement(-1, count: size))
        for e in roots { insert(e, into: 0) }
    }

    private mutating func insert(_ entry: Int32, into table: Int) {
        let start = tableStart[table], mask = tableMask[table]
        var i = hashes[Int(entry)] & mask
        while slots[start + i] >= 0 { i = (i + 1) & mask }
        slots[start + i] = entry
    }
}
