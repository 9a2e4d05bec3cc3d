import O2CCore

/// The built-in functions: a fixed table resolved at compile time.
///
/// A call is checked and turned into one specialised closure when the expression compiles; at run
/// time there is no lookup by name. The table order is the order the documentation lists them in.
enum Functions {
    struct Spec: Sendable {
        let name: String
        let minArgs: Int
        let maxArgs: Int
        /// How the call is written, for arity errors and the docs: `round(x, places, mode)`.
        let usage: String
        /// Reads the clock, so it must not be folded into a constant.
        var pure = true
    }

    static let specs: [Spec] = [
        Spec(name: "min", minArgs: 1, maxArgs: .max, usage: "min(a, b, ...) or min(list)"),
        Spec(name: "max", minArgs: 1, maxArgs: .max, usage: "max(a, b, ...) or max(list)"),
        Spec(name: "abs", minArgs: 1, maxArgs: 1, usage: "abs(x)"),
        Spec(name: "round", minArgs: 1, maxArgs: 3, usage: "round(x, places, mode)"),
        Spec(name: "floor", minArgs: 1, maxArgs: 1, usage: "floor(x)"),
        Spec(name: "ceil", minArgs: 1, maxArgs: 1, usage: "ceil(x)"),
        Spec(name: "clamp", minArgs: 3, maxArgs: 3, usage: "clamp(x, low, high)"),
        Spec(name: "percent", minArgs: 2, maxArgs: 2, usage: "percent(x, p)"),
        Spec(name: "share", minArgs: 3, maxArgs: 3, usage: "share(x, part, whole)"),
        Spec(name: "money", minArgs: 2, maxArgs: 2, usage: "money(amount, \"EUR\")"),
        Spec(name: "amount", minArgs: 1, maxArgs: 1, usage: "amount(m)"),
        Spec(name: "currency", minArgs: 1, maxArgs: 1, usage: "currency(m)"),
        Spec(name: "now", minArgs: 0, maxArgs: 0, usage: "now()", pure: false),
        Spec(name: "today", minArgs: 0, maxArgs: 0, usage: "today()", pure: false),
        Spec(name: "date", minArgs: 1, maxArgs: 1, usage: "date(x)"),
        Spec(name: "datetime", minArgs: 1, maxArgs: 1, usage: "datetime(x)"),
        Spec(name: "days_between", minArgs: 2, maxArgs: 2, usage: "days_between(a, b)"),
        Spec(name: "add_months", minArgs: 2, maxArgs: 2, usage: "add_months(d, n)"),
        Spec(name: "add_business_days", minArgs: 2, maxArgs: 3, usage: "add_business_days(d, n, holidays)"),
        Spec(name: "end_of_month", minArgs: 1, maxArgs: 1, usage: "end_of_month(d)"),
        Spec(name: "year", minArgs: 1, maxArgs: 1, usage: "year(d)"),
        Spec(name: "month", minArgs: 1, maxArgs: 1, usage: "month(d)"),
        Spec(name: "day", minArgs: 1, maxArgs: 1, usage: "day(d)"),
        Spec(name: "weekday", minArgs: 1, maxArgs: 1, usage: "weekday(d)"),
        Spec(name: "len", minArgs: 1, maxArgs: 1, usage: "len(x)"),
        Spec(name: "count", minArgs: 1, maxArgs: 1, usage: "count(list)"),
        Spec(name: "sum", minArgs: 1, maxArgs: 2, usage: "sum(list, start)"),
        Spec(name: "contains", minArgs: 2, maxArgs: 2, usage: "contains(list_or_text, x)"),
        Spec(name: "lower", minArgs: 1, maxArgs: 1, usage: "lower(s)"),
        Spec(name: "upper", minArgs: 1, maxArgs: 1, usage: "upper(s)"),
        Spec(name: "starts_with", minArgs: 2, maxArgs: 2, usage: "starts_with(s, prefix)"),
        Spec(name: "ends_with", minArgs: 2, maxArgs: 2, usage: "ends_with(s, suffix)"),
        Spec(name: "string", minArgs: 1, maxArgs: 1, usage: "string(x)"),
    ]

