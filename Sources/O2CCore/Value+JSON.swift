/// Two JSON forms of a value: *plain* for people and other programs (money as `"12.50 EUR"`),
/// and *tagged* for storage, which round-trips every value exactly (`{"$money": "12.50 EUR"}`).
extension Value {
    /// For `--json` output, handler payloads and reports: money, dates and durations become strings.
    public var plainJSON: JSON {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .number(let n): .number(n)
        case .string(let s): .string(s)
        case .money(let m): .string(m.description)
        case .date(let d): .string(d.description)
        case .datetime(let t): .string(t.description)
        case .duration(let d): .string(d.description)
        case .list(let a): .array(a.map(\.plainJSON))
        case .object(let o): .object(o.keys.sorted().map { ($0, o[$0]!.plainJSON) })
        }
    }

    /// Lossless form for the database and history.
    public var taggedJSON: JSON {
        switch self {
        case .money(let m): .object([("$money", .string(m.description))])
        case .date(let d): .object([("$date", .string(d.description))])
        case .datetime(let t): .object([("$datetime", .string(t.description))])
        case .duration(let d): .object([("$duration", .string(d.description))])
        case .list(let a): .array(a.map(\.taggedJSON))
        case .object(let o): .object(o.keys.sorted().map { ($0, o[$0]!.taggedJSON) })
        default: plainJSON
        }
    }

    /// `taggedJSON.serialized()`, written without building the `JSON` tree: the same bytes
    /// (history rows are hashed over them), at a fraction of the cost on every durable step.
    public var taggedJSONText: String {
        var w = JSONWriter()
        writeTagged(into: &w)
        return w.text
    }

    public func writeTagged(into w: inout JSONWriter) {
        switch self {
        case .null: w.ascii("null")
        case .bool(let b): if b { w.ascii("true") } else { w.ascii("false") }
        case .number(let n): w.number(n)
        case .string(let s): w.quoted(s)
        case .money(let m): w.ascii("{\"$money\":"); w.quoted(m); w.byte(UInt8(ascii: "}"))
        case .date(let d): w.ascii("{\"$date\":"); w.quoted(d.description); w.byte(UInt8(ascii: "}"))
        case .datetime(let t): w.ascii("{\"$datetime\":"); w.quoted(t.description); w.byte(UInt8(ascii: "}"))
        case .duration(let d): w.ascii("{\"$duration\":"); w.quoted(d.description); w.byte(UInt8(ascii: "}"))
        case .list(let a):
            if a.isEmpty { w.ascii("[]"); return }
            w.byte(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                v.writeTagged(into: &w)
            }
            w.byte(UInt8(ascii: "]"))
        case .object(let o):
            Self.writeTagged(o, into: &w)
        }
    }

    /// An object's members in sorted key order, as `taggedJSON` orders them.
    public static func writeTagged(_ o: [String: Value], into w: inout JSONWriter) {
        if o.isEmpty { w.ascii("{}"); return }
        w.byte(UInt8(ascii: "{"))
        var first = true
        for (k, v) in o.sorted(by: { $0.key < $1.key }) {
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.quoted(k)
            w.byte(UInt8(ascii: ":"))
            v.writeTagged(into: &w)
        }
        w.byte(UInt8(ascii: "}"))
    }

    /// Reads the tagged form back; `nil` if a tag's text is malformed.
    public init?(taggedJSON json: JSON) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let a):
            var items: [Value] = []
            items.reserveCapacity(a.count)
            for j in a {
                guard let v = Value(taggedJSON: j) else { return nil }
                items.append(v)
            }
            self = .list(items)
        case .object(let pairs):
            if pairs.count == 1, case .string(let text) = pairs[0].1 {
                switch pairs[0].0 {
                case "$money": guard let m = Money(parsing: text) else { return nil }; self = .money(m); return
                case "$date": guard let d = Day(parsing: text) else { return nil }; self = .date(d); return
                case "$datetime": guard let t = Instant(parsing: text) else { return nil }; self = .datetime(t); return
                case "$duration": guard let d = Duration(parsing: text) else { return nil }; self = .duration(d); return
                default: break
                }
            }
            var o: [String: Value] = [:]
            for (k, j) in pairs {
                guard let v = Value(taggedJSON: j) else { return nil }
                o[k] = v
            }
            self = .object(o)
        }
    }
}
