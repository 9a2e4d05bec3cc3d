import O2CCore

/// The runtime meaning of every operator, on values.
///
/// The checker has already ruled out wrong operand types for statically typed code; these still
/// check kinds because values typed `any` (untyped payloads) reach them unchecked, and a wrong
/// kind must be an `EvalError`, never a crash.
enum Ops {
    // MARK: Errors

    @inline(__always)
    static func exact<T>(_ at: Span, _ body: () throws(ArithmeticError) -> T) throws(EvalError) -> T {
        do { return try body() } catch { throw EvalError(message: error.description, span: at) }
    }

    static func mismatch(_ op: String, _ a: Value, _ b: Value, _ at: Span) -> EvalError {
        if a.isNull || b.isNull { return EvalError(message: "cannot apply `\(op)` to a null value", span: at) }
        return EvalError(message: "cannot apply `\(op)` to `\(a.kindName)` and `\(b.kindName)`", span: at)
    }

    static func sameCurrency(_ x: Money, _ y: Money, _ verb: String, _ at: Span) throws(EvalError) {
        guard x.currency == y.currency else {
            throw EvalError(message: "cannot \(verb) `\(x)` and `\(y)`: the currencies differ", span: at)
        }
    }

    // MARK: Calendar ranges

    /// Dates are kept within years 1…9999 so that calendar arithmetic can never overflow.
    static let minDay = Day(year: 1, month: 1, day: 1)!.daysSinceEpoch
    static let maxDay = Day(year: 9999, month: 12, day: 31)!.daysSinceEpoch

    static func day(_ days: Int, _ at: Span) throws(EvalError) -> Day {
        guard days >= minDay, days <= maxDay else { throw EvalError(message: "date is out of range (years 1 to 9999)", span: at) }
        return Day(daysSinceEpoch: days)
    }

    static func instant(_ seconds: Int64, _ at: Span) throws(EvalError) -> Instant {
        guard seconds >= Int64(minDay) * 86_400, seconds < (Int64(maxDay) + 1) * 86_400 else {
            throw EvalError(message: "datetime is out of range (years 1 to 9999)", span: at)
        }
        return Instant(secondsSinceEpoch: seconds)
    }

