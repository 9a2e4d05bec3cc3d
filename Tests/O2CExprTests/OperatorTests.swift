import O2CCore
import O2CExpr
import Testing

@Suite("operators, precedence and null handling")
struct OperatorTests {
    @Test("precedence, lowest to highest: if, or, and, not, comparisons, ??, + -, * / %, unary -, postfix", arguments: [
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("10 - 4 - 3", "3"),
        ("2 * 3 % 4", "2"),
        ("-2 * 3", "-6"),
        ("-order.lines[0].qty", "-2"),
        ("1 + 2 == 3", "true"),
        ("not 1 == 2", "true"),
        ("not false and false", "false"),
        ("true or false and false", "true"),
        ("(true or false) and false", "false"),
        ("false and false or true", "true"),
        ("maybe ?? 1 + 1", "2"),
        ("(maybe ?? 1) + 1", "2"),
        ("maybe ?? 4 > 3", "true"),
        ("if flag then 1 else 2 + 10", "1"),
        ("if not flag then 1 else 2 + 10", "12"),
        ("1 + if flag then 1 else 2", "2"),
        ("if count > 2 and flag then \"many\" else \"few\"", "\"many\""),
        ("if false then 1 else if true then 2 else 3", "2"),
        ("2 in [1, 2] and not (3 in [1, 2])", "true"),
        ("1 + 1 in [2, 3]", "true"),
    ])
    func precedence(source: String, expected: String) throws {
        #expect(try Fixture.eval(source).description == expected)
    }

    @Test("comparisons", arguments: [
        ("order.total > policy.new_customer_limit", true),
        ("order.total >= 6000 EUR", true),
        ("order.total < 6000.01 EUR", true),
        ("order.total <= 5999.99 EUR", false),
        ("order.total == 6000 EUR", true),
        ("order.total != 6000.00 EUR", false),
        ("order.total == 6000 USD", false),
        ("count == 3.0", true),
        ("count < 3.5", true),
        ("ratio > 0.2", true),
        ("\"apple\" < \"banana\"", true),
        ("label == \"Dunning\"", true),
        ("flag == true", true),
        ("flag != flag", false),
        ("maybe == null", true),
        ("maybe != 3", true),
        ("order.note == null", true),
        ("customer.credit_limit == null", true),
        ("null == null", true),
        ("[1, 2] == [1, 2]", true),
        ("{a: 1} == {a: 1}", true),
    ])
    func comparisons(source: String, expected: Bool) throws {
        #expect(try Fixture.eval(source) == .bool(expected))
    }

    @Test("membership with in / not in, and substrings", arguments: [
        ("customer.segment in [\"new\", \"returning\"]", true),
        ("customer.segment in policy.segments", true),
        ("customer.segment not in policy.segments", false),
        ("\"rush\" in order.tags", true),
        ("\"slow\" not in order.tags", true),
        ("3 in [1, 2, 3.0]", true),
        ("6000 EUR in [order.total]", true),
        ("\"GmbH\" in customer.name", true),
        ("\"gmbh\" in customer.name", false),
        ("\"\" in label", true),
        ("maybe in [1, null]", true),
        ("2026-01-31 in [order.due]", true),
    ])
    func membership(source: String, expected: Bool) throws {
        #expect(try Fixture.eval(source) == .bool(expected))
    }

    @Test("?? supplies a value for null and types the result", arguments: [
        ("maybe ?? 5", "5", "int"),
        ("order.discount ?? 0", "0", "decimal"),
        ("customer.credit_limit ?? 1000 EUR", "1000.00 EUR", "money"),
        ("order.note ?? \"none\"", "\"none\"", "string"),
        ("maybe ?? maybe", "null", "int?"),
        ("maybe ?? maybe ?? 7", "7", "int"),
        ("null ?? 3", "3", "int"),
        ("count ?? 1", "3", "int"),
        ("maybe_flag ?? false", "false", "bool"),
    ])
    func coalesce(source: String, expected: String, type: String) throws {
        let (e, d) = Expression.compile(source, at: Fixture.span, scope: Fixture.scope)
        #expect(d.isEmpty, "\(d.map(\.message))")
        let expr = try #require(e)
        #expect(try expr.evaluate(Fixture.env).description == expected)
        #expect(expr.type.description == type)
    }

    /// `missing` is declared `int` but unbound: evaluating it throws, so each of these passes only
    /// if the right side is never evaluated.
    @Test("and, or, ?? and if short-circuit", arguments: [
        ("false and missing > 0", "false"),
        ("flag or missing > 0", "true"),
        ("not flag and missing > 0", "false"),
        ("count > 0 or missing > 0 or missing < 0", "true"),
        ("count ?? missing", "3"),
        ("if flag then 1 else missing", "1"),
        ("if not flag then missing else 2", "2"),
    ])
    func shortCircuit(source: String, expected: String) throws {
        #expect(try Fixture.eval(source).description == expected)
    }

