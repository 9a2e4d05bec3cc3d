import O2CCore
import O2CExpr

/// Checks and converts data from outside (CLI `--data`, handler answers) against declared types,
/// before anything is written. Pure.
public enum TypedValues {
    public struct Problem: Error, Sendable, Equatable {
        public var path: String
        public var message: String
    }

    /// An event's money in a currency the instance holds no money in (`10 USD` paid on a EUR
    /// invoice): the first such field, and the instance's currencies. Nil when the instance holds
    /// no money yet, or the currencies fit.
    ///
    /// Why at the boundary: the workflow's first comparison (`event.amount >= balance`) would
    /// fail the instance for good, for what is a mistake in the input, not in the workflow.
    public static func foreignCurrency(in payload: [String: Value], for snapshot: Snapshot) -> (path: String, found: Currency, held: [Currency])? {
        var held = Set<Currency>()
        func collect(_ v: Value) {
            switch v {
            case .money(let m): held.insert(m.currency)
            case .list(let items): items.forEach(collect)
            case .object(let o): o.values.forEach(collect)
            default: break
            }
        }
        snapshot.inputs.values.forEach(collect)
        snapshot.context.values.forEach(collect)
        guard !held.isEmpty else { return nil }
        func find(_ v: Value, _ path: String) -> (String, Currency)? {
            switch v {
            case .money(let m): return held.contains(m.currency) ? nil : (path, m.currency)
            case .list(let items):
                for (i, item) in items.enumerated() { if let f = find(item, "\(path)[\(i)]") { return f } }
            case .object(let o):
                for k in o.keys.sorted() { if let f = find(o[k]!, path.isEmpty ? k : "\(path).\(k)") { return f } }
            default: break
            }
            return nil
        }
        guard let (path, found) = find(.object(payload), "") else { return nil }
        return (path, found, held.sorted())
    }

    /// Money from outside must be an amount a ledger can hold: `10.005 EUR` would be rounded
    /// once by one step and not by the next, and the books would drift by a cent.
    private static func whole(_ m: Money, _ fail: (String) -> Problem) throws(Problem) -> Value {
        guard m.amount.rounded(places: m.currency.minorUnits) == m.amount else {
            throw fail("has more decimals than \(m.currency.code) allows (\(m.currency.minorUnits)): \(m.amount) \(m.currency.code)")
        }
        return .money(m)
    }

    /// JSON → typed value: money from `"12.50 EUR"` or `{"amount": "12.50", "currency": "EUR"}`,
    /// dates from `"2026-01-31"`, durations from `"7d"`; unknown object fields are refused.
    public static func fromJSON(_ json: JSON, as type: ExprType, path: String = "") throws(Problem) -> Value {
        func fail(_ m: String) -> Problem { Problem(path: path, message: m) }
        switch (type, json) {
        case (.optional, .null), (.any, .null), (.null, .null): return .null
        case (.optional(let t), _): return try fromJSON(json, as: t, path: path)
        case (_, .null): throw fail("is required (expected \(type))")
        case (.any, _): return Value(taggedJSON: json) ?? .null
        case (.bool, .bool(let b)): return .bool(b)
        case (.string, .string(let s)): return .string(s)
        case (.int, .number(let n)):
            guard n.isInteger else { throw fail("must be a whole number, found \(n)") }
            return .number(n)
        case (.decimal, .number(let n)): return .number(n)
        case (.decimal, .string(let s)), (.int, .string(let s)):
            guard let n = ExactDecimal(s), type != .int || n.isInteger else { throw fail("must be \(type == .int ? "an" : "a") \(type), found \"\(s)\"") }
            return .number(n)
        case (.money, .string(let s)):
            guard let m = Money(parsing: s) else { throw fail("must be money like \"12.50 EUR\", found \"\(s)\"") }
            return try whole(m, fail)
        case (.money, .object):
            guard let c = json["currency"], case .string(let code) = c, let currency = Currency(code) else {
                throw fail("must have a three-letter `currency`")
            }
            switch json["amount"] {
            case .number(let n)?: return try whole(Money(n, currency), fail)
            case .string(let s)?: if let n = ExactDecimal(s) { return try whole(Money(n, currency), fail) }
            default: break
            }
            throw fail("must have a decimal `amount`")
        case (.date, .string(let s)):
            guard let d = Day(parsing: s) else { throw fail("must be a date like \"2026-01-31\", found \"\(s)\"") }
            return .date(d)
        case (.datetime, .string(let s)):
            guard let t = Instant(parsing: s) else { throw fail("must be a datetime like \"2026-01-31T09:00:00Z\", found \"\(s)\"") }
            return .datetime(t)
        case (.duration, .string(let s)):
            guard let d = Duration(parsing: s) else { throw fail("must be a duration like \"7d\", found \"\(s)\"") }
            return .duration(d)
        case (.list(let t), .array(let items)):
            var out: [Value] = []
            for (i, item) in items.enumerated() { out.append(try fromJSON(item, as: t, path: "\(path)[\(i)]")) }
            return .list(out)
        case (.object(let o), .object(let pairs)):
            return .object(try object(pairs, as: o, path: path))
        default:
            throw fail("must be \(type), found \(kind(json))")
        }
    }