    static let names: [String] = specs.map(\.name)
    private static let byName: [String: Spec] = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })

    static func spec(_ name: String) -> Spec? { byName[name] }

    /// The type and closure of a call whose arity is right, or `nil` after reporting why not.
    static func resolve(_ c: Call) -> (ExprType, Eval)? {
        switch c.spec.name {
        case "min", "max": return minMax(c)
        case "abs": return abs(c)
        case "round": return round(c)
        case "floor", "ceil": return floorCeil(c)
        case "clamp": return clamp(c)
        case "percent": return percent(c)
        case "share": return share(c)
        case "money": return money(c)
        case "amount", "currency": return moneyPart(c)
        case "now", "today": return clock(c)
        case "date", "datetime": return convertTime(c)
        case "days_between": return daysBetween(c)
        case "add_months": return addMonths(c)
        case "add_business_days": return BusinessDays.add(c)
        case "end_of_month", "year", "month", "day", "weekday": return calendarPart(c)
        case "len", "count": return length(c)
        case "sum": return sum(c)
        case "contains": return contains(c)
        case "lower", "upper": return changeCase(c)
        case "starts_with", "ends_with": return affix(c)
        default: return toString(c)
        }
    }

    /// A runtime kind error, reachable only through values typed `any`.
    static func badKind(_ name: String, _ v: Value, _ at: Span) -> EvalError {
        EvalError(message: v.isNull ? "`\(name)` got a null value" : "`\(name)` cannot take `\(v.kindName)`", span: at)
    }
}

/// One call being checked: its arguments and how to report problems with them.
struct Call {
    let spec: Functions.Spec
    let args: [Checked]
    let start: Int
    let end: Int
    /// The whole call, blamed for run-time errors.
    let span: Span
    let checker: Checker

    var name: String { spec.name }

    func checkArity() -> Bool {
        let n = args.count
        guard n < spec.minArgs || n > spec.maxArgs else { return true }
        let expected: String
        if spec.minArgs == spec.maxArgs {
            expected = spec.minArgs == 0 ? "no arguments" : "\(spec.minArgs) argument\(spec.minArgs == 1 ? "" : "s")"
        } else if spec.maxArgs == .max {
            expected = "at least \(spec.minArgs) argument\(spec.minArgs == 1 ? "" : "s")"
        } else {
            expected = "\(spec.minArgs) to \(spec.maxArgs) arguments"
        }
        let (s, e) = n > spec.maxArgs ? (args[spec.maxArgs].start, args[n - 1].end) : (start, end)
        checker.error(Code.badArguments, "`\(name)` takes \(expected), found \(n)", s, e,
                      label: n > spec.maxArgs ? "unexpected argument\(n - spec.maxArgs == 1 ? "" : "s")" : "missing arguments",
                      notes: ["usage: `\(spec.usage)`"])
        return false
    }

    /// Whether argument `i` has an acceptable type (`any` always is, optionals never are).
    func accept(_ i: Int, _ what: String, _ ok: (ExprType) -> Bool) -> Bool {
        let a = args[i]
        if a.type == .any { return true }
        if a.type.isNullable {
            checker.nullable("argument \(i + 1) of `\(name)`", a)
            return false
        }
        if ok(a.type) { return true }
        checker.error(Code.badArguments, "argument \(i + 1) of `\(name)` must be \(what), found `\(a.type)`", a.start, a.end,
                      label: "this is `\(a.type)`", notes: ["usage: `\(spec.usage)`"])
        return false
    }

    /// Reports that two arguments do not fit together.
    func conflict(_ i: Int, _ j: Int) {
        let a = args[i], b = args[j]
        checker.error(Code.badArguments, "arguments of `\(name)` have different types, `\(a.type)` and `\(b.type)`", b.start, b.end,
                      label: "this is `\(b.type)`", help: checker.mismatchHelp(a, b), related: [(a.start, a.end, "this is `\(a.type)`")])
    }

    /// A constant string argument, when it is one.
    func constantString(_ i: Int) -> String? {
        if case .string(let s)? = args[i].constant { return s }
        return nil
    }
}
