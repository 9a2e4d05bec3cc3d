import O2CCore
import O2CExpr
import Testing

/// One expected diagnostic. Expressions start at column 12, so a problem at offset k of the
/// source is at column 12 + k.
struct Expected: Sendable, CustomTestStringConvertible {
    var source: String
    var code: String
    var message: String
    var column: Int
    var help: String?
    var expecting: ExprType?

    init(_ source: String, _ code: String, _ message: String, column: Int, help: String? = nil, expecting: ExprType? = nil) {
        self.source = source
        self.code = code
        self.message = message
        self.column = column
        self.help = help
        self.expecting = expecting
    }

    var testDescription: String { source.isEmpty ? "(empty)" : source }
}

@Suite("diagnostics: codes, messages, columns and help")
struct DiagnosticTests {
    static let syntax: [Expected] = [
        Expected("", "E0501", "empty expression", column: 12),
        Expected("   ", "E0501", "empty expression", column: 12),
        Expected("order.total >", "E0501", "expected an expression, found end of input", column: 25),
        Expected("(1 + 2", "E0501", "expected `)`, found end of input", column: 18),
        Expected("1 +* 2", "E0501", "expected an expression, found `*`", column: 15),
        Expected("count label", "E0501", "unexpected `label`", column: 18),
        Expected("\"open", "E0501", "unterminated string", column: 12, help: "close the string with `\"`"),
        Expected("'bad \\q'", "E0501", "unknown escape `\\q` in string", column: 17,
                 help: "write `\\\\` for a backslash; the escapes are `\\\"` `\\'` `\\\\` `\\n` `\\t` `\\r`"),
        Expected("count @ 2", "E0501", "unexpected character `@`", column: 18),
        Expected("count\u{0}", "E0501", "unexpected character U+0000", column: 17),
        Expected("count && flag", "E0501", "unexpected character `&`", column: 18, help: "use `and` to combine conditions"),
        Expected("!flag", "E0501", "unexpected character `!`", column: 12, help: "use `not` to negate a condition, or `!=` to compare"),
        Expected("count = 3", "E0501", "unexpected `=`", column: 18, help: "use `==` to compare values"),
        Expected("count == 3 AND flag", "E0501", "unexpected `AND`", column: 23, help: "keywords are lowercase: write `and`"),
        Expected("1 < 2 < 3", "E0501", "comparisons cannot be chained", column: 18,
                 help: "combine two comparisons with `and`, like `a < b and b < c`"),
        Expected("if flag then 1", "E0501", "expected `else`, found end of input", column: 26,
                 help: "write a conditional as `if condition then value else other`"),
        Expected("order.", "E0501", "expected a field name after `.`, found end of input", column: 18),
        Expected("1.2.3", "E0501", "expected a field name after `.`, found `3`", column: 16),
        Expected("{a: 1, a: 2}", "E0501", "duplicate field `a`", column: 19),
        Expected("{a 1}", "E0501", "expected `:` after field `a`, found `1`", column: 15),
        Expected("[1, 2", "E0501", "expected `]`, found end of input", column: 17),
        Expected("12345678901234567890123456789", "E0501", "number `12345678901234567890123456789` is too large", column: 12),
        Expected("0.1234567890123", "E0501", "number `0.1234567890123` has more than 12 decimal places", column: 12),
        Expected("5abc", "E0501", "invalid number `5abc`", column: 12),
        Expected("count \u{201C}x\u{201D}", "E0501", "unexpected character `\u{201C}`", column: 18,
                 help: "use straight quotes `\"` or `'` around text"),
    ]

    static let names: [Expected] = [
        Expected("custmer.segment", "E0502", "unknown name `custmer`", column: 12, help: "did you mean `customer`?"),
        Expected("today", "E0502", "unknown name `today`", column: 12, help: "`today` is a function: call it as `today(...)`"),
        Expected("count + ?", "E0502", "`?` is only allowed in decision-table input cells", column: 20),
        Expected("order.totl", "E0503", "`order` has no field `totl`", column: 18, help: "did you mean `total`?"),
        Expected("order.customer.segmnt", "E0503", "`order.customer` has no field `segmnt`", column: 27, help: "did you mean `segment`?"),
        Expected("balance.amount", "E0503", "`balance` has no field `amount`", column: 20, help: "use `amount(balance)`"),
        Expected("order.lines.amout", "E0503", "elements of `order.lines` have no field `amout`", column: 24, help: "did you mean `amount`?"),
        Expected("order[\"totl\"]", "E0503", "`order` has no field `totl`", column: 18, help: "did you mean `total`?"),
        Expected("rund(ratio, 2)", "E0505", "unknown function `rund`", column: 12, help: "did you mean `round`?"),
        Expected("label(1)", "E0505", "unknown function `label`", column: 12, help: "`label` is a value, not a function"),
    ]

