import O2CCore

/// The O2C KPI formulas of docs/kpis.md (o2c-domain §6), as pure functions on exact decimals.
///
/// Each returns `nil` when it is undefined (no credit sales, an empty list, a zero denominator)
/// rather than a misleading zero. Nothing is rounded here; reports round when printing.
public enum KPI {
    /// DSO = ending total AR ÷ credit sales in the period × days in the period.
    public static func dso(endingAR: ExactDecimal, creditSales: ExactDecimal, days: ExactDecimal) -> ExactDecimal? {
        (try? endingAR * days).flatMap { ratio($0, creditSales) }
    }

    /// Countback DSO: walk back month by month from the end of the period; while the ending AR
    /// left over exceeds a month's credit sales, subtract them and count the month's days; in
    /// the month where it no longer does, count `remainder ÷ that month's sales × its days`.
    /// `months` are latest first (a partial month counts its days up to the period's end), back to
    /// the first sale. When the AR is larger than every month's sales, the result is the days walked.
    public static func countbackDSO(endingAR: ExactDecimal, months: [(sales: ExactDecimal, days: ExactDecimal)]) -> ExactDecimal? {
        guard !months.isEmpty, months.contains(where: { $0.sales > .zero }) else { return nil }
        var remainder = endingAR
        var days = ExactDecimal.zero
        for m in months {
            guard remainder > .zero else { break }
            if remainder > m.sales {
                remainder = (try? remainder - m.sales) ?? .zero
                days = (try? days + m.days) ?? days
            } else {
                let part = (try? remainder * m.days).flatMap { ratio($0, m.sales) } ?? .zero
                return try? days + part
            }
        }
        return days
    }

    /// Best possible DSO = current (not yet due) AR ÷ credit sales × days.
    public static func bestPossibleDSO(currentAR: ExactDecimal, creditSales: ExactDecimal, days: ExactDecimal) -> ExactDecimal? {
        dso(endingAR: currentAR, creditSales: creditSales, days: days)
    }

    /// Average days delinquent = DSO − best possible DSO.
    public static func averageDaysDelinquent(dso: ExactDecimal?, bestPossible: ExactDecimal?) -> ExactDecimal? {
        guard let dso, let bestPossible else { return nil }
        return try? dso - bestPossible
    }

    /// Collection effectiveness index, in percent, with N = months in the period:
    /// `(BegAR + Sales/N − EndAR) ÷ (BegAR + Sales/N − EndCurrentAR) × 100`.
    public static func cei(beginningAR: ExactDecimal, creditSales: ExactDecimal, months: ExactDecimal,
                           endingAR: ExactDecimal, endingCurrentAR: ExactDecimal) -> ExactDecimal? {
        guard let monthly = ratio(creditSales, months) else { return nil }
        guard let base = try? beginningAR + monthly, let collected = try? base - endingAR, let collectible = try? base - endingCurrentAR else { return nil }
        // Nothing was collectible (sales grew faster than a month's average could be collected):
        // the quotient of two negatives would read as a collection rate above 100 %.
        guard collectible > .zero else { return nil }
        return (try? collected * 100).flatMap { ratio($0, collectible) }
    }

    /// Bad-debt ratio = written off ÷ credit sales × 100.
    public static func badDebtRatio(writtenOff: ExactDecimal, creditSales: ExactDecimal) -> ExactDecimal? {
        (try? writtenOff * 100).flatMap { ratio($0, creditSales) }
    }

    /// The median: the middle value, or the mean of the two middle values.
    public static func median(_ values: [ExactDecimal]) -> ExactDecimal? {
        let s = values.sorted()
        guard !s.isEmpty else { return nil }
        if s.count % 2 == 1 { return s[s.count / 2] }
        return (try? s[s.count / 2 - 1] + s[s.count / 2]).flatMap { try? $0 / 2 }
    }

    /// The p-th percentile by nearest rank: the value at rank ⌈p/100 × n⌉ of the sorted list
    /// (p90 of 10 values is the 9th). Always a value that occurred.
    public static func percentile(_ values: [ExactDecimal], _ p: Int) -> ExactDecimal? {
        let s = values.sorted()
        guard !s.isEmpty, (1...100).contains(p) else { return nil }
        let rank = (p * s.count + 99) / 100
        return s[max(rank, 1) - 1]
    }

    /// Months in [from, to): whole calendar months count 1, partial ones their share of days
    /// (a calendar quarter is exactly 3). The `N` of CEI.
    public static func months(from: Day, to: Day) -> ExactDecimal {
        var total = ExactDecimal.zero
        for m in monthSlices(from: from, to: to) {
            let c = m.start.components
            let share = (try? ExactDecimal(m.days) / ExactDecimal(Day.daysIn(month: c.month, year: c.year))) ?? .zero
            total = (try? total + share) ?? total
        }
        return total
    }

    /// The calendar months [from, to) touches, each cut to the period: (first day, days inside).
    public static func monthSlices(from: Day, to: Day) -> [(start: Day, days: Int)] {
        var out: [(Day, Int)] = []
        var d = from
        while d < to {
            let c = d.components
            let next = Day(year: c.month == 12 ? c.year + 1 : c.year, month: c.month == 12 ? 1 : c.month + 1, day: 1)!
            let end = min(next, to)
            out.append((d, end.daysSinceEpoch - d.daysSinceEpoch))
            d = end
        }
        return out
    }

    static func ratio(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        guard !b.isZero else { return nil }
        return try? a / b
    }
}
