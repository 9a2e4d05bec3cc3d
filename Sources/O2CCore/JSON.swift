/// A JSON document whose numbers keep their exact text.
///
/// Why our own parser: `JSONSerialization` turns `0.1` into a `Double`, and money must never pass
/// through binary floating point. Objects keep their key order as written.
public indirect enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(ExactDecimal)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .number(let n): h.combine(n)
        case .string(let s): h.combine(s)
        case .array(let a): h.combine(a)
        case .object(let o): for (k, v) in o { h.combine(k); h.combine(v) }
        }
    }

    public subscript(key: String) -> JSON? {
        if case .object(let o) = self { return o.first(where: { $0.0 == key })?.1 }
        return nil
    }
}

/// Why a JSON text could not be read, with the 1-based line and column.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    public var description: String { "\(line):\(column): \(message)" }
}

extension JSON {
    /// Largest nesting accepted: hostile input must not exhaust the stack.
    public static let maxDepth = 64

    public static func parse(_ text: String) throws(JSONError) -> JSON {
        try JSONParser.withParser(text) { (p: inout JSONParser) throws(JSONError) -> JSON in
            p.skipSpace()
            let v = try p.value(depth: 0)
            try p.end()
            return v
        }
    }

    /// A member of a top-level object read by `parseFields`.
    public enum Field: Sendable {
        case json(JSON)
        /// Read straight into a `Value` (the tagged form); `nil` if a tag's text is malformed,
        /// as `Value(taggedJSON:)` would answer.
        case tagged(Value?)
    }

    /// The members of a top-level object in written order, members named in `tagged` read
    /// directly as tagged values. Any other top-level value gives no members.
    ///
    /// Why: a stored snapshot is read on every durable step; building the `JSON` tree of its
    /// context first and converting it afterwards cost twice the parse.
    public static func parseFields(_ text: String, tagged: [String]) throws(JSONError) -> [(key: String, value: Field)] {
        try JSONParser.withParser(text) { (p: inout JSONParser) throws(JSONError) -> [(key: String, value: Field)] in
            p.skipSpace()
            var fields: [(key: String, value: Field)] = []
            if p.i < p.bytes.count, p.bytes[p.i] == UInt8(ascii: "{") {
                try p.members(depth: 0) { (p: inout JSONParser, key: String) throws(JSONError) in
                    if tagged.contains(key) {
                        p.badTag = false
                        let v = try p.taggedValue(depth: 1)
                        fields.append((key, .tagged(p.badTag ? nil : v)))
                    } else {
                        fields.append((key, .json(try p.value(depth: 1))))
                    }
                }
            } else {
                _ = try p.value(depth: 0)
            }
            try p.end()
            return fields
        }
    }

    /// Compact text with keys in their stored order; `sortedKeys` sorts them first.
    public func serialized(sortedKeys: Bool = false, pretty: Bool = false) -> String {
        var w = JSONWriter()
        w.write(self, sortedKeys: sortedKeys, pretty: pretty, indent: 0)
        return w.text
    }

    public static func quote(_ s: String, into out: inout String) {
        var w = JSONWriter(capacity: s.utf8.count + 2)
        w.quoted(s)
        out += w.text
    }
}