    static let types: [Expected] = [
        Expected("order.total > 5000", "E0504", "cannot compare `money` with `int`", column: 24,
                 help: "write the amount with its currency: `5000 EUR`"),
        Expected("5000 < balance", "E0504", "cannot compare `int` with `money`", column: 17,
                 help: "write the amount with its currency: `5000 EUR`"),
        Expected("order.total > \"5000\"", "E0504", "cannot compare `money` with `string`", column: 24,
                 help: "write the amount without quotes and with its currency: `5000 EUR`"),
        Expected("order.due > \"2026-01-01\"", "E0504", "cannot compare `date` with `string`", column: 22,
                 help: "write the date without quotes: `2026-01-01`"),
        Expected("balance + 5", "E0504", "cannot apply `+` to `money` and `int`", column: 20,
                 help: "write the amount with its currency: `5 EUR`"),
        Expected("balance == count", "E0504", "cannot compare `money` with `int`", column: 20,
                 help: "compare money with money, like `5000 EUR`, or use `money(x, \"EUR\")`"),
        Expected("order.discount * 2", "E0504", "operand of `*` may be null", column: 12, help: "use `order.discount ?? default`"),
        Expected("maybe > 1", "E0504", "operand of `>` may be null", column: 12, help: "use `maybe ?? default`"),
        Expected("1 + null", "E0504", "operand of `+` is `null`", column: 16),
        Expected("flag < true", "E0504", "cannot order `bool` values", column: 17,
                 help: "bool values can only be compared with `==` and `!=`"),
        Expected("count and flag", "E0504", "operand of `and` must be `bool`, found `int`", column: 12),
        Expected("maybe_flag and flag", "E0504", "operand of `and` may be null", column: 12, help: "use `maybe_flag ?? false`"),
        Expected("not label", "E0504", "operand of `not` must be `bool`, found `string`", column: 16),
        Expected("if count then 1 else 2", "E0504", "condition of `if` must be `bool`, found `int`", column: 15),
        Expected("if flag then 1 else \"x\"", "E0504", "the branches of `if` have different types, `int` and `string`", column: 32),
        Expected("[1, \"a\"]", "E0504", "list elements have different types, `int` and `string`", column: 16),
        Expected("customer.segment in order.lines.qty", "E0504", "cannot look for `string` in `list<int>`", column: 29),
        Expected("count in 5", "E0504", "`in` needs a list or a string on its right, found `int`", column: 21),
        Expected("label - 1", "E0504", "cannot apply `-` to `string` and `int`", column: 18),
        Expected("balance * balance", "E0504", "cannot apply `*` to `money` and `money`", column: 20),
        Expected("-label", "E0504", "cannot negate `string`", column: 12),
        Expected("order.due - order.created", "E0504", "cannot apply `-` to `date` and `datetime`", column: 22,
                 help: "convert one side with `date(...)` or `datetime(...)`"),
        Expected("maybe ?? \"x\"", "E0504", "the two sides of `??` have different types, `int?` and `string`", column: 18),
        Expected("order.tags[\"a\"]", "E0504", "list index must be `int`, found `string`", column: 23),
        Expected("count[0]", "E0504", "cannot index `int`", column: 12),
        Expected("order.total", "E0504", "expected `bool`, found `money`", column: 12, expecting: .bool),
        Expected("5000", "E0504", "expected `money`, found `int`", column: 12,
                 help: "write the amount with its currency: `5000 EUR`", expecting: .money),
        Expected("maybe", "E0504", "expected `int`, found `int?`", column: 12, help: "use `maybe ?? default`", expecting: .int),
        Expected("\"2026-01-31\"", "E0504", "expected `date`, found `string`", column: 12,
                 help: "write the date without quotes: `2026-01-31`", expecting: .date),
    ]

    static let functions: [Expected] = [
        Expected("round(1, 2, \"half_up\", 4)", "E0506", "`round` takes 1 to 3 arguments, found 4", column: 35),
        Expected("abs()", "E0506", "`abs` takes 1 argument, found 0", column: 12),
        Expected("now(1)", "E0506", "`now` takes no arguments, found 1", column: 16),
        Expected("min()", "E0506", "`min` takes at least 1 argument, found 0", column: 12),
        Expected("days_between(order.due)", "E0506", "`days_between` takes 2 arguments, found 1", column: 12),
        Expected("abs(label)", "E0506", "argument 1 of `abs` must be a number, money or a duration, found `string`", column: 16),
        Expected("round(2.5, 1, \"half_uo\")", "E0506", "unknown rounding mode `half_uo`", column: 26, help: "did you mean `\"half_up\"`?"),
        Expected("round(2.5, 1.5)", "E0506", "argument 2 of `round` must be an `int`, found `decimal`", column: 23),
        Expected("round(2.5, 40)", "E0506", "`round` cannot round to `40` places", column: 23),
        Expected("money(5, \"eur\")", "E0506", "`eur` is not a currency code", column: 21, help: "write it in upper case: `\"EUR\"`"),
        Expected("money(5, \"euro\")", "E0506", "`euro` is not a currency code", column: 21,
                 help: "write a three-letter ISO 4217 code such as `\"EUR\"`"),
        Expected("days_between(order.due, 5)", "E0506", "argument 2 of `days_between` must be a date or a datetime, found `int`", column: 36),
        Expected("abs(maybe)", "E0504", "argument 1 of `abs` may be null", column: 16, help: "use `maybe ?? default`"),
        Expected("min(order.total, 5)", "E0506", "arguments of `min` have different types, `money` and `int`", column: 29,
                 help: "write the amount with its currency: `5 EUR`"),
        Expected("sum(order.lines.amount, 0)", "E0506", "the start value of `sum` is `int`, but the list holds `money`", column: 36,
                 help: "start from an amount of money, like `0 EUR`"),
        Expected("date(\"31.01.2026\")", "E0506", "`31.01.2026` is not a date", column: 17, help: "write a date as `2026-01-31`"),
        Expected("contains(order.tags, 5)", "E0506", "arguments of `contains` have different types, `list<string>` and `int`", column: 33),
        Expected("len(5)", "E0506", "argument 1 of `len` must be a string or a list, found `int`", column: 16),
    ]

