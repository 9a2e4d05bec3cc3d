import O2CCore
import O2CExpr
import Testing

@Suite("environment, scope, references, spans and reuse")
struct APITests {
    @Test("the environment binds, rebinds and unbinds names like a dictionary")
    func environment() {
        var env = Environment(now: Fixture.now)
        #expect(env["a"] == nil)
        for i in 0..<100 { env["n\(i)"] = .int(i) }
        #expect(env["n57"] == .int(57))
        env["n57"] = .string("x")
        #expect(env["n57"] == .string("x"))
        env["n57"] = nil
        #expect(env["n57"] == nil)
        #expect(env["n58"] == .int(58))
        #expect(env.values.count == 99)
        env["?"] = .int(5)
        #expect(env["?"] == .int(5))
        #expect(env.values.count == 99, "`?` is not an ordinary name")
    }

    /// `?` is recognised by its length first (`Environment.isInput`): other one-byte names, and
    /// a `?` made at run time rather than written as a literal, must land where they did.
    @Test("`?` is the table input however it is spelled; other one-byte names are ordinary")
    func inputName() {
        var env = Environment(now: Fixture.now)
        let made = String(decoding: [UInt8(ascii: "?")], as: UTF8.self)
        env[made] = .int(7)
        #expect(env["?"] == .int(7))
        #expect(env.values.isEmpty)
        for name in ["a", "!", "??", " ?", "¿"] { env[name] = .string(name) }
        #expect(env.values.count == 5)
        for name in ["a", "!", "??", " ?", "¿"] { #expect(env[name] == .string(name)) }
        #expect(env["?"] == .int(7))
        env["?"] = nil
        #expect(env["?"] == .null)
    }

    @Test("rebinding an object is seen by compiled paths, and copies are independent")
    func rebinding() throws {
        let (e, _) = Expression.compile("order.customer.segment", at: Fixture.span, scope: Fixture.scope)
        let expr = try #require(e)
        let base = Fixture.env
        var derived = base
        derived["order"] = .object(["customer": .object(["segment": .string("vip")])])
        #expect(try expr.evaluate(base) == .string("new"))
        #expect(try expr.evaluate(derived) == .string("vip"))
        derived["order"] = .object(["customer": .string("not an object")])
        #expect(throws: EvalError(message: "cannot read field `segment` of `string` `order.customer`",
                                  span: Fixture.span.shifted(by: 0, length: 22))) { try expr.evaluate(derived) }
    }

    /// Objects are indexed after a few field reads; every read must give the same answer, and
    /// errors the same message, before and after.
    @Test("field reads answer the same before and after an object is indexed")
    func lazyIndex() throws {
        let sources = ["order.total", "order.customer.segment", "order.note ?? \"-\"", "customer.credit_limit == null",
                       "policy.new_customer_limit * 2", "event.kind", "event.nope", "order.customer.since"]
        let compiled = sources.map { Expression.compile($0, at: Fixture.span, scope: Fixture.scope).0! }
        let env = Environment(now: Fixture.now, values: Fixture.env.values)
        let first = try compiled.map { try $0.evaluate(env) }
        for _ in 0..<10 {
            #expect(try compiled.map { try $0.evaluate(env) } == first)
        }
        var broken = env
        broken["customer"] = .object(["segment": .null, "name": .string("x")])
        let (e, _) = Expression.compile("customer.segment", at: Fixture.span, scope: Fixture.scope)
        for _ in 0..<10 {
            #expect(throws: EvalError(message: "`customer.segment` has no value", span: Fixture.span.shifted(by: 0, length: 16))) {
                try e?.evaluate(broken)
            }
        }
    }

    @Test("many tasks racing to index a fresh environment all see the same values")
    func lazyIndexRace() async throws {
        let (e, _) = Expression.compile("order.customer.segment + \":\" + string(order.total > policy.new_customer_limit)",
                                        at: Fixture.span, scope: Fixture.scope)
        let expr = try #require(e)
        for _ in 0..<20 {
            let env = Environment(now: Fixture.now, values: Fixture.env.values)
            let results = await withTaskGroup(of: [String].self) { group in
                for _ in 0..<6 {
                    group.addTask { (0..<20).map { _ in (try? expr.evaluate(env))?.description ?? "error" } }
                }
                var all: [String] = []
                for await r in group { all += r }
                return all
            }
            #expect(Set(results) == ["\"new:true\""])
        }
    }

    @Test("paths deeper than the indexed levels and objects built at run time still work")
    func deepPaths() throws {
        let leaf = ObjectType([.init(name: "d", type: .int)])
        let c = ObjectType([.init(name: "c", type: .object(leaf))])
        let b = ObjectType([.init(name: "b", type: .object(c))])
        let scope = TypeScope([("a", .object(b))])
        let env = Environment(now: Fixture.now, values: ["a": .object(["b": .object(["c": .object(["d": .int(4)])])])])
        #expect(try Fixture.eval("a.b.c.d", scope: scope, env: env) == .int(4))
        #expect(try Fixture.eval("a.b.c", scope: scope, env: env) == .object(["d": .int(4)]))
        #expect(try Fixture.eval("(if true then a else a).b.c.d", scope: scope, env: env) == .int(4))
    }

    @Test("a scope keeps declaration order, and later entries shadow earlier ones")
    func scope() {
        let s = TypeScope([("a", .int), ("b", .string)]).adding("c", .bool).adding("a", .money)
        #expect(s.names == ["a", "b", "c"])
        #expect(s["a"] == .money)
        #expect(s["zzz"] == nil)
        #expect(TypeScope().names.isEmpty)
    }

    @Test("references list the dotted paths read, in order, once each", arguments: [
        ("order.total > policy.new_customer_limit and customer.segment == \"new\"",
         ["order.total", "policy.new_customer_limit", "customer.segment"]),
        ("balance", ["balance"]),
        ("balance + balance", ["balance"]),
        ("order.lines[0].amount", ["order.lines"]),
        ("sum(order.lines.amount)", ["order.lines.amount"]),
        ("event.amount", ["event.amount"]),
        ("today() + 1d", []),
        ("5000 EUR", []),
        ("order.customer.segment in policy.segments", ["order.customer.segment", "policy.segments"]),
        ("order.discount ?? ratio", ["order.discount", "ratio"]),
        ("{x: count}.x", ["count"]),
        ("order[\"total\"]", ["order"]),
    ])
    func references(source: String, expected: [String]) throws {
        let (e, _) = Expression.compile(source, at: Fixture.span, scope: Fixture.scope)
        #expect(try #require(e).references == expected)
    }

    @Test("the input `?` is not a reference")
    func inputIsNotAReference() throws {
        let (t, _) = UnaryTest.compile("? > count", at: Fixture.span, inputType: .int, scope: Fixture.scope)
        guard case .anyOf(let atoms)? = t?.kind, case .predicate(let e) = atoms.first else {
            Issue.record("expected a predicate")
            return
        }
        #expect(e.references == ["count"])
    }

    @Test("multi-line sources: later lines get the line plus newlines and the start column plus the column in the line")
    func multiline() {
        let d = Fixture.diagnose("order.total >\n  custmer.segment")
        #expect(d.first?.primary.span.line == 11)
        #expect(d.first?.primary.span.column == 14)
        let e = Fixture.diagnose("count +\n\n1 +\n   \"x\"")
        #expect(e.first?.message == "cannot apply `+` to `int` and `string`")
        #expect(e.first?.primary.span.line == 12, "the second `+`, on the third line")
        #expect(e.first?.primary.span.column == 14)
        #expect(e.first?.secondary.last?.span.line == 13, "`\"x\"` on the fourth line")
        #expect(e.first?.secondary.last?.span.column == 15)
        let unterminated = Fixture.diagnose("count ==\n 'abc\n")
        #expect(unterminated.first?.primary.span.line == 11)
        #expect(unterminated.first?.primary.span.column == 13)
    }

    @Test("expressions are values: equal by text, place and type; constants print as written")
    func identity() throws {
        let a = Expression.compile("count + 1", at: Fixture.span, scope: Fixture.scope).0
        let b = Expression.compile("count + 1", at: Fixture.span, scope: Fixture.scope).0
        let c = Expression.compile("count + 1", at: Fixture.span.shifted(by: 1, length: 1), scope: Fixture.scope).0
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c].compactMap { $0 }).count == 2)
        #expect(a?.description == "count + 1")
        let k = Expression.constant(Fixture.money("5000 EUR"), type: .money, at: Fixture.span)
        #expect(k.source == "5000.00 EUR")
        #expect(k.type == .money)
        #expect(k.references.isEmpty)
        #expect(try k.evaluate(Fixture.env) == Fixture.money("5000 EUR"))
        let reparsed = Expression.compile(k.source, at: Fixture.span, scope: TypeScope()).0
        #expect(reparsed?.constantValue == k.constantValue, "a constant's source compiles back to the same value")
    }

    @Test("compile once, evaluate many times with different environments")
    func compileOnce() throws {
        let (e, _) = Expression.compile("order.total > policy.new_customer_limit and customer.segment == \"new\"",
                                        at: Fixture.span, scope: Fixture.scope)
        let guardExpr = try #require(e)
        var env = Fixture.env
        var trues = 0
        for cents in 0..<2000 {
            env["order"] = .object(["total": .money(Money(ExactDecimal(raw: Int128(cents) * 5_000_000_000_000), Currency("EUR")!))])
            env["customer"] = .object(["segment": .string(cents % 2 == 0 ? "new" : "returning")])
            if try guardExpr.evaluate(env) == .bool(true) { trues += 1 }
        }
        // totals are cents × 5 EUR: above 5000 EUR from cents 1001 on; half of those are "new".
        #expect(trues == 499)
    }

    @Test("a compiled expression is safe to evaluate from many tasks at once")
    func concurrent() async throws {
        let (e, _) = Expression.compile("sum(order.lines.amount) * policy.rate + balance", at: Fixture.span, scope: Fixture.scope)
        let expr = try #require(e)
        let env = Fixture.env
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var last = ""
                    for _ in 0..<2000 { last = (try? expr.evaluate(env))?.description ?? "error" }
                    return last
                }
            }
            var all: [String] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results == Array(repeating: "1340.50 EUR", count: 8))
    }
}
