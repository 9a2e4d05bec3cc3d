import O2CCore

/// The fields of one history entry, in the order the engine recorded them.
///
/// A step records four or five entries of three to six fields each; as dictionaries, hashing
/// their keys and allocating their tables cost more than anything else the recording did, while
/// most entries are only ever stored or compared. Lookup is by a linear scan, which for a
/// handful of fields is as fast as hashing the key. `HistoryEntry.data` still gives the
/// dictionary, for whoever wants one.
public struct HistoryFields: Sendable, ExpressibleByDictionaryLiteral {
    public private(set) var pairs: [(String, Value)]

    public init(dictionaryLiteral elements: (String, Value)...) { pairs = elements }

    /// Fields from a dictionary, by key (a dictionary's own order changes from run to run).
    public init(_ dictionary: [String: Value]) { pairs = dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    public subscript(key: String) -> Value? {
        get {
            for (k, v) in pairs where k == key { return v }
            return nil
        }
        set {
            if let i = pairs.firstIndex(where: { $0.0 == key }) {
                if let newValue { pairs[i].1 = newValue } else { pairs.remove(at: i) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
        }
    }

    /// Fields already in key order, with distinct keys (as `init(_:)` would make them).
    init(sortedPairs: [(String, Value)]) { pairs = sortedPairs }

    public var dictionary: [String: Value] { Dictionary(pairs, uniquingKeysWith: { _, last in last }) }
}

extension HistoryFields: Equatable {
    /// The same fields with the same values, in any order (the engine records them in one order,
    /// which makes the common comparison a walk over both lists).
    public static func == (a: HistoryFields, b: HistoryFields) -> Bool {
        guard a.pairs.count == b.pairs.count else { return false }
        var sameOrder = true
        for i in a.pairs.indices where a.pairs[i].0 != b.pairs[i].0 || a.pairs[i].1 != b.pairs[i].1 {
            sameOrder = false
            break
        }
        return sameOrder || a.dictionary == b.dictionary
    }
}