    static func seconds(_ a: Int64, plus b: Int64, _ at: Span) throws(EvalError) -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw EvalError(message: "arithmetic overflow", span: at) }
        return r
    }

    static func shift(_ d: Day, by u: Duration, negate: Bool, _ at: Span) throws(EvalError) -> Day {
        guard u.seconds % 86_400 == 0 else {
            throw EvalError(message: "`\(u)` is not a whole number of days, and a date moves in whole days", span: at)
        }
        let days = Int(u.seconds / 86_400)
        let (r, o) = negate ? d.daysSinceEpoch.subtractingReportingOverflow(days) : d.daysSinceEpoch.addingReportingOverflow(days)
        if o { throw EvalError(message: "date is out of range (years 1 to 9999)", span: at) }
        return try day(r, at)
    }

    // MARK: Arithmetic

    static func add(_ a: Value, _ b: Value, _ at: Span) throws(EvalError) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try exact(at) { () throws(ArithmeticError) in try x + y })
        case (.money(let x), .money(let y)):
            try sameCurrency(x, y, "add", at)
            return .money(Money(try exact(at) { () throws(ArithmeticError) in try x.amount + y.amount }, x.currency))
        case (.date(let d), .duration(let u)), (.duration(let u), .date(let d)):
            return .date(try shift(d, by: u, negate: false, at))
        case (.datetime(let t), .duration(let u)), (.duration(let u), .datetime(let t)):
            return .datetime(try instant(try seconds(t.secondsSinceEpoch, plus: u.seconds, at), at))
        case (.duration(let x), .duration(let y)):
            return .duration(Duration(seconds: try seconds(x.seconds, plus: y.seconds, at)))
        case (.string(let x), .string(let y)):
            return .string(x + y)
        default:
            throw mismatch("+", a, b, at)
        }
    }

    static func subtract(_ a: Value, _ b: Value, _ at: Span) throws(EvalError) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try exact(at) { () throws(ArithmeticError) in try x - y })
        case (.money(let x), .money(let y)):
            try sameCurrency(x, y, "subtract", at)
            return .money(Money(try exact(at) { () throws(ArithmeticError) in try x.amount - y.amount }, x.currency))
        case (.date(let d), .duration(let u)):
            return .date(try shift(d, by: u, negate: true, at))
        case (.date(let x), .date(let y)):
            let (d, o1) = x.daysSinceEpoch.subtractingReportingOverflow(y.daysSinceEpoch)
            let (s, o2) = Int64(truncatingIfNeeded: d).multipliedReportingOverflow(by: 86_400)
            if o1 || o2 || Int64(truncatingIfNeeded: d) != Int64(d) { throw EvalError(message: "arithmetic overflow", span: at) }
            return .duration(Duration(seconds: s))
        case (.datetime(let t), .duration(let u)):
            guard u.seconds != .min else { throw EvalError(message: "arithmetic overflow", span: at) }
            return .datetime(try instant(try seconds(t.secondsSinceEpoch, plus: -u.seconds, at), at))
        case (.datetime(let x), .datetime(let y)):
            let (s, o) = x.secondsSinceEpoch.subtractingReportingOverflow(y.secondsSinceEpoch)
            if o { throw EvalError(message: "arithmetic overflow", span: at) }
            return .duration(Duration(seconds: s))
        case (.duration(let x), .duration(let y)):
            guard y.seconds != .min else { throw EvalError(message: "arithmetic overflow", span: at) }
            return .duration(Duration(seconds: try seconds(x.seconds, plus: -y.seconds, at)))
        default:
            throw mismatch("-", a, b, at)
        }
    }

    static func multiply(_ a: Value, _ b: Value, _ at: Span) throws(EvalError) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try exact(at) { () throws(ArithmeticError) in try x * y })
        case (.money(let m), .number(let n)), (.number(let n), .money(let m)):
            let amount = try exact(at) { () throws(ArithmeticError) in
                try ExactRounding.multiply(m.amount, n, places: m.currency.minorUnits, mode: .halfUp)
            }
            return .money(Money(amount, m.currency))
        case (.duration(let u), .number(let n)), (.number(let n), .duration(let u)):
            guard let k = n.intValue else {
                throw EvalError(message: "a duration can only be multiplied by a whole number, not `\(n)`", span: at)
            }
            let (r, o) = u.seconds.multipliedReportingOverflow(by: Int64(k))
            if o { throw EvalError(message: "arithmetic overflow", span: at) }
            return .duration(Duration(seconds: r))
        default:
            throw mismatch("*", a, b, at)
        }
    }

    static func divide(_ a: Value, _ b: Value, _ at: Span) throws(EvalError) -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try exact(at) { () throws(ArithmeticError) in try x / y })
        case (.money(let m), .number(let n)):
            let amount = try exact(at) { () throws(ArithmeticError) in
                try ExactRounding.divide(m.amount, n, places: m.currency.minorUnits, mode: .halfUp)
            }
            return .money(Money(amount, m.currency))
        case (.money(let x), .money(let y)):
            try sameCurrency(x, y, "divide", at)
            return .number(try exact(at) { () throws(ArithmeticError) in try x.amount / y.amount })
        default:
            throw mismatch("/", a, b, at)
        }
    }

    static func remainder(_ a: Value, _ b: Value, _ at: Span) throws(EvalError) -> Value {
        guard case .number(let x) = a, case .number(let y) = b else { throw mismatch("%", a, b, at) }
        return .number(try exact(at) { () throws(ArithmeticError) in try x % y })
    }

    static func negate(_ a: Value, _ at: Span) throws(EvalError) -> Value {
        switch a {
        case .number(let x):
            guard x.raw != .min else { throw EvalError(message: "arithmetic overflow", span: at) }
            return .number(x.negated)
        case .money(let m):
            guard m.amount.raw != .min else { throw EvalError(message: "arithmetic overflow", span: at) }
            return .money(Money(m.amount.negated, m.currency))
        case .duration(let u):
            guard u.seconds != .min else { throw EvalError(message: "arithmetic overflow", span: at) }
            return .duration(Duration(seconds: -u.seconds))
        case .null:
            throw EvalError(message: "cannot negate a null value", span: at)
        default:
            throw EvalError(message: "cannot negate `\(a.kindName)`", span: at)
        }
    }

    // MARK: Comparison

    /// -1, 0 or 1; mixed currencies and unordered kinds are errors.
    static func compare(_ a: Value, _ b: Value, _ at: Span) throws(EvalError) -> Int {
        switch (a, b) {
        case (.number(let x), .number(let y)): return order(x, y)
        case (.money(let x), .money(let y)):
            guard x.currency == y.currency else {
                throw EvalError(message: "cannot compare `\(x)` with `\(y)`: the currencies differ", span: at)
            }
            return order(x.amount, y.amount)
        case (.date(let x), .date(let y)): return order(x, y)
        case (.datetime(let x), .datetime(let y)): return order(x, y)
        case (.duration(let x), .duration(let y)): return order(x, y)
        case (.string(let x), .string(let y)): return order(x, y)
        default:
            if a.isNull || b.isNull { throw EvalError(message: "cannot order a null value", span: at) }
            throw EvalError(message: "cannot compare `\(a.kindName)` with `\(b.kindName)`", span: at)
        }
    }

    @inline(__always) static func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }

    /// `x in list` (element equality) or `"ab" in "cabin"` (substring).
    static func member(_ x: Value, of container: Value, _ at: Span) throws(EvalError) -> Bool {
        switch (x, container) {
        case (_, .list(let items)): return items.contains(x)
        case (.string(let needle), .string(let hay)): return needle.isEmpty || hay.contains(needle)
        case (_, .null): throw EvalError(message: "cannot look for a value in null", span: at)
        default: throw EvalError(message: "cannot look for `\(x.kindName)` in `\(container.kindName)`", span: at)
        }
    }

    static func bool(_ v: Value, _ at: Span) throws(EvalError) -> Bool {
        if case .bool(let b) = v { return b }
        throw EvalError(message: v.isNull ? "condition is null" : "expected a bool, found `\(v.kindName)`", span: at)
    }
}
