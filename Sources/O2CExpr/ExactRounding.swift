import O2CCore

/// Multiplication and division that round exactly once, straight to the target places.
///
/// `ExactDecimal`'s own `*` and `/` round the twelfth place first; rounding that result again to
/// cents can differ from rounding the true value (…4999999999999|7 becomes …5, then rounds up).
/// Money × rate must round the exact product, so these work on the 256-bit intermediate.
enum ExactRounding {
    /// `a × b ÷ 10^extraPow10`, rounded once to `places` (0…12).
    static func multiply(_ a: ExactDecimal, _ b: ExactDecimal, dividedByPow10 extraPow10: Int = 0,
                         places: Int, mode: RoundingMode) throws(ArithmeticError) -> ExactDecimal {
        let negative = (a.raw < 0) != (b.raw < 0)
        let product = a.raw.magnitude.multipliedFullWidth(by: b.raw.magnitude)
        let divisor = pow10(2 * ExactDecimal.scale + extraPow10 - places)
        guard product.high < divisor else { throw .overflow }
        let (q, r) = divisor.dividingFullWidth(product)
        return try finish(q, r, divisor, negative, places, mode)
    }

    /// `a ÷ b`, rounded once to `places` (0…12).
    static func divide(_ a: ExactDecimal, _ b: ExactDecimal, places: Int, mode: RoundingMode) throws(ArithmeticError) -> ExactDecimal {
        guard b.raw != 0 else { throw .divisionByZero }
        let negative = (a.raw < 0) != (b.raw < 0)
        let numerator = a.raw.magnitude.multipliedFullWidth(by: pow10(places))
        let divisor = b.raw.magnitude
        guard numerator.high < divisor else { throw .overflow }
        let (q, r) = divisor.dividingFullWidth(numerator)
        return try finish(q, r, divisor, negative, places, mode)
    }

    /// `a × b ÷ c`, rounded once to `places` (0…12): a share of a whole (the VAT in part of a
    /// price) from the exact product, never from a rate `b ÷ c` cut to twelve places first.
    static func share(_ a: ExactDecimal, _ b: ExactDecimal, of c: ExactDecimal, places: Int, mode: RoundingMode) throws(ArithmeticError) -> ExactDecimal {
        guard c.raw != 0 else { throw .divisionByZero }
        let negative = ((a.raw < 0) != (b.raw < 0)) != (c.raw < 0)
        let product = a.raw.magnitude.multipliedFullWidth(by: b.raw.magnitude)
        let (divisor, overflow) = c.raw.magnitude.multipliedReportingOverflow(by: pow10(ExactDecimal.scale - places))
        guard !overflow, product.high < divisor else { throw .overflow }
        let (q, r) = divisor.dividingFullWidth(product)
        return try finish(q, r, divisor, negative, places, mode)
    }

    private static func finish(_ q: UInt128, _ r: UInt128, _ d: UInt128, _ negative: Bool,
                               _ places: Int, _ mode: RoundingMode) throws(ArithmeticError) -> ExactDecimal {
        var q = q
        if r != 0 {
            // Compare 2r with d without overflow: r < d.
            let half = r == d - r ? 0 : (r > d - r ? 1 : -1)
            let away: Bool
            switch mode {
            case .halfUp: away = half >= 0
            case .halfEven: away = half > 0 || (half == 0 && q & 1 == 1)
            case .down: away = false
            case .up: away = true
            case .floor: away = negative
            case .ceiling: away = !negative
            }
            if away {
                let (next, overflow) = q.addingReportingOverflow(1)
                guard !overflow else { throw .overflow }
                q = next
            }
        }
        let (scaled, overflow) = q.multipliedReportingOverflow(by: pow10(ExactDecimal.scale - places))
        guard !overflow, scaled <= UInt128(Int128.max) else { throw .overflow }
        let v = Int128(scaled)
        return ExactDecimal(raw: negative ? -v : v)
    }

    private static func pow10(_ n: Int) -> UInt128 {
        var p: UInt128 = 1
        for _ in 0..<max(0, n) { p *= 10 }
        return p
    }
}
