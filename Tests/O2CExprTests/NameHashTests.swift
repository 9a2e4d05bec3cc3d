@testable import O2CExpr
import Testing

@Suite("name hashing")
struct NameHashTests {
    /// `NameTable.smallHash` reads a short name from the string's own words; it must agree with
    /// the hash over the bytes for every length, for ASCII and not, and leave long strings alone.
    @Test("a small string's hash from its words equals the hash over its bytes")
    func smallHashMatchesBytes() {
        var names = ["", "a", "order", "policy", "instance", "customer", "abcdefgh", "abcdefghi", "fifteen_bytes__",
                     "sixteen_bytes___", "credit_decision_outputs", "é", "naïve", "日本語", "ß12345678901"]
        for n in 0...20 { names.append(String(repeating: "x", count: n)) }
        for name in names {
            let bytes = NameTable.bytesHash(name)
            #expect(NameTable.hash(name) == bytes, "\(name)")
            if name.utf8.count > 15 { #expect(NameTable.smallHash(name) == nil, "\(name)") }
            // The same text built another way (from a substring, from bytes) hashes alike.
            let rebuilt = String(decoding: Array(name.utf8), as: UTF8.self)
            #expect(NameTable.hash(rebuilt) == bytes, "\(name)")
            let sliced = String(("<" + name + ">").dropFirst().dropLast())
            #expect(NameTable.hash(sliced) == bytes, "\(name)")
        }
        #expect(NameTable.smallHash("order") != nil, "a short literal is a small string on this platform")
    }
}
