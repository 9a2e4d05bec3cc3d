import Testing
@testable import O2CCore

/// The byte writer and the direct parsers replaced a `String` writer and a tree-then-convert
/// reader. History rows are hashed over this text, so it must stay byte for byte what the old
/// code wrote; `Reference` below is that old writer, kept as the oracle.
@Suite("JSON text: byte writer and direct readers")
struct JSONTextTests {
    enum Reference {
        static func serialize(_ j: JSON, sortedKeys: Bool = false, pretty: Bool = false) -> String {
            var out = ""
            write(j, into: &out, sortedKeys: sortedKeys, pretty: pretty, indent: 0)
            return out
        }

        static func write(_ j: JSON, into out: inout String, sortedKeys: Bool, pretty: Bool, indent: Int) {
            switch j {
            case .null: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .number(let n): out += n.description
            case .string(let s): quote(s, into: &out)
            case .array(let a):
                if a.isEmpty { out += "[]"; return }
                out += "["
                for (i, v) in a.enumerated() {
                    if i > 0 { out += "," }
                    if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                    write(v, into: &out, sortedKeys: sortedKeys, pretty: pretty, indent: indent + 1)
                }
                if pretty { out += "\n" + String(repeating: "  ", count: indent) }
                out += "]"
            case .object(let o):
                if o.isEmpty { out += "{}"; return }
                let pairs = sortedKeys ? o.sorted { $0.0 < $1.0 } : o
                out += "{"
                for (i, (k, v)) in pairs.enumerated() {
                    if i > 0 { out += "," }
                    if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                    quote(k, into: &out)
                    out += pretty ? ": " : ":"
                    write(v, into: &out, sortedKeys: sortedKeys, pretty: pretty, indent: indent + 1)
                }
                if pretty { out += "\n" + String(repeating: "  ", count: indent) }
                out += "}"
            }
        }