/// Builds JSON text as UTF-8 bytes.
///
/// Why bytes and not `String`: every durable step writes its snapshot, history and effects as
/// JSON, and appending to a `String` piece by piece (capacity checks, ASCII flags, grapheme
/// bookkeeping) cost more than the rest of the step. The output is byte-identical to the
/// earlier `String` writer: stored history rows are hashed over this text.
public struct JSONWriter {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always) public mutating func byte(_ b: UInt8) { bytes.append(b) }

    @inline(__always) public mutating func ascii(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ json: JSON, sortedKeys: Bool = false, pretty: Bool = false, indent: Int = 0) {
        switch json {
        case .null: ascii("null")
        case .bool(let b): if b { ascii("true") } else { ascii("false") }
        case .number(let n): number(n)
        case .string(let s): quoted(s)
        case .array(let a):
            if a.isEmpty { ascii("[]"); return }
            byte(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                if pretty { newline(indent + 1) }
                write(v, sortedKeys: sortedKeys, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(indent) }
            byte(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { ascii("{}"); return }
            let pairs = sortedKeys ? o.sorted { $0.0 < $1.0 } : o
            byte(UInt8(ascii: "{"))
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                if pretty { newline(indent + 1) }
                quoted(k)
                if pretty { ascii(": ") } else { byte(UInt8(ascii: ":")) }
                write(v, sortedKeys: sortedKeys, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(indent) }
            byte(UInt8(ascii: "}"))
        }
    }

    private mutating func newline(_ indent: Int) {
        byte(10)
        for _ in 0..<indent { ascii("  ") }
    }

    /// A quoted string: `"` and `\` escaped, `\n` `\r` `\t` by name, other controls as
    /// `\u00xx` (lowercase), everything else (including non-ASCII) copied as is.
    public mutating func quoted(_ s: String) {
        byte(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            var start = 0
            for i in 0..<buf.count {
                let b = buf[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i])) }
                start = i + 1
                switch b {
                case 0x22: ascii("\\\"")
                case 0x5C: ascii("\\\\")
                case 10: ascii("\\n")
                case 13: ascii("\\r")
                case 9: ascii("\\t")
                default:
                    ascii("\\u00")
                    byte(Self.hexDigits[Int(b >> 4)])
                    byte(Self.hexDigits[Int(b & 0x0F)])
                }
            }
            if start < buf.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<buf.count])) }
        }
        byte(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The same text as `ExactDecimal.formatted(places: minPlaces)` (`description` for 0),
    /// without building a `String`.
    public mutating func number(_ n: ExactDecimal, minPlaces: Int = 0) {
        let raw = n.raw
        if raw < 0 { byte(UInt8(ascii: "-")) }
        let mag = raw.magnitude
        let unit = UInt64(ExactDecimal.unit)
        let intPart: UInt128
        let frac: UInt64
        if mag <= UInt128(UInt64.max) {
            let m = UInt64(mag)
            intPart = UInt128(m / unit)
            frac = m % unit
        } else {
            intPart = mag / UInt128(unit)
            frac = UInt64(mag % UInt128(unit))
        }
        if intPart <= UInt128(UInt64.max) {
            digits(UInt64(intPart), width: 0)
        } else {
            bytes.append(contentsOf: String(intPart).utf8)
        }
        var places = 0
        if frac != 0 {
            var f = frac
            places = ExactDecimal.scale
            while f % 10 == 0 { f /= 10; places -= 1 }
        }
        let shown = min(max(places, minPlaces), ExactDecimal.scale)
        if shown > 0 {
            byte(UInt8(ascii: "."))
            digits(frac / Self.powersOfTen[ExactDecimal.scale - shown], width: shown)
        }
    }

    private static let powersOfTen: [UInt64] = (0...19).map { (0..<$0).reduce(UInt64(1)) { p, _ in p * 10 } }

    /// `Money.description` quoted (`"1250.00 EUR"`).
    public mutating func quoted(_ m: Money) {
        byte(UInt8(ascii: "\""))
        number(m.amount, minPlaces: m.currency.minorUnits)
        byte(UInt8(ascii: " "))
        bytes.append(contentsOf: m.currency.code.utf8)
        byte(UInt8(ascii: "\""))
    }

    public mutating func number(_ n: Int) {
        if n < 0 { byte(UInt8(ascii: "-")) }
        digits(UInt64(n.magnitude), width: 0)
    }

    /// Decimal digits of `v`, left-padded with zeros to `width` (at most 20).
    private mutating func digits(_ v: UInt64, width: Int) {
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: room for UInt64.max's 20 digits
        var v = v
        withUnsafeMutableBytes(of: &tmp) { buf in
            var i = buf.count
            repeat {
                i -= 1
                buf[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v != 0
            while buf.count - i < width { i -= 1; buf[i] = UInt8(ascii: "0") }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i...]))
        }
    }
}

