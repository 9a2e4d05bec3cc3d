import O2CCore
import O2CExpr
import Testing

/// A scope and environment shaped like an order-to-cash workflow, shared by the suites.
enum Fixture {
    static let file = "rules.yaml"
    /// Expressions "start" at line 10, column 12 of `rules.yaml`.
    static let span = Span(file: file, line: 10, column: 12)
    static let now = Instant(parsing: "2026-01-15T10:30:00Z")!

    static let customerType = ObjectType([
        .init(name: "segment", type: .string),
        .init(name: "name", type: .string),
        .init(name: "since", type: .date),
        .init(name: "credit_limit", type: .optional(.money)),
    ])
    static let lineType = ObjectType([
        .init(name: "sku", type: .string), .init(name: "qty", type: .int), .init(name: "amount", type: .money),
    ])
    static let orderType = ObjectType([
        .init(name: "id", type: .string),
        .init(name: "total", type: .money),
        .init(name: "discount", type: .optional(.decimal)),
        .init(name: "customer", type: .object(customerType)),
        .init(name: "lines", type: .list(.object(lineType))),
        .init(name: "tags", type: .list(.string)),
        .init(name: "due", type: .date),
        .init(name: "created", type: .datetime),
        .init(name: "note", type: .optional(.string)),
    ])
    static let policyType = ObjectType([
        .init(name: "new_customer_limit", type: .money),
        .init(name: "rate", type: .decimal),
        .init(name: "grace", type: .duration),
        .init(name: "segments", type: .list(.string)),
        .init(name: "max_days", type: .int),
    ])

    static let scope = TypeScope([
        ("order", .object(orderType)),
        ("customer", .object(customerType)),
        ("policy", .object(policyType)),
        ("event", .any),
        ("balance", .money),
        ("count", .int),
        ("ratio", .decimal),
        ("flag", .bool),
        ("maybe", .optional(.int)),
        ("maybe_flag", .optional(.bool)),
        ("label", .string),
        ("missing", .int),
        ("nothing", .optional(.money)),
    ])

    static func money(_ text: String) -> Value { .money(Money(parsing: text)!) }
    static func date(_ text: String) -> Value { .date(Day(parsing: text)!) }
    static func number(_ text: String) -> Value { .number(ExactDecimal(text)!) }

    static let customer: Value = .object([
        "segment": .string("new"), "name": .string("ACME GmbH"), "since": date("2025-11-30"), "credit_limit": .null,
    ])

    static let env = Environment(now: now, values: [
        "order": .object([
            "id": .string("SO-1001"),
            "total": money("6000.00 EUR"),
            "discount": .null,
            "customer": customer,
            "lines": .list([
                .object(["sku": .string("A-1"), "qty": .int(2), "amount": money("1000.00 EUR")]),
                .object(["sku": .string("B-7"), "qty": .int(1), "amount": money("5000.00 EUR")]),
            ]),
            "tags": .list([.string("rush"), .string("export")]),
            "due": date("2026-01-31"),
            "created": .datetime(Instant(parsing: "2026-01-10T08:00:00Z")!),
            "note": .null,
        ]),
        "customer": customer,
        "policy": .object([
            "new_customer_limit": money("5000.00 EUR"),
            "rate": number("0.015"),
            "grace": .duration(.days(7)),
            "segments": .list([.string("new"), .string("returning")]),
            "max_days": .int(30),
        ]),
        "event": .object(["amount": money("250.00 EUR"), "kind": .string("payment"), "count": .int(3)]),
        "balance": money("1250.50 EUR"),
        "count": .int(3),
        "ratio": number("0.25"),
        "flag": .bool(true),
        "maybe": .null,
        "maybe_flag": .null,
        "label": .string("Dunning"),
        "nothing": .null,
        // `missing` is declared but deliberately unbound: evaluating it throws.
    ])

    /// Compiles (recording any diagnostic as a test failure) and evaluates.
    static func eval(_ source: String, scope: TypeScope = scope, env: Environment = env,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> Value {
        let (e, diagnostics) = Expression.compile(source, at: span, scope: scope)
        #expect(diagnostics.isEmpty, "\(source): \(diagnostics.map(\.message))", sourceLocation: sourceLocation)
        guard let e else { throw Failure(message: "did not compile: \(source)") }
        return try e.evaluate(env)
    }

    /// The diagnostics of a source that must not compile.
    static func diagnose(_ source: String, scope: TypeScope = scope, expecting: ExprType? = nil,
                         sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
        let (e, diagnostics) = Expression.compile(source, at: span, scope: scope, expecting: expecting)
        #expect(e == nil, "\(source) compiled", sourceLocation: sourceLocation)
        #expect(!diagnostics.isEmpty, sourceLocation: sourceLocation)
        return diagnostics
    }

    /// The runtime error of a source that compiles but fails.
    static func failure(_ source: String, env: Environment = env, sourceLocation: SourceLocation = #_sourceLocation) -> EvalError? {
        let (e, diagnostics) = Expression.compile(source, at: span, scope: scope)
        #expect(diagnostics.isEmpty, "\(source): \(diagnostics.map(\.message))", sourceLocation: sourceLocation)
        do {
            let v = try e?.evaluate(env)
            Issue.record("\(source) evaluated to \(v.map(String.init(describing:)) ?? "nothing")", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