    @Test("evaluating an unbound name is an error at its span")
    func unbound() throws {
        let error = try #require(Fixture.failure("true and missing > 0"))
        #expect(error.message == "`missing` has no value")
        #expect(error.span.column == 21)
    }

    @Test("member access on an optional object gives an optional field, null when absent")
    func optionalChaining() throws {
        let person = ObjectType([.init(name: "name", type: .string)])
        let scope = TypeScope([("contact", .optional(.object(person)))])
        let (e, d) = Expression.compile("contact.name", at: Fixture.span, scope: scope)
        #expect(d.isEmpty)
        let expr = try #require(e)
        #expect(expr.type == .optional(.string))
        #expect(try expr.evaluate(Environment(now: Fixture.now, values: ["contact": .null])) == .null)
        #expect(try expr.evaluate(Environment(now: Fixture.now)) == .null)
        #expect(try expr.evaluate(Environment(now: Fixture.now, values: ["contact": .object(["name": .string("Ann")])])) == .string("Ann"))
    }

    @Test("a non-optional field that is null at run time is an error naming the path")
    func nullField() throws {
        var env = Fixture.env
        env["customer"] = .object(["segment": .null])
        let error = try #require(Fixture.failure("customer.segment == \"new\"", env: env))
        #expect(error.message == "`customer.segment` has no value")
        #expect(error.span.column == 12)
        #expect(error.span.length == 16)
    }

    @Test("nullability is decided part by part along a path")
    func nullabilityPerPart() throws {
        let person = ObjectType([.init(name: "name", type: .string), .init(name: "nick", type: .optional(.string))])
        let scope = TypeScope([("contact", .optional(.object(person))), ("owner", .object(person))])
        func run(_ source: String, _ values: [String: Value]) throws -> Value {
            let (e, d) = Expression.compile(source, at: Fixture.span, scope: scope)
            #expect(d.isEmpty)
            return try #require(e).evaluate(Environment(now: Fixture.now, values: values))
        }
        // An optional object that is null makes the path null…
        #expect(try run("contact.name", ["contact": .null]) == .null)
        // …but a present object whose non-optional field is null is an error,
        #expect(throws: EvalError(message: "`contact.name` has no value", span: Fixture.span.shifted(by: 0, length: 12))) {
            try run("contact.name", ["contact": .object(["name": .null])])
        }
        // and so is a missing non-optional object, even when the field read is optional.
        #expect(throws: EvalError(message: "`owner` has no value", span: Fixture.span.shifted(by: 0, length: 5))) {
            try run("owner.nick", [:])
        }
        #expect(try run("owner.nick", ["owner": .object(["name": .string("a")])]) == .null)
        #expect(try run("(if true then owner else owner).nick", ["owner": .object(["name": .string("a")])]) == .null)
        #expect(throws: EvalError.self) { try run("(if true then owner else owner).name", ["owner": .object(["nick": .null])]) }
    }

    @Test("indexing lists, and lists of objects project their fields", arguments: [
        ("order.lines[0].sku", "\"A-1\""),
        ("order.lines[count - 2].amount", "5000.00 EUR"),
        ("order.tags[1]", "\"export\""),
        ("order.lines.qty", "[2, 1]"),
        ("sum(order.lines.amount)", "6000.00 EUR"),
        ("order[\"id\"]", "\"SO-1001\""),
        ("[10, 20, 30][2]", "30"),
        ("event.kind", "\"payment\""),
        ("event[\"count\"]", "3"),
        ("event.nope", "null"),
    ])
    func indexing(source: String, expected: String) throws {
        #expect(try Fixture.eval(source).description == expected)
    }

    @Test("out-of-range indexes are runtime errors")
    func outOfRange() throws {
        let error = try #require(Fixture.failure("order.lines[5].sku"))
        #expect(error.message == "index 5 is out of range for a list of 2 items")
        #expect(Fixture.failure("order.tags[-1]")?.message == "index -1 is out of range for a list of 2 items")
    }

    @Test("constant subexpressions are folded at compile time")
    func folding() throws {
        let (e, _) = Expression.compile("2 * 7d + 1d", at: Fixture.span, scope: Fixture.scope)
        #expect(e?.constantValue == .duration(.days(15)))
        let (f, _) = Expression.compile("if 1 < 2 then 5000 EUR else 0 EUR", at: Fixture.span, scope: Fixture.scope)
        #expect(f?.constantValue?.description == "5000.00 EUR")
        let (g, _) = Expression.compile("1 / 0", at: Fixture.span, scope: Fixture.scope)
        #expect(g?.constantValue == nil, "a failing constant is left to fail at run time")
    }
}
