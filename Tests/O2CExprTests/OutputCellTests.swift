import O2CCore
import O2CExpr
import Testing

@Suite("decision-table output cells")
struct OutputCellTests {
    static let cellSpan = Span(file: "tables.yaml", line: 40, column: 30)

    static func compile(_ cell: String, _ type: ExprType) -> (Expression?, [Diagnostic]) {
        Expression.compileOutputCell(cell, at: cellSpan, outputType: type, scope: Fixture.scope)
    }

    @Test("string outputs are literal text unless they start with `=`", arguments: [
        ("Manual review", ExprType.string, "\"Manual review\""),
        ("  Manual review  ", .string, "\"Manual review\""),
        ("\"quoted, with comma\"", .string, "\"quoted, with comma\""),
        ("'single'", .string, "\"single\""),
        ("\"a\" and \"b\"", .string, "\"\\\"a\\\" and \\\"b\\\"\""),
        ("order.total > 5", .string, "\"order.total > 5\""),
        ("= customer.segment + \"!\"", .string, "\"new!\""),
        ("=upper(label)", .string, "\"DUNNING\""),
        ("-", .string, "\"-\""),
        ("", .string, "\"\""),
        ("", .optional(.string), "null"),
        ("= order.note", .optional(.string), "null"),
    ])
    func strings(cell: String, type: ExprType, expected: String) throws {
        let (e, d) = Self.compile(cell, type)
        #expect(d.isEmpty, "\(d.map(\.message))")
        #expect(try e?.evaluate(Fixture.env).description == expected)
    }

    @Test("other outputs are expressions", arguments: [
        ("5000 EUR", ExprType.money, "5000.00 EUR"),
        ("order.total * 0.1", .money, "600.00 EUR"),
        ("true", .bool, "true"),
        ("policy.max_days + 5", .int, "35"),
        ("3", .decimal, "3"),
        ("7d", .duration, "7d"),
        ("-", .optional(.money), "null"),
        ("", .optional(.int), "null"),
    ])
    func expressions(cell: String, type: ExprType, expected: String) throws {
        let (e, d) = Self.compile(cell, type)
        #expect(d.isEmpty, "\(d.map(\.message))")
        #expect(try e?.evaluate(Fixture.env).description == expected)
    }

    @Test("output cell errors", arguments: [
        ("5000", ExprType.money, "E0504", "expected `money`, found `int`", 30),
        ("", .money, "E0508", "empty output cell", 30),
        ("-", .int, "E0508", "empty output cell", 30),
        ("=", .string, "E0501", "empty expression", 31),
        ("= count", .string, "E0504", "expected `string`, found `int`", 32),
        ("  custmer", .bool, "E0502", "unknown name `custmer`", 32),
    ])
    func errors(cell: String, type: ExprType, code: String, message: String, column: Int) {
        let (e, d) = Self.compile(cell, type)
        #expect(e == nil)
        #expect(d.first?.code == code)
        #expect(d.first?.message == message)
        #expect(d.first?.primary.span.column == column)
    }

    @Test("a literal text output keeps its text as its source and is a constant")
    func literalSource() throws {
        let (e, _) = Self.compile(" Manual review ", .string)
        let expr = try #require(e)
        #expect(expr.source == "Manual review")
        #expect(expr.constantValue == .string("Manual review"))
        #expect(expr.span.column == 31)
        #expect(expr.type == .string)
    }
}