        static func quote(_ s: String, into out: inout String) {
            out += "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where u.value < 0x20:
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(u)
                }
            }
            out += "\""
        }
    }

    static let strings = [
        "", "plain", "with \"quotes\"", "back\\slash", "line\nbreak\r\ttab", "\u{01}\u{1f}\u{7f}", "\u{08}\u{0c}",
        "ünïcödé €", "emoji 👩‍👩‍👧 and 𝄞", "trailing\\", "\"", "mixed \u{0} nul",
    ]
    static let numbers = [
        "0", "-0", "1", "-1", "0.1", "-0.000000000001", "123456789012345678", "1234567890123456789012",
        "-99999999999999999999999999", "5000.50", "0.333333333333", "1700000000", "-12.5",
    ]

    static func sample() -> JSON {
        .object([
            ("z", .array(strings.map(JSON.string))),
            ("a", .array(numbers.map { .number(ExactDecimal($0)!) })),
            ("nested", .object([("b", .bool(true)), ("a", .null), ("c", .array([])), ("d", .object([]))])),
            ("é", .bool(false)),
        ])
    }

    @Test func serializationIsByteIdenticalToTheStringWriter() {
        let j = Self.sample()
        for sorted in [false, true] {
            for pretty in [false, true] {
                #expect(j.serialized(sortedKeys: sorted, pretty: pretty) == Reference.serialize(j, sortedKeys: sorted, pretty: pretty))
            }
        }
        for s in Self.strings {
            var a = "x", b = "x"
            JSON.quote(s, into: &a)
            Reference.quote(s, into: &b)
            #expect(a == b)
        }
    }

    static func sampleValues() -> [Value] {
        let money = Money(parsing: "1234.50 EUR")!
        let day = Day(parsing: "2026-03-01")!
        let instant = Instant(secondsSinceEpoch: 1_772_000_000)
        let duration = Duration(parsing: "3d")!
        let object: [String: Value] = [
            "total": .money(money), "due": .date(day), "at": .datetime(instant), "grace": .duration(duration),
            "lines": .list([.number(ExactDecimal("2.5")!), .string("a\"b"), .null, .bool(true), .list([])]),
            "customer": .object(["name": .string("Ünïcode\n"), "segment": .string("new"), "$money": .string("not a tag here")]),
            "$date": .string("looks like a tag"), "empty": .object([:]),
        ]
        let monies = ["1000 JPY", "-0.125 EUR", "5.5 BHD", "0 USD", "12345678901234567890.123456789012 EUR", "EUR 3.10"]
            .map { Value.money(Money(parsing: $0)!) }
        return [.object(object), .list(Array(object.values)), .object(["$money": .number(5)]), .object(["$other": .string("x")]),
                .list(monies)]
    }

    @Test func taggedTextIsTheSerializedTaggedTree() {
        for v in Self.sampleValues() {
            #expect(v.taggedJSONText == Reference.serialize(v.taggedJSON))
        }
    }

    @Test func taggedFieldsReadAsTheTreeThenConversionWould() throws {
        for v in Self.sampleValues() {
            let text = "{\"v\": \(v.taggedJSONText), \"n\": 12, \"v\": null}"
            let fields = try JSON.parseFields(text, tagged: ["v"])
            #expect(fields.count == 3)
            guard case .tagged(let direct)? = fields.first?.value else { Issue.record("not tagged"); continue }
            #expect(direct == Value(taggedJSON: try JSON.parse(v.taggedJSONText)))
            #expect(direct == v)
            guard case .json(let n) = fields[1].value else { Issue.record("not json"); continue }
            #expect(n == .number(12))
        }
        // A malformed tag makes the value unreadable, as `Value(taggedJSON:)` answers nil.
        let bad = try JSON.parseFields(#"{"v": {"a": {"$money": "twelve"}}}"#, tagged: ["v"])
        guard case .tagged(let v)? = bad.first?.value else { Issue.record("not tagged"); return }
        #expect(v == nil)
        #expect(Value(taggedJSON: try JSON.parse(#"{"a": {"$money": "twelve"}}"#)) == nil)
        // A later duplicate key wins over a held first member.
        let dup = try JSON.parseFields(#"{"v": {"$date": "x", "$date": "y"}}"#, tagged: ["v"])
        guard case .tagged(let d)? = dup.first?.value else { Issue.record("not tagged"); return }
        #expect(d == Value(taggedJSON: try JSON.parse(#"{"$date": "x", "$date": "y"}"#)))
    }

    @Test func parsingRoundTripsAndReportsTheSameErrors() throws {
        let j = Self.sample()
        #expect(try JSON.parse(j.serialized()) == j)
        #expect(try JSON.parse(j.serialized(pretty: true)) == j)
        #expect(try JSON.parse(#""\u00e9\ud834\udd1e\/\b\f""#) == .string("é𝄞/\u{08}\u{0c}"))
        #expect(try JSON.parse("-007") == .number(ExactDecimal(-7)))
        let cases: [(String, String)] = [
            ("{\"a\": 1e5}", "1:8: numbers with exponents are not accepted; write the digits out"),
            ("[1, 2", "1:6: unterminated array"),
            ("{\"a\" 1}", "1:6: expected `:` after a key"),
            ("\"a\nb\"", "1:3: control character in string"),
            ("\"abc", "1:5: unterminated string"),
            ("[1.2.3]", "1:2: number `1.2.3` is out of range or has more than 12 decimals"),
            ("[tru]", "1:2: unexpected character"),
            ("-", "1:1: number `-` is out of range or has more than 12 decimals"),
            ("{} x", "1:4: unexpected text after the JSON value"),
            ("\"\\q\"", "1:3: bad escape"),
            (String(repeating: "[", count: 70), "1:65: JSON nested deeper than 64 levels"),
        ]
        for (text, message) in cases {
            #expect(throws: JSONError.self) { try JSON.parse(text) }
            do { _ = try JSON.parse(text) } catch { #expect(error.description == message, "\(text)") }
        }
    }
}
