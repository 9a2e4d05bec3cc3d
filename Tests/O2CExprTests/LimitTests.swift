import O2CCore
import O2CExpr
import Testing

@Suite("limits and hostile input")
struct LimitTests {
    static func repeated(_ s: String, _ n: Int) -> String { String(repeating: s, count: n) }

    @Test("text over 4096 characters is E0507, exactly 4096 is fine")
    func length() throws {
        let ok = "\"" + Self.repeated("x", 4094) + "\""
        #expect(ok.unicodeScalars.count == ExpressionLimits.maxLength)
        #expect(Expression.compile(ok, at: Fixture.span, scope: Fixture.scope).1.isEmpty)
        let d = Fixture.diagnose(ok + " ")
        #expect(d.map(\.code) == ["E0507"])
        #expect(d.first?.message == "expression is too long")
        #expect(d.first?.notes == ["the limit is 4096 characters"])
        #expect(Fixture.diagnose(Self.repeated("1 + ", 100_000) + "1").map(\.code) == ["E0507"])
    }

    @Test("nesting deeper than 64 levels is E0507, and never overflows the stack", arguments: [
        repeated("(", 100) + "1" + repeated(")", 100),
        repeated("(", 2000),
        repeated("[", 4000),
        repeated("-", 3000) + "1",
        repeated("not ", 1000) + "true",
        repeated("abs(", 500) + "1" + repeated(")", 500),
        "1" + repeated(" + 1", 100),
        "order" + repeated(".a", 100),
        repeated("if true then ", 100) + "1" + repeated(" else 2", 100),
        repeated("{a: ", 100) + "1" + repeated("}", 100),
        "1" + repeated(" ?? 1", 100),
        "order.lines" + repeated("[0]", 100),
    ])
    func depth(source: String) {
        let d = Fixture.diagnose(source)
        #expect(d.map(\.code) == ["E0507"])
        #expect(d.first?.message == "expression is nested too deeply")
        #expect(d.first?.notes == ["the limit is 64 levels of nesting"])
    }

    @Test("moderate nesting and long flat chains are fine")
    func moderate() throws {
        #expect(try Fixture.eval(Self.repeated("(", 60) + "1" + Self.repeated(")", 60)) == .int(1))
        #expect(try Fixture.eval("1" + Self.repeated(" + 1", 60)) == .int(61))
        // `and`/`or` chains are flat, so hundreds of operands are fine.
        #expect(try Fixture.eval("flag" + Self.repeated(" and flag", 400)) == .bool(true))
        let list = try Fixture.eval("[" + Array(repeating: "1", count: 1000).joined(separator: ",") + "]")
        guard case .list(let items) = list else {
            Issue.record("not a list")
            return
        }
        #expect(items.count == 1000)
    }

    @Test("garbage never crashes or hangs: every input yields an expression or diagnostics")
    func garbage() throws {
        let pieces = ["(", ")", "[", "]", "{", "}", ",", ".", "..", ":", "?", "??", "+", "-", "*", "/", "%", "==", "=", "!",
                      "<", ">=", "\"", "'", "\\", "and", "or", "not", "in", "if", "then", "else", "null", "true", "1", "0",
                      "2026-01-31", "7d", "5 EUR", "1_0.5", "order", "total", "lines", "abs", "round", "min", "?", " ", "\n",
                      "\u{0}", "\u{FFFD}", "é", "👍", "\u{202E}", "\t", "maybe", "event", "x", "9999999999999999999999999999"]
        var rng = SplitMix(seed: 42)
        for _ in 0..<3000 {
            let n = Int(rng.next() % 12) + 1
            let source = (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: rng.next() % 2 == 0 ? " " : "")
            let (e, d) = Expression.compile(source, at: Fixture.span, scope: Fixture.scope)
            #expect((e == nil) != d.isEmpty, "\(source)")
            for diagnostic in d {
                #expect(["E0501", "E0502", "E0503", "E0504", "E0505", "E0506", "E0507"].contains(diagnostic.code))
                #expect(diagnostic.primary.span.line >= 10 && diagnostic.primary.span.column >= 1)
            }
            _ = try? e?.evaluate(Fixture.env)
            let (t, td) = UnaryTest.compile(source, at: Fixture.span, inputType: .string, scope: Fixture.scope)
            #expect((t == nil) != td.isEmpty, "\(source)")
            _ = try? t?.matches(.string("new"), Fixture.env)
        }
    }

    @Test("any three upper-case letters after a number make money, except the keywords AND and NOT")
    func currencyVersusKeyword() throws {
        #expect(try Fixture.eval("3 ABC").description == "3.00 ABC")
        #expect(Fixture.diagnose("count == 3 AND flag").first?.message == "unexpected `AND`")
    }
}

/// A small deterministic generator so the garbage test is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