    @Test("syntax errors (E0501)", arguments: syntax)
    func syntaxErrors(_ e: Expected) { check(e) }

    @Test("unknown names, fields and functions (E0502, E0503, E0505)", arguments: names)
    func nameErrors(_ e: Expected) { check(e) }

    @Test("type mismatches (E0504)", arguments: types)
    func typeErrors(_ e: Expected) { check(e) }

    @Test("function arguments (E0506)", arguments: functions)
    func functionErrors(_ e: Expected) { check(e) }

    func check(_ e: Expected, sourceLocation: SourceLocation = #_sourceLocation) {
        let d = Fixture.diagnose(e.source, expecting: e.expecting, sourceLocation: sourceLocation)
        #expect(d.count == 1, "\(d.map(\.message))", sourceLocation: sourceLocation)
        guard let first = d.first else { return }
        #expect(first.code == e.code, sourceLocation: sourceLocation)
        #expect(first.message == e.message, sourceLocation: sourceLocation)
        #expect(first.primary.span.column == e.column, sourceLocation: sourceLocation)
        #expect(first.primary.span.line == 10, sourceLocation: sourceLocation)
        #expect(first.primary.span.file == Fixture.file, sourceLocation: sourceLocation)
        #expect(first.help == e.help, sourceLocation: sourceLocation)
        #expect(first.severity == .error, sourceLocation: sourceLocation)
        #expect(first.message.first.map { !$0.isUppercase } ?? false, "messages start lowercase", sourceLocation: sourceLocation)
    }

    @Test("unknown fields list the fields in a note; unknown names list the scope")
    func notes() {
        let field = Fixture.diagnose("order.totl")
        #expect(field.first?.notes == ["`order` has fields: id, total, discount, customer, lines, tags, due, created, note"])
        let name = Fixture.diagnose("custmer")
        #expect(name.first?.notes.first?.hasPrefix("names in scope: order, customer, policy, event") == true)
        #expect(name.first?.primary.text == "not found in scope")
    }

    @Test("spans underline the smallest part: the field name, the operator, the argument")
    func lengths() {
        #expect(Fixture.diagnose("order.totl").first?.primary.span.length == 4)
        #expect(Fixture.diagnose("rund(1)").first?.primary.span.length == 4)
        #expect(Fixture.diagnose("order.total >= 5000").first?.primary.span.length == 2)
        #expect(Fixture.diagnose("abs(label)").first?.primary.span.length == 5)
        let mismatch = Fixture.diagnose("order.total > 5000").first
        #expect(mismatch?.secondary.map(\.text) == ["`money`", "`int`"])
        #expect(mismatch?.secondary.map(\.span.column) == [12, 26])
    }

    @Test("independent mistakes are all reported, dependent ones only once")
    func several() {
        let d = Fixture.diagnose("custmer.x > 1 and order.totl == rund(2)")
        #expect(d.map(\.code) == ["E0502", "E0503", "E0505"])
        let single = Fixture.diagnose("(custmer.x + 1) * 2 > 3")
        #expect(single.map(\.code) == ["E0502"])
    }

    @Test("diagnostics render like rustc with the source excerpt")
    func rendering() {
        let yaml = "\n\n\n\n\n\n\n\n\n    when: order.total > 5000\n"
        let (_, d) = Expression.compile("order.total > 5000", at: Span(file: "w.yaml", line: 10, column: 11), scope: Fixture.scope)
        let text = DiagnosticRenderer(sources: ["w.yaml": yaml]).render(d)
        #expect(text.hasPrefix("error[E0504]: cannot compare `money` with `int`\n  --> w.yaml:10:23\n"))
        #expect(text.contains("10 |     when: order.total > 5000\n   |                       ^"))
        #expect(text.contains("help: write the amount with its currency: `5000 EUR`"))
    }
}