/// Reads JSON from the UTF-8 bytes of a `String` (so every string between quotes is valid
/// UTF-8 already and needs no second validation).
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    /// Set when `taggedValue` met a malformed tag; the value it returned is then meaningless.
    var badTag = false

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func withParser<R>(_ text: String, _ body: (inout JSONParser) throws(JSONError) -> R) throws(JSONError) -> R {
        var text = text
        let result: Result<R, JSONError> = text.withUTF8 { buf in
            var p = JSONParser(bytes: buf)
            do throws(JSONError) { return .success(try body(&p)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    mutating func end() throws(JSONError) {
        skipSpace()
        guard i == bytes.count else { throw fail("unexpected text after the JSON value") }
    }

    func fail(_ message: String) -> JSONError {
        var line = 1, col = 1
        for b in bytes[0..<min(i, bytes.count)] {
            if b == 10 { line += 1; col = 1 } else if b & 0xC0 != 0x80 { col += 1 }
        }
        return JSONError(message: message, line: line, column: col)
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 10 || bytes[i] == 13 || bytes[i] == 9 { i += 1 }
    }

    /// The members of the object at `i` (which is `{`), each value read by `member`.
    mutating func members(depth: Int, _ member: (inout JSONParser, String) throws(JSONError) -> Void) throws(JSONError) {
        guard depth < JSON.maxDepth else { throw fail("JSON nested deeper than \(JSON.maxDepth) levels") }
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected `:` after a key") }
            i += 1
            skipSpace()
            try member(&self, key)
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return }
            throw fail("expected `,` or `}`")
        }
    }

    /// The elements of the array at `i` (which is `[`).
    mutating func elements(depth: Int, _ element: (inout JSONParser) throws(JSONError) -> Void) throws(JSONError) {
        guard depth < JSON.maxDepth else { throw fail("JSON nested deeper than \(JSON.maxDepth) levels") }
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return }
        while true {
            skipSpace()
            try element(&self)
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return }
            throw fail("expected `,` or `]`")
        }
    }

    mutating func value(depth: Int) throws(JSONError) -> JSON {
        guard depth < JSON.maxDepth else { throw fail("JSON nested deeper than \(JSON.maxDepth) levels") }
        guard i < bytes.count else { throw fail("unexpected end of JSON") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            var pairs: [(String, JSON)] = []
            try members(depth: depth) { (p: inout JSONParser, key: String) throws(JSONError) in
                pairs.append((key, try p.value(depth: depth + 1)))
            }
            return .object(pairs)
        case UInt8(ascii: "["):
            var items: [JSON] = []
            try elements(depth: depth) { (p: inout JSONParser) throws(JSONError) in
                items.append(try p.value(depth: depth + 1))
            }
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default:
            return .number(try number())
        }
    }

    /// Reads a value in the tagged form straight into a `Value`, exactly as
    /// `Value(taggedJSON: value(depth:))` would, without the intermediate tree. A malformed tag
    /// sets `badTag` (the syntax is still read to the end).
    mutating func taggedValue(depth: Int) throws(JSONError) -> Value {
        guard depth < JSON.maxDepth else { throw fail("JSON nested deeper than \(JSON.maxDepth) levels") }
        guard i < bytes.count else { throw fail("unexpected end of JSON") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            var o: [String: Value] = [:]
            var count = 0
            // A lone `{"$tag": "text"}` is a typed value; the first member is held until we
            // know whether another follows.
            var first: (key: String, text: String)?
            try members(depth: depth) { (p: inout JSONParser, key: String) throws(JSONError) in
                count += 1
                let v = try p.taggedValue(depth: depth + 1)
                if count == 1, case .string(let text) = v, key.utf8.first == UInt8(ascii: "$") {
                    first = (key, text)
                } else {
                    o[key] = v
                }
            }
            if let first {
                if count == 1, let typed = Self.typed(first.key, first.text) {
                    guard let value = typed else { badTag = true; return .null }
                    return value
                }
                // Written before every later member, so a later duplicate key still wins.
                if o[first.key] == nil { o[first.key] = .string(first.text) }
            }
            return .object(o)
        case UInt8(ascii: "["):
            var items: [Value] = []
            try elements(depth: depth) { (p: inout JSONParser) throws(JSONError) in
                items.append(try p.taggedValue(depth: depth + 1))
            }
            return .list(items)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): _ = try literal("true", .null); return .bool(true)
        case UInt8(ascii: "f"): _ = try literal("false", .null); return .bool(false)
        case UInt8(ascii: "n"): _ = try literal("null", .null); return .null
        default:
            return .number(try number())
        }
    }

    /// `nil` if `key` is no tag; `.some(nil)` if it is one but `text` does not parse.
    static func typed(_ key: String, _ text: String) -> Value?? {
        switch key {
        case "$money": .some((fastMoney(text) ?? Money(parsing: text)).map(Value.money))
        case "$date": .some(Day(parsing: text).map(Value.date))
        case "$datetime": .some(Instant(parsing: text).map(Value.datetime))
        case "$duration": .some(Duration(parsing: text).map(Value.duration))
        default: .none
        }
    }

    /// `Money(parsing:)` for the form the writer produces (`1250.00 EUR`: ASCII, one inner
    /// space), which is the same split it makes; `nil` sends anything else to it.
    static func fastMoney(_ text: String) -> Money? {
        var text = text
        return text.withUTF8 { u -> Money? in
            guard u.count >= 5, u.count <= 48 else { return nil }
            var space = -1
            for (k, b) in u.enumerated() {
                if b >= 0x80 { return nil }
                if b == 0x20 { if space >= 0 { return nil }; space = k }
            }
            guard space > 0, space < u.count - 1,
                  let c = Currency(String(decoding: UnsafeBufferPointer(rebasing: u[(space + 1)...]), as: UTF8.self)),
                  let a = ExactDecimal(String(decoding: UnsafeBufferPointer(rebasing: u[..<space]), as: UTF8.self)) else { return nil }
            return Money(a, c)
        }
    }

    mutating func literal(_ word: StaticString, _ v: JSON) throws(JSONError) -> JSON {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail("unexpected character") }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw fail("unexpected character") }
        i += n
        return v
    }

    mutating func number() throws(JSONError) -> ExactDecimal {
        let start = i
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        // Whole numbers of up to 18 digits (timestamps, counts) are read here; anything else
        // goes through `ExactDecimal(_:)`, which decides what is acceptable.
        var whole: Int64 = 0
        var digitCount = 0
        var simple = true
        while i < bytes.count, (bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == UInt8(ascii: ".") {
            digitCount += 1
            if digitCount > 18 || bytes[i] == UInt8(ascii: ".") { simple = false }
            if simple { whole = whole * 10 + Int64(bytes[i] - 48) }
            i += 1
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            throw fail("numbers with exponents are not accepted; write the digits out")
        }
        if simple && digitCount > 0 {
            let v = Int128(whole) * ExactDecimal.unit
            return ExactDecimal(raw: negative ? -v : v)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard !text.isEmpty, let d = ExactDecimal(text) else {
            i = start
            throw fail(text.isEmpty ? "unexpected character" : "number `\(text)` is out of range or has more than 12 decimals")
        }
        return d
    }

    mutating func string() throws(JSONError) -> String {
        i += 1
        // Most strings have no escapes: take them whole from the input.
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(i - 1)]), as: UTF8.self)
            }
            if b < 0x20 { throw fail("control character in string") }
            if b == UInt8(ascii: "\\") { break }
            i += 1
        }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
                return s
            }
            if b < 0x20 { throw fail("control character in string") }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(bytes[i])
                case UInt8(ascii: "u"):
                    guard i + 4 < bytes.count, let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)...(i + 4)]), as: UTF8.self), radix: 16) else {
                        throw fail("bad \\u escape")
                    }
                    i += 4
                    var scalarValue = code
                    if (0xD800..<0xDC00).contains(code), i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u"),
                       let low = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 3)...(i + 6)]), as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(low) {
                        scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { throw fail("bad \\u escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw fail("bad escape")
                }
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        throw fail("unterminated string")
    }
}
