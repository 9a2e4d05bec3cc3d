/// Calendar dates, instants and durations, in UTC, without Foundation's `Calendar`.
///
/// Why our own: the interpreter must be pure and fast, and finance dates are civil dates
/// ("due 2026-01-31"), not instants in a time zone. Conversions use Howard Hinnant's
/// days-from-civil algorithm (proleptic Gregorian calendar).

/// A civil date: days since 1970-01-01.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// `nil` for an impossible date such as 2026-02-30.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = era * 146_097 + doe - 719_468
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The same day-of-month `n` months later, clamped to the month's end (Jan 31 + 1 month = Feb 28).
    public func addingMonths(_ n: Int) -> Day {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + n
        let ny = total >= 0 ? total / 12 : (total - 11) / 12
        let nm = total - ny * 12 + 1
        return Day(year: ny, month: nm, day: min(d, Day.daysIn(month: nm, year: ny)))!
    }

    /// The last day of this date's month.
    public var endOfMonth: Day {
        let (y, m, _) = components
        return Day(year: y, month: m, day: Day.daysIn(month: m, year: y))!
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int { ((daysSinceEpoch % 7 + 7 + 3) % 7) + 1 }

    public static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    /// `2026-01-31`.
    public var description: String {
        let (y, m, d) = components
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(parsing text: String) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == 45, u[7] == 45,
              let y = digits(u[0..<4]), let m = digits(u[5..<7]), let d = digits(u[8..<10]),
              let day = Day(year: y, month: m, day: d) else { return nil }
        self = day
    }

    /// Midnight UTC at the start of this day.
    public var startInstant: Instant { Instant(secondsSinceEpoch: Int64(daysSinceEpoch) * 86_400) }
}

/// A point in time: whole seconds since 1970-01-01T00:00:00Z.
///
/// Second precision is what timers, due dates and audit trails need, and keeps history
/// byte-identical across replays.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    public static func < (a: Instant, b: Instant) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    /// The civil date (UTC) this instant falls on.
    public var day: Day {
        let s = secondsSinceEpoch
        return Day(daysSinceEpoch: Int(s >= 0 ? s / 86_400 : (s - 86_399) / 86_400))
    }

    public func adding(_ d: Duration) -> Instant {
        Instant(secondsSinceEpoch: secondsSinceEpoch &+ d.seconds)
    }

    /// `2026-01-31T09:30:00Z`.
    public var description: String {
        let secs = Int(secondsSinceEpoch - Int64(day.daysSinceEpoch) * 86_400)
        return "\(day)T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))Z"
    }

    /// Parses `2026-01-31T09:30:00Z`, `2026-01-31T09:30Z`, `2026-01-31T09:30:00+02:00`, or a bare date (midnight UTC).
    public init?(parsing text: String) {
        if let d = Day(parsing: text) { self = d.startInstant; return }
        let u = Array(text.utf8)
        guard u.count >= 16, u[10] == 84 || u[10] == 32, let day = Day(parsing: String(decoding: u[0..<10], as: UTF8.self)),
              let hh = digits(u[11..<13]), u[13] == 58, let mm = digits(u[14..<16]), hh < 24, mm < 60 else { return nil }
        var i = 16
        var ss = 0
        if i < u.count, u[i] == 58 {
            guard u.count >= i + 3, let s = digits(u[(i + 1)..<(i + 3)]), s < 60 else { return nil }
            ss = s
            i += 3
            if i < u.count, u[i] == 46 { // fractional seconds are accepted and dropped
                i += 1
                while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            }
        }
        var offset = 0
        if i < u.count {
            if u[i] == 90, i == u.count - 1 {
                offset = 0
            } else if (u[i] == 43 || u[i] == 45), u.count == i + 6, let oh = digits(u[(i + 1)..<(i + 3)]), u[i + 3] == 58,
                      let om = digits(u[(i + 4)..<(i + 6)]) {
                offset = (oh * 3600 + om * 60) * (u[i] == 45 ? -1 : 1)
            } else {
                return nil
            }
        }
        secondsSinceEpoch = Int64(day.daysSinceEpoch) * 86_400 + Int64(hh * 3600 + mm * 60 + ss - offset)
    }
}

/// A length of time in whole seconds: `7d`, `36h`, `1d12h`, `-3d`.
public struct Duration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }
    public static func days(_ n: Int) -> Duration { Duration(seconds: Int64(n) * 86_400) }

    public static func < (a: Duration, b: Duration) -> Bool { a.seconds < b.seconds }

    /// Whole days, rounded toward zero.
    public var days: Int { Int(seconds / 86_400) }

    /// Shortest canonical text: `30d`, `1d12h`, `-3d`, `0s`.
    public var description: String {
        if seconds == 0 { return "0s" }
        var rest = seconds.magnitude
        var text = seconds < 0 ? "-" : ""
        // Days are the largest unit printed: "14d" reads better than "2w" in a dunning ladder.
        for (unit, size) in [("d", UInt64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    /// Parses a sequence of `<int><unit>` with units `w d h m s`, optionally signed: `7d`, `1d12h`, `-3d`.
    public init?(parsing text: String) {
        var u = Substring(text).utf8[...]
        var sign: Int64 = 1
        if u.first == 45 { sign = -1; u = u.dropFirst() } else if u.first == 43 { u = u.dropFirst() }
        guard !u.isEmpty else { return nil }
        var total: Int64 = 0
        var number: Int64 = 0
        var haveNumber = false
        var lastUnitRank = 0
        for c in u {
            if c >= 48, c <= 57 {
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(c - 48))
                guard !o1, !o2 else { return nil }
                number = a
                haveNumber = true
                continue
            }
            guard haveNumber else { return nil }
            let (size, rank): (Int64, Int)
            switch c {
            case UInt8(ascii: "w"): (size, rank) = (604_800, 1)
            case UInt8(ascii: "d"): (size, rank) = (86_400, 2)
            case UInt8(ascii: "h"): (size, rank) = (3600, 3)
            case UInt8(ascii: "m"): (size, rank) = (60, 4)
            case UInt8(ascii: "s"): (size, rank) = (1, 5)
            default: return nil
            }
            guard rank > lastUnitRank else { return nil }
            lastUnitRank = rank
            let (p, o1) = number.multipliedReportingOverflow(by: size)
            let (t, o2) = total.addingReportingOverflow(p)
            guard !o1, !o2 else { return nil }
            total = t
            number = 0
            haveNumber = false
        }
        guard !haveNumber, lastUnitRank > 0 else { return nil }
        seconds = total * sign
    }
}

@inline(__always) private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

private func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
    var n = 0
    for b in bytes {
        guard b >= 48, b <= 57 else { return nil }
        n = n * 10 + Int(b - 48)
    }
    return n
}
