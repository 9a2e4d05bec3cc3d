import O2CCore

/// Dates and times: `now today date datetime days_between add_months end_of_month year month day weekday`
/// (`add_business_days`: FunctionsBusinessDays.swift).
///
/// Dates from outside are range-checked (years 1…9999) before any calendar arithmetic, so a
/// corrupt payload can only produce an `EvalError`.
extension Functions {
    static func isTime(_ t: ExprType) -> Bool { t == .date || t == .datetime }

    static func clock(_ c: Call) -> (ExprType, Eval)? {
        let sp = c.span
        if c.name == "now" { return (.datetime, { env throws(EvalError) in .datetime(try Ops.instant(env.now.secondsSinceEpoch, sp)) }) }
        return (.date, { env throws(EvalError) in .date(try Ops.instant(env.now.secondsSinceEpoch, sp).day) })
    }

    static func convertTime(_ c: Call) -> (ExprType, Eval)? {
        guard c.accept(0, "a date, a datetime or a string", { isTime($0) || $0 == .string }) else { return nil }
        let toDate = c.name == "date", name = c.name
        if let text = c.constantString(0), toDate ? (Day(parsing: text) ?? Instant(parsing: text)?.day) == nil : Instant(parsing: text) == nil {
            let a = c.args[0]
            c.checker.error(Code.badArguments, "`\(text)` is not a \(name)", a.start, a.end, label: "not a \(name)",
                            help: toDate ? "write a date as `2026-01-31`" : "write a datetime as `2026-01-31T10:00:00Z`")
            return nil
        }
        let x = c.args[0].eval, sp = c.span
        return (toDate ? .date : .datetime, { env throws(EvalError) in
            let v = try x(env)
            let instant: Instant
            switch v {
            case .date(let d):
                if toDate { return v }
                instant = Instant(secondsSinceEpoch: Int64(try Ops.day(d.daysSinceEpoch, sp).daysSinceEpoch) * 86_400)
            case .datetime(let t):
                instant = try Ops.instant(t.secondsSinceEpoch, sp)
            case .string(let s):
                if toDate, let d = Day(parsing: s) { return .date(d) }
                guard let t = Instant(parsing: s) else { throw EvalError(message: "`\(s)` is not a \(name)", span: sp) }
                instant = try Ops.instant(t.secondsSinceEpoch, sp)
            default:
                throw badKind(name, v, sp)
            }
            return toDate ? .date(instant.day) : .datetime(instant)
        })
    }

    /// Seconds since the epoch of a date (its midnight UTC) or datetime, range-checked.
    static func seconds(_ v: Value, _ name: String, _ at: Span) throws(EvalError) -> Int64 {
        switch v {
        case .date(let d): return Int64(try Ops.day(d.daysSinceEpoch, at).daysSinceEpoch) * 86_400
        case .datetime(let t): return try Ops.instant(t.secondsSinceEpoch, at).secondsSinceEpoch
        default: throw badKind(name, v, at)
        }
    }

    static func daysBetween(_ c: Call) -> (ExprType, Eval)? {
        let ok = [c.accept(0, "a date or a datetime", isTime), c.accept(1, "a date or a datetime", isTime)]
        guard !ok.contains(false) else { return nil }
        let a = c.args[0].eval, b = c.args[1].eval, sp = c.span
        return (.int, { env throws(EvalError) in
            let x = try seconds(try a(env), "days_between", sp), y = try seconds(try b(env), "days_between", sp)
            return .int(Int((y - x) / 86_400))
        })
    }

    static let monthsRange = -120_000...120_000

    static func addMonths(_ c: Call) -> (ExprType, Eval)? {
        let ok = [c.accept(0, "a date", { $0 == .date }), c.accept(1, "an `int`", { $0 == .int })]
        guard !ok.contains(false) else { return nil }
        let d = c.args[0].eval, n = c.args[1].eval, sp = c.span
        return (.date, { env throws(EvalError) in
            let dv = try d(env), nv = try n(env)
            guard case .date(let day) = dv else { throw badKind("add_months", dv, sp) }
            guard case .number(let k) = nv, let months = k.intValue, monthsRange.contains(months) else {
                throw EvalError(message: "`add_months` cannot add `\(nv)` months", span: sp)
            }
            let moved = try Ops.day(day.daysSinceEpoch, sp).addingMonths(months)
            return .date(try Ops.day(moved.daysSinceEpoch, sp))
        })
    }

    static func calendarPart(_ c: Call) -> (ExprType, Eval)? {
        let name = c.name, sp = c.span
        if name == "end_of_month" {
            guard c.accept(0, "a date", { $0 == .date }) else { return nil }
            let d = c.args[0].eval
            return (.date, { env throws(EvalError) in
                let v = try d(env)
                guard case .date(let day) = v else { throw badKind(name, v, sp) }
                return .date(try Ops.day(day.daysSinceEpoch, sp).endOfMonth)
            })
        }
        guard c.accept(0, "a date or a datetime", isTime) else { return nil }
        let d = c.args[0].eval
        let part: @Sendable (Day) -> Int
        switch name {
        case "year": part = { $0.components.year }
        case "month": part = { $0.components.month }
        case "day": part = { $0.components.day }
        default: part = { $0.weekday }
        }
        return (.int, { env throws(EvalError) in
            let v = try d(env)
            let day: Day
            switch v {
            case .date(let x): day = try Ops.day(x.daysSinceEpoch, sp)
            case .datetime(let t): day = try Ops.instant(t.secondsSinceEpoch, sp).day
            default: throw badKind(name, v, sp)
            }
            return .int(part(day))
        })
    }
}
