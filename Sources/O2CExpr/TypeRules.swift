import O2CCore

/// The typing rules shared by the checker, the functions and decision-table cells.
extension ExprType {
    var isNumeric: Bool { self == .int || self == .decimal }

    /// `T?`, `null` and `any` may hold null; only `?`-types and `null` are *statically* optional.
    var isNullable: Bool {
        switch self {
        case .optional, .null: true
        default: false
        }
    }

    /// Types whose values have an order (`<`, `min`, ranges).
    var isOrderable: Bool {
        switch self {
        case .int, .decimal, .money, .date, .datetime, .duration, .string, .any: true
        default: false
        }
    }

    /// `T` made optional (`null`, `any` and `T?` stay as they are).
    var optionalized: ExprType {
        switch self {
        case .optional, .null, .any: self
        default: .optional(self)
        }
    }

    /// The element type when this is a list.
    var element: ExprType? {
        if case .list(let t) = self { return t }
        return nil
    }

    /// The narrowest type holding values of both, or `nil` when they do not mix.
    static func join(_ a: ExprType, _ b: ExprType) -> ExprType? {
        if a == b { return a }
        switch (a, b) {
        case (.any, _), (_, .any): return .any
        case (.null, let t), (let t, .null): return t.optionalized
        case (.optional(let x), .optional(let y)): return join(x, y)?.optionalized
        case (.optional(let x), let y), (let x, .optional(let y)): return join(x, y)?.optionalized
        case (.int, .decimal), (.decimal, .int): return .decimal
        case (.list(let x), .list(let y)): return join(x, y).map { .list($0) }
        case (.object, .object):
            if a.isAssignable(to: b) { return b }
            if b.isAssignable(to: a) { return a }
            return nil
        default: return nil
        }
    }

    /// Whether `==`, `!=` and `in` may compare values of these types (optionals allowed).
    static func comparable(_ a: ExprType, _ b: ExprType) -> Bool {
        let x = a.unwrapped, y = b.unwrapped
        switch (x, y) {
        case (.any, _), (_, .any), (.null, _), (_, .null): return true
        case (.list(let p), .list(let q)): return comparable(p, q)
        case (.object, .object): return a.isAssignable(to: b) || b.isAssignable(to: a)
        default: return x == y || (x.isNumeric && y.isNumeric)
        }
    }

    /// Whether `<`-style comparisons may order values of these (non-optional) types.
    static func orderable(_ a: ExprType, _ b: ExprType) -> Bool {
        a.isOrderable && b.isOrderable && comparable(a, b)
    }
}

/// Help texts for common type mistakes, shared by operators, functions and cells.
enum TypeHelp {
    /// Why two types did not fit together and what to write instead, if we can tell.
    static func mismatch(_ a: ExprType, _ b: ExprType, constantOf: (Int) -> (Value, String)?) -> String? {
        let x = a.unwrapped, y = b.unwrapped
        for (side, mine, other) in [(0, x, y), (1, y, x)] {
            // `total > 5000`: suggest `5000 EUR`, with the other side's currency when it is known.
            if mine.isNumeric, other == .money {
                let currency = constantOf(1 - side).flatMap { v, _ -> String? in
                    if case .money(let m) = v { return m.currency.code }
                    return nil
                } ?? "EUR"
                if let (_, text) = constantOf(side) {
                    return "write the amount with its currency: `\(text) \(currency)`"
                }
                return "compare money with money, like `5000 \(currency)`, or use `money(x, \"\(currency)\")`"
            }
            // `due > "2026-01-31"`: the quotes make it text.
            if mine == .string, let (v, _) = constantOf(side), case .string(let s) = v {
                switch other {
                case .date where Day(parsing: s) != nil: return "write the date without quotes: `\(s)`"
                case .datetime where Instant(parsing: s) != nil: return "write the datetime without quotes: `\(s)`"
                case .money where Money(parsing: s) != nil: return "write the amount without quotes: `\(s)`"
                case .money where ExactDecimal(s) != nil: return "write the amount without quotes and with its currency: `\(s) EUR`"
                case let t where t.isNumeric && ExactDecimal(s) != nil: return "write the number without quotes: `\(s)`"
                default: break
                }
            }
        }
        if (x == .date && y == .datetime) || (x == .datetime && y == .date) {
            return "convert one side with `date(...)` or `datetime(...)`"
        }
        return nil
    }
}

extension ExprType {
    /// The result of an arithmetic operator on two non-optional types, or `nil` if not allowed.
    static func arithmetic(_ op: BinaryOp, _ a: ExprType, _ b: ExprType) -> ExprType? {
        if a == .any || b == .any { return .any }
        if a.isNumeric, b.isNumeric {
            return a == .int && b == .int && op != .div ? .int : .decimal
        }
        switch (op, a, b) {
        case (.add, .money, .money), (.sub, .money, .money): return .money
        case (.mul, .money, let n) where n.isNumeric: return .money
        case (.mul, let n, .money) where n.isNumeric: return .money
        case (.div, .money, let n) where n.isNumeric: return .money
        case (.div, .money, .money): return .decimal
        case (.add, .date, .duration), (.add, .duration, .date), (.sub, .date, .duration): return .date
        case (.sub, .date, .date): return .duration
        case (.add, .datetime, .duration), (.add, .duration, .datetime), (.sub, .datetime, .duration): return .datetime
        case (.sub, .datetime, .datetime): return .duration
        case (.add, .duration, .duration), (.sub, .duration, .duration): return .duration
        case (.mul, .duration, .int), (.mul, .int, .duration): return .duration
        case (.add, .string, .string): return .string
        default: return nil
        }
    }
}
