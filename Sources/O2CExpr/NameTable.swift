import O2CCore

/// The name → value table inside `Environment`.
///
/// Why not `[String: Value]`: every `Dictionary<String, _>` lookup runs SipHash (seed, combine,
/// finalize), and a typical guard does six (`order`, `.total`, `policy`, …); that alone kept it
/// under 5M evaluations/s. Here the hash is a cheap FNV-style one that the compiler computes once
/// per name and bakes into the closure, so a lookup is an index probe and one string comparison.
/// Each bound object also gets a `LazyFields`, which indexes its fields the same way once they are
/// read often enough to pay for it (see there). Arrays keep the table copy-on-write.
struct NameTable: Sendable {
    struct Entry: Sendable {
        let key: String
        let hash: Int
        let value: Value
        /// The lazily built field index when `value` is an object (and not too deep).
        let fields: LazyFields?

        init(_ key: String, _ value: Value, depth: Int) {
            self.init(key, hash: NameTable.hash(key), value, depth: depth)
        }

        init(_ key: String, hash: Int, _ value: Value, depth: Int) {
            self.key = key
            self.hash = hash
            self.value = value
            fields = LazyFields.of(value, depth: depth)
        }
    }

    private var entries: [Entry] = []
    /// Open addressing with linear probing; -1 is empty; a power of two, at most half full.
    private var slots: [Int32] = [-1, -1, -1, -1]

    init(_ dictionary: [String: Value] = [:]) {
        entries.reserveCapacity(dictionary.count)
        for (k, v) in dictionary { entries.append(Entry(k, v, depth: 0)) }
        slots = NameTable.slots(for: entries)
    }

    /// FNV-1a style, eight bytes at a time: names are short and this runs for every name bound.
    ///
    /// A name of up to fifteen bytes is stored inside the `String` itself, and `withUTF8` first
    /// copied it out to the stack: two thirds of the hash's cost. Such a name is read from the
    /// string's two words instead (`smallHash`); the result is the same as over its bytes.
    static func hash(_ s: String) -> Int {
        if let h = smallHash(s) { return h }
        return bytesHash(s)
    }

    /// The hash of a small string (up to fifteen UTF-8 bytes, stored in the string's own two
    /// words), or nil for any other string. The layout read here is the standard library's
    /// 64-bit little-endian one: the first eight bytes in the first word, the next seven in the
    /// low bytes of the second, whose top byte holds the discriminator (b63 immortal, b61 small,
    /// b60 clear for a small string) and the count in its low four bits.
    @inline(__always)
    static func smallHash(_ s: String) -> Int? {
        #if _endian(little) && _pointerBitWidth(_64)
        let (w0, w1) = unsafeBitCast(s, to: (UInt64, UInt64).self)
        guard (w1 >> 60) & 0b1011 == 0b1010 else { return nil }
        let n = Int((w1 >> 56) & 0xF)
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        let tail: UInt64
        if n >= 8 {
            h = (h ^ w0) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            tail = w1 & lowBytes(n - 8)
        } else {
            tail = w0 & lowBytes(n)
        }
        h = (h ^ (tail | UInt64(n) << 56)) &* 0x0000_0100_0000_01B3
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
        #else
        return nil
        #endif
    }

    /// A mask of the low `count` bytes (0 to 7) of a word.
    @inline(__always)
    private static func lowBytes(_ count: Int) -> UInt64 { count == 0 ? 0 : (1 << (8 * UInt64(count))) &- 1 }

    /// The hash over the string's UTF-8 bytes (what `smallHash` computes from the words).
    static func bytesHash(_ s: String) -> Int {
        var u = s
        return u.withUTF8 { bytes in
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            var i = 0
            let n = bytes.count
            while i + 8 <= n {
                // One unaligned load instead of eight shifted bytes: the same word on any host.
                let w = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self))
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

    /// A probe table for these entries.
    static func slots(for entries: [Entry]) -> [Int32] {
        var size = 4
        while size < entries.count * 2 { size *= 2 }
        var slots = [Int32](repeating: -1, count: size)
        for e in entries.indices { insert(Int32(e), hash: entries[e].hash, into: &slots) }
        return slots
    }

    static func insert(_ entry: Int32, hash: Int, into slots: inout [Int32]) {
        let mask = slots.count - 1
        var i = hash & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = entry
    }

    /// The entry for `key` in `entries` through `slots`.
    @inline(__always)
    static func find(_ key: String, _ hash: Int, _ entries: [Entry], _ slots: [Int32]) -> Int? {
        let mask = slots.count - 1
        var i = hash & mask
        while true {
            let s = Int(slots[i])
            if s < 0 { return nil }
            if entries[s].hash == hash, entries[s].key == key { return s }
            i = (i + 1) & mask
        }
    }

    var dictionary: [String: Value] { Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) }) }

    @inline(__always)
    private func find(_ key: String, _ hash: Int) -> Int? { NameTable.find(key, hash, entries, slots) }

    @inline(__always)
    func value(_ key: String, hash: Int) -> Value? {
        find(key, hash).map { entries[$0].value }
    }

    /// `key.field` through the field index, or the object itself while it is not indexed (most
    /// objects of a step never are: going back to the name and walking from there found the
    /// name twice); `nil` means "walk the values instead" (which also names what is missing).
    @inline(__always)
    func value(_ key: String, _ hash: Int, _ field: String, _ fieldHash: Int) -> Value? {
        guard let s = find(key, hash) else { return nil }
        if let f = entries[s].fields, let v = f.value(field, fieldHash) { return v }
        guard case .object(let o) = entries[s].value else { return nil }
        return o[field]
    }

    /// `key.field.sub` through the field indexes, or the objects themselves; `nil` as above.
    @inline(__always)
    func value(_ key: String, _ hash: Int, _ field: String, _ fieldHash: Int, _ sub: String, _ subHash: Int) -> Value? {
        guard let s = find(key, hash) else { return nil }
        if let f = entries[s].fields, let v = f.value(field, fieldHash, sub, subHash) { return v }
        guard case .object(let o) = entries[s].value, case .object(let inner)? = o[field] else { return nil }
        return inner[sub]
    }

    /// Room for `count` names in all, so binding them one by one neither grows the entries nor
    /// rebuilds the probe table on the way (the engine binds ≈25 names per environment).
    mutating func reserve(_ count: Int) {
        entries.reserveCapacity(count)
        var size = slots.count
        while size < count * 2 { size *= 2 }
        if size > slots.count {
            var grown = [Int32](repeating: -1, count: size)
            for e in entries.indices { NameTable.insert(Int32(e), hash: entries[e].hash, into: &grown) }
            slots = grown
        }
    }

    subscript(key: String) -> Value? {
        get { value(key, hash: NameTable.hash(key)) }
        set {
            let h = NameTable.hash(key)
            if let s = find(key, h) {
                if let newValue {
                    entries[s] = Entry(key, hash: h, newValue, depth: 0)
                } else {
                    entries.remove(at: s)
                    slots = NameTable.slots(for: entries)
                }
            } else if let newValue {
                entries.append(Entry(key, hash: h, newValue, depth: 0))
                if entries.count * 2 > slots.count {
                    slots = NameTable.slots(for: entries)
                } else {
                    NameTable.insert(Int32(entries.count - 1), hash: h, into: &slots)
                }
            }
        }
    }
}
