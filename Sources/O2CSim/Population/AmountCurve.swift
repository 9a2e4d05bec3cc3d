import O2CCore

/// Order totals between a minimum and a maximum around a median, "log-normal-ish", in exact
/// decimals only.
///
/// A draw picks a side (below or above the median, half each, so the median is the median),
/// then a depth t in [0, 1] that favours small values (the product of two uniforms), and
/// returns `median × (bound / median)^t`. The power is computed from square roots on the
/// 10⁻¹² grid (t has 10 binary digits), so there is no floating point and no platform `pow`.
public struct AmountCurve: Sendable, Hashable {
    public var minimum: Money
    public var median: Money
    public var maximum: Money
    /// `(bound/median)^(1/2^k)` for k = 1…10, below and above.
    private var lowRoots: [ExactDecimal]
    private var highRoots: [ExactDecimal]

    static let bits = 10

    public init(minimum: Money, median: Money, maximum: Money) {
        self.minimum = minimum
        self.median = median
        self.maximum = maximum
        lowRoots = Self.roots(of: (try? minimum.amount / median.amount) ?? .one)
        highRoots = Self.roots(of: (try? maximum.amount / median.amount) ?? .one)
    }

    /// One total, rounded to the currency's minor unit and kept within the bounds.
    public func draw(_ rng: inout SplitMix64) -> Money {
        let above = rng.next() & 1 == 1
        let a = rng.int(in: 0...1023), b = rng.int(in: 0...1023)
        let t = a * b / 1024 // 0…1022: product of two uniforms, on 10 bits
        var factor = ExactDecimal.one
        let roots = above ? highRoots : lowRoots
        for k in 0..<Self.bits where t & (1 << (Self.bits - 1 - k)) != 0 {
            factor = (try? factor * roots[k]) ?? factor
        }
        var amount = ((try? median.amount * factor) ?? median.amount).rounded(places: median.currency.minorUnits)
        if amount < minimum.amount { amount = minimum.amount }
        if amount > maximum.amount { amount = maximum.amount }
        return Money(amount, median.currency)
    }

    /// x^(1/2), x^(1/4), … x^(1/2^bits).
    static func roots(of x: ExactDecimal) -> [ExactDecimal] {
        var out: [ExactDecimal] = []
        var r = x
        for _ in 0..<bits {
            r = squareRoot(r)
            out.append(r)
        }
        return out
    }

    /// √x on the 10⁻¹² grid, rounded down: the integer square root of raw × 10¹².
    static func squareRoot(_ x: ExactDecimal) -> ExactDecimal {
        guard x.raw > 0 else { return .zero }
        let n = UInt128(x.raw) * UInt128(ExactDecimal.unit)
        var r = UInt128(1) << ((128 - n.leadingZeroBitCount) / 2 + 1)
        while true {
            let next = (r + n / r) / 2
            if next >= r { break }
            r = next
        }
        while r * r > n { r -= 1 }
        return ExactDecimal(raw: Int128(r))
    }
}
