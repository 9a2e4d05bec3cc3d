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
        // Size everything first: one allocation per array instead of repeated growth.
        var entries = dictionary.count, slotCount = NameTable.tableSize(dictionary.count)
        for v in dictionary.values { NameTable.measure(v, depth: 0, &entries, &slotCount) }
        keys.reserveCapacity(entries)
        hashes.reserveCapacity(entries)
        values.reserveCapacity(entries)
        child.reserveCapacity(entries)
        slots.reserveCapacity(slotCount)
        roots.reserveCapacity(dictionary.count)
        // Table 0 is the root; it is created first so that child tables come after it.
        let first = appendEntries(dictionary)
        for e in first..<keys.count { roots.append(Int32(e)) }
        _ = addTable(first..<keys.count)
        for e in first..<keys.count { child[e] = childTable(values[e], depth: 0) }
    }

    private static func tableSize(_ count: Int) -> Int {
        var size = 4
        while size < count * 2 { size *= 2 }
        return size
    }

    /// Adds the entries and slots `v` will need to the running totals.
    private static func measure(_ v: Value, depth: Int, _ entries: inout Int, _ slots: inout Int) {
        guard depth < depthLimit, case .object(let o) = v else { return }
        entries += o.count
        slots += tableSize(o.count)
        for w in o.values { measure(w, depth: depth + 1, &entries, &slots) }
    }

    /// FNV-1a style, eight bytes at a time: names are short, and this runs for every field bound.
    static func hash(_ s: String) -> Int {
        var u = s
        return u.withUTF8 { bytes in
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            var i = 0
            let n = bytes.count
            while i + 8 <= n {
                var w: UInt64 = 0
                for k in 0..<8 { w |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
                h = (h ^ w) &* 0x0000_0100_0000_01B3
                h ^= h >> 29
                i += 8
            }
            var tail = UInt64(n) << 56
            for k in 0..<(n - i) { tail |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
            h = (h ^ tail) &* 0x0000_0100_0000_01B3
            h ^= h >> 32
            return Int(truncatingIfNeeded: h)
        }
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
                let e = appendEntries([key: newValue])
                child[e] = childTable(newValue, depth: 0)
                roots.append(Int32(e))
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

    /// Appends one entry per field, contiguously, without child tables yet; returns the first index.
    private mutating func appendEntries(_ fields: [String: Value]) -> Int {
        let first = keys.count
        for (k, v) in fields {
            keys.append(k)
            hashes.append(NameTable.hash(k))
            values.append(v)
            child.append(-1)
        }
        return first
    }

    /// The field table for an object value (and, recursively, for the objects in it), or -1.
    private mutating func childTable(_ value: Value, depth: Int) -> Int32 {
        guard depth < NameTable.depthLimit, case .object(let o) = value else { return -1 }
        let first = appendEntries(o)
        let table = addTable(first..<keys.count)
        for e in first..<keys.count { child[e] = childTable(values[e], depth: depth + 1) }
        return Int32(table)
    }

    private mutating func addTable(_ entries: Range<Int>) -> Int {
        let size = NameTable.tableSize(entries.count)
        tableStart.append(slots.count)
        tableMask.append(size - 1)
        slots.append(contentsOf: repeatElement(-1, count: size))
        let id = tableStart.count - 1
        for e in entries { insert(Int32(e), into: id) }
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
