import O2CCore
import O2CExpr

/// A scope shaped like a workflow's (inputs, context, policy, event), so that names resolve and
/// the type checker and evaluator are reached, not only the parser.
private let orderType = ObjectType([
    .init(name: "id", type: .string), .init(name: "total", type: .money), .init(name: "due", type: .date),
    .init(name: "created", type: .datetime), .init(name: "discount", type: .optional(.decimal)),
    .init(name: "lines", type: .list(.object(ObjectType([.init(name: "sku", type: .string), .init(name: "qty", type: .int),
                                                         .init(name: "amount", type: .money)])))),
    .init(name: "tags", type: .list(.string)),
])
private let scope = TypeScope([
    ("order", .object(orderType)), ("balance", .money), ("count", .int), ("ratio", .decimal), ("flag", .bool),
    ("maybe", .optional(.int)), ("label", .string), ("grace", .duration), ("event", .any),
])
private func money(_ s: String) -> Value { .money(Money(parsing: s)!) }
private let environment = Environment(now: Instant(parsing: "2026-01-15T10:30:00Z")!, values: [
    "order": .object([
        "id": .string("SO-1"), "total": money("1200.00 EUR"), "due": .date(Day(parsing: "2026-01-31")!),
        "created": .datetime(Instant(parsing: "2026-01-01T09:00:00Z")!), "discount": .null,
        "lines": .list([.object(["sku": .string("W-1"), "qty": .int(3), "amount": money("400.00 EUR")])]),
        "tags": .list([.string("b2b"), .string("eu")]),
    ]),
    "balance": money("1234.56 EUR"), "count": .int(7), "ratio": .number(ExactDecimal("0.015")!), "flag": .bool(true),
    "maybe": .null, "label": .string("new"), "grace": .duration(Duration(parsing: "7d")!), "event": .object(["amount": money("1.00 EUR")]),
])

/// One input: arbitrary bytes as an expression. Compiling never crashes or hangs; a refusal is
/// an error diagnostic; an expression that compiles evaluates to a value or an `EvalError`
/// (overflow, currency mismatch…), never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpr(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let (compiled, diagnostics) = Expression.compile(text, at: Span(file: "<fuzz>", line: 1, column: 1), scope: scope)
    for d in diagnostics { precondition(!d.code.isEmpty && !d.message.isEmpty, "a diagnostic without code or message: \(d)") }
    if compiled == nil { precondition(diagnostics.hasErrors, "refused without an error diagnostic: \(text.debugDescription)") }
    if let compiled, !diagnostics.hasErrors {
        _ = try? compiled.evaluate(environment)
    }
    return 0
}