    public static func object(_ pairs: [(String, JSON)], as type: ObjectType, path: String) throws(Problem) -> [String: Value] {
        var out: [String: Value] = [:]
        for (k, _) in pairs where type[k] == nil {
            let hint = Suggest.didYouMean(k, in: type.names).map { "; \($0)" } ?? ""
            throw Problem(path: join(path, k), message: "is not a declared field (fields: \(type.names.joined(separator: ", ")))\(hint)")
        }
        for f in type.fields {
            let v = pairs.first { $0.0 == f.name }?.1 ?? .null
            out[f.name] = try fromJSON(v, as: f.type, path: join(path, f.name))
        }
        return out
    }

    private static func join(_ path: String, _ k: String) -> String { path.isEmpty ? k : path + "." + k }

    private static func kind(_ j: JSON) -> String {
        switch j {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let n): "the number \(n)"
        case .string(let s): "the text \"\(s)\""
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// Values already typed (from the engine or a test) are checked, missing optionals become null.
    static func checkInputs(_ values: [String: Value], against type: ObjectType) throws(StepError) -> [String: Value] {
        do { return try check(values, type) } catch { throw .invalidInput(field: error.path, problem: error.message) }
    }

    static func checkPayload(_ values: [String: Value], against type: ObjectType, event: String) throws(StepError) -> [String: Value] {
        do { return try check(values, type) } catch { throw .invalidPayload(event: event, field: error.path, problem: error.message) }
    }

    /// Most values arrive complete and well typed (a parent's `start` input, a behaviour model's
    /// answer): then they are returned as they are, without building a copy. Anything else takes
    /// the careful path, which finds the first problem in a fixed order.
    private static func check(_ values: [String: Value], _ type: ObjectType) throws(Problem) -> [String: Value] {
        var present = 0
        var complete = true
        for f in type.fields {
            guard let v = values[f.name] else {
                complete = false
                continue
            }
            guard f.type.admits(v) else { return try checkSlowly(values, type) }
            present += 1
        }
        if present < values.count { return try checkSlowly(values, type) } // an undeclared field
        return complete ? values : try checkSlowly(values, type)
    }

    private static func checkSlowly(_ values: [String: Value], _ type: ObjectType) throws(Problem) -> [String: Value] {
        var out: [String: Value] = [:]
        out.reserveCapacity(type.fields.count)
        for k in values.keys where type[k] == nil {
            throw Problem(path: k, message: "is not a declared field (fields: \(type.names.joined(separator: ", ")))")
        }
        for f in type.fields {
            let v = values[f.name] ?? .null
            guard f.type.admits(v) else {
                throw Problem(path: f.name, message: v.isNull ? "is required (expected \(f.type))" : "must be \(f.type), found \(v.kindName) \(v)")
            }
            out[f.name] = v
        }
        return out
    }
}
