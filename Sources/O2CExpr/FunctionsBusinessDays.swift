import O2CCore

/// `add_business_days(d, n, holidays)`: deadlines that count working days, as service levels do
/// ("finance decides within one business day"): a held order on a Friday afternoon is due on
/// Monday afternoon, not on Saturday.
///
/// A business day is Monday to Friday and not in `holidays` (a list of dates, usually a policy
/// value such as the TARGET2 closing days). A start on a day off first moves to the start of the
/// next business day, so the whole of that day counts; then `n` business days are added, keeping
/// the time of day. Counting backwards is not offered: no deadline in the library needs it, and
/// its rolling rule (to the end of the previous business day?) would be one more thing to learn.
enum BusinessDays {
    /// About forty years of business days: bounds the loop whatever a payload holds.
    static let limit = 10_000

    static func add(_ c: Call) -> (ExprType, Eval)? {
        var ok = [c.accept(0, "a date or a datetime", Functions.isTime), c.accept(1, "an `int`", { $0 == .int })]
        if c.args.count == 3 { ok.append(c.accept(2, "a list of dates", { $0 == .list(.date) || $0 == .list(.any) })) }
        guard !ok.contains(false) else { return nil }
        let start = c.args[0].eval, count = c.args[1].eval, holidayList = c.args.count == 3 ? c.args[2].eval : nil, sp = c.span
        let type: ExprType = c.args[0].type == .any ? .any : c.args[0].type
        return (type, { env throws(EvalError) in
            let v = try start(env), nv = try count(env)
            guard case .number(let k) = nv, let n = k.intValue, (0...limit).contains(n) else {
                throw EvalError(message: "`add_business_days` cannot add `\(nv)` business days (0 to \(limit))", span: sp)
            }
            var holidays = Set<Int>()
            if let holidayList {
                let hv = try holidayList(env)
                guard case .list(let items) = hv else { throw Functions.badKind("add_business_days", hv, sp) }
                for item in items {
                    guard case .date(let d) = item else { throw Functions.badKind("add_business_days", item, sp) }
                    holidays.insert(d.daysSinceEpoch)
                }
            }
            let calendar = Calendar(holidays: holidays)
            switch v {
            case .date(let d):
                return .date(try Ops.day(calendar.adding(n, to: try Ops.day(d.daysSinceEpoch, sp).daysSinceEpoch), sp))
            case .datetime(let t):
                let instant = try Ops.instant(t.secondsSinceEpoch, sp)
                let day = instant.day.daysSinceEpoch
                let timeOfDay = calendar.isBusinessDay(day) ? instant.secondsSinceEpoch - Int64(day) * 86_400 : 0
                let moved = calendar.adding(n, to: day)
                return .datetime(try Ops.instant(Int64(try Ops.day(moved, sp).daysSinceEpoch) * 86_400 + timeOfDay, sp))
            default:
                throw Functions.badKind("add_business_days", v, sp)
            }
        })
    }

    struct Calendar {
        let holidays: Set<Int>

        func isBusinessDay(_ day: Int) -> Bool {
            Day(daysSinceEpoch: day).weekday <= 5 && !holidays.contains(day)
        }

        /// Moves to the first business day on or after `day`, then `n` business days on. Ends: a
        /// week never has more than two weekend days, and the holidays are a finite list.
        func adding(_ n: Int, to day: Int) -> Int {
            var d = day
            while !isBusinessDay(d) { d += 1 }
            var left = n
            while left > 0 {
                d += 1
                if isBusinessDay(d) { left -= 1 }
            }
            return d
        }
    }
}
