import O2CCore
import O2CExpr
import O2CModel

/// Holiday calendars run out. A policy list of dates (the calendars `add_business_days` reads)
/// covers the years someone typed in; the day after its last date, every weekday is a business
/// day again and nothing says so: a credit review due on 1 January 2028 would escalate on the
/// holiday. So `o2c validate` warns while there is time to add the next year.
///
/// Time-dependent by nature, hence `now` as a parameter (the shell passes its clock or `--now`).
public enum CalendarCheck {
    /// Warn when a calendar's last date is less than this many days after `now`.
    public static let horizonDays = 90

    /// W0406 for each `list<date>` policy value that some `add_business_days` reads, whose last
    /// date is before `now` + `horizonDays` (an empty list is no calendar: nothing to run out; a
    /// list of dates used otherwise, say closing days, is not a business calendar).
    public static func check(_ library: Library, now: Day) -> [Diagnostic] {
        let calendars = calendarNames(library.sources)
        return library.policy.compactMap { p -> Diagnostic? in
            guard p.type == .list(.date), calendars.contains(p.name), case .list(let items) = p.value else { return nil }
            let days = items.compactMap { v -> Day? in if case .date(let d) = v { d } else { nil } }
            guard let last = days.max(), last.daysSinceEpoch < now.daysSinceEpoch + horizonDays else { return nil }
            let left = last.daysSinceEpoch - now.daysSinceEpoch
            let when = left < 0 ? "ended on \(last)" : left == 0 ? "ends today (\(last))" : "ends on \(last), \(left) day\(left == 1 ? "" : "s") from \(now)"
            return .warning("W0406", "the calendar `policy.\(p.name)` \(when); after it every weekday counts as a business day",
                            at: p.span, label: "last date \(last)",
                            help: "add the next year's dates to `\(p.name)` in \(p.file)")
        }
    }

    /// The policy values named inside `add_business_days(…)` calls, read from the sources' text
    /// (the call and its arguments on one line, as expressions are written).
    static func calendarNames(_ sources: [String: String]) -> Set<String> {
        var names: Set<String> = []
        for text in sources.values {
            var rest = text[...]
            while let r = rest.range(of: "add_business_days(") {
                var depth = 1
                var end = r.upperBound
                while end < rest.endIndex, depth > 0, rest[end] != "\n" {
                    if rest[end] == "(" { depth += 1 } else if rest[end] == ")" { depth -= 1 }
                    end = rest.index(after: end)
                }
                for (name, _) in PolicyTypeHints.names(in: rest[r.upperBound..<end]) { names.insert(name) }
                rest = rest[end...]
            }
        }
        return names
    }
}
