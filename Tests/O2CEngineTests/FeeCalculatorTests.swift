import Testing
import O2CCore
import O2CExpr
import O2CModel
import O2CEngine

@Suite struct FeeCalculatorTests {
    static let scope = TypeScope([("balance", .money), ("policy", .object(ObjectType([
        .init(name: "late_fee_percent", type: .decimal),
        .init(name: "late_fee_minimum", type: .money),
        .init(name: "no_maximum", type: .optional(.money)),
    ])))])
    static let policy: Value = .object([
        "late_fee_percent": .number(2),
        "late_fee_minimum": .money(Money(40, Currency("EUR")!)),
        "no_maximum": .null,
    ])

    static func expr(_ text: String?, line: Int) -> Expression? {
        guard let text else { return nil }
        let (e, ds) = Expression.compile(text, at: Span(file: "rules/dunning.yaml", line: line, column: 10, length: text.count), scope: scope)
        if e == nil || ds.hasErrors { Issue.record("`\(text)` does not compile: \(ds.map(\.message))") }
        return e
    }

    static func rule(percent: String? = nil, flat: String? = nil, min: String? = nil, max: String? = nil) -> FeeRule {
        FeeRule(base: expr("balance", line: 1)!, percent: expr(percent, line: 2), flat: expr(flat, line: 3),
                minimum: expr(min, line: 4), maximum: expr(max, line: 5), span: Span(file: "rules/dunning.yaml", line: 1, column: 5))
    }

    static func fee(_ rule: FeeRule, balance: String) throws(EvalError) -> String {
        let env = Environment(now: Instant(secondsSinceEpoch: 0), values: ["balance": .money(Money(parsing: balance)!), "policy": policy])
        return try FeeCalculator.fee(rule, env: env).description
    }

    @Test("percent of the base, plus flat, clamped, rounded half-up once", arguments: [
        ("1234.56 EUR", "2", nil, "40 EUR", nil, "40.00 EUR"),             // 24.6912 → minimum
        ("10000 EUR", "1.5", nil, nil, "100 EUR", "100.00 EUR"),           // 150 → maximum
        ("999.99 EUR", "2.5", nil, nil, nil, "25.00 EUR"),                 // 24.99975 → half-up
        ("1000 EUR", "1", "5 EUR", nil, nil, "15.00 EUR"),
        ("1000 EUR", nil, "7.50 EUR", nil, nil, "7.50 EUR"),
        ("3000 EUR", "policy.late_fee_percent", nil, "policy.late_fee_minimum", "policy.no_maximum", "60.00 EUR"),
        ("100 EUR", "policy.late_fee_percent", nil, "policy.late_fee_minimum", nil, "40.00 EUR"),
        ("1001 JPY", "1.5", nil, nil, nil, "15 JPY"),                       // 15.015 → no minor unit
        ("12.345 KWD", "10", nil, nil, nil, "1.235 KWD"),                  // 1.2345 → three places, half-up
        ("0.01 EUR", "0.1", nil, nil, nil, "0.00 EUR"),
        ("0 EUR", "2", "5 EUR", "40 EUR", nil, "0.00 EUR"),                // nothing owed: no fee
        ("-250 EUR", "2", "5 EUR", "40 EUR", nil, "0.00 EUR"),             // credit balance: no fee
    ] as [(String, String?, String?, String?, String?, String)])
    func fees(balance: String, percent: String?, flat: String?, minimum: String?, maximum: String?, expected: String) throws {
        let rule = Self.rule(percent: percent, flat: flat, min: minimum, max: maximum)
        #expect(try Self.fee(rule, balance: balance) == expected)
    }

    @Test("parts in another currency, or of the wrong kind, are errors", arguments: [
        (FeeCalculatorTests.rule(percent: "2", flat: "5 USD"), "fee flat is in USD but the base is in EUR", 3),
        (FeeCalculatorTests.rule(percent: "2", min: "40 USD"), "fee minimum is in USD but the base is in EUR", 4),
        (FeeCalculatorTests.rule(percent: "2", max: "40 GBP"), "fee maximum is in GBP but the base is in EUR", 5),
        (FeeCalculatorTests.rule(percent: "2", min: "50 EUR", max: "40 EUR"), "fee minimum 50.00 EUR is above the maximum 40.00 EUR", 4),
    ])
    func errors(rule: FeeRule, message: String, line: Int) {
        do {
            _ = try Self.fee(rule, balance: "100 EUR")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.span.line == line)
        }
    }

    @Test("a base that is not money is an error")
    func baseNotMoney() {
        let rule = FeeRule(base: Self.expr("policy.late_fee_percent", line: 1)!, percent: nil, flat: nil, minimum: nil, maximum: nil,
                           span: Span(file: "rules/dunning.yaml", line: 1, column: 5))
        #expect(throws: EvalError.self) { try Self.fee(rule, balance: "1 EUR") }
    }
}
