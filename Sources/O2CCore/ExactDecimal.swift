/// An exact decimal number: a signed 128-bit integer counting units of 10⁻¹².
///
/// Why not Foundation's `Decimal`: it is exact only when built from strings and allocates on
/// every operation (about 2M additions/s here); a fixed-point `Int128` adds in a nanosecond,
/// which the interpreter and simulator targets need. Twelve places hold every currency's minor
/// unit plus enough guard digits for rates (`0.0125 / 365`); the range (±1.7 × 10²⁶) holds any
/// amount a finance team will meet. Arithmetic never rounds silently except division and
/// multiplication beyond twelve places, which round half-even; overflow is an error, not a wrap.
public struct ExactDecimal: Sendable, Hashable, Comparable {
    /// Number of decimal places every value carries.
    public static let scale = 12
    /// 10¹²: the raw value of `1`.
    public static let unit: Int128 = 1_000_000_000_000

    /// The value × 10¹².
    public var raw: Int128

    @inlinable public init(raw: Int128) { self.raw = raw }
    @inlinable public init(_ int: Int) { raw = Int128(int) * Self.unit }

    public static let zero = ExactDecimal(raw: 0)
    public static let one = ExactDecimal(raw: unit)

    @inlinable public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool { a.raw < b.raw }

    public var isZero: Bool { raw == 0 }
    public var isNegative: Bool { raw < 0 }
    public var isInteger: Bool { raw % Self.unit == 0 }
    /// The integral part, when the value is a whole number that fits in `Int`.
    public var intValue: Int? {
        guard isInteger else { return nil }
        let q = raw / Self.unit
        guard q >= Int128(Int.min), q <= Int128(Int.max) else { return nil }
        return Int(q)
    }
    public var magnitude: ExactDecimal { ExactDecimal(raw: raw < 0 ? -raw : raw) }
    public var negated: ExactDecimal { ExactDecimal(raw: -raw) }
}

/// Why an arithmetic operation had no exact answer.
public enum ArithmeticError: Error, Sendable, Equatable, CustomStringConvertible {
    case overflow
    case divisionByZero
    public var description: String {
        switch self {
        case .overflow: "arithmetic overflow"
        case .divisionByZero: "division by zero"
        }
    }
}

/// How to round away digits that do not fit.
public enum RoundingMode: String, Sendable, CaseIterable {
    /// Ties away from zero ("commercial rounding", DIN 1333): what invoices use.
    case halfUp = "half_up"
    /// Ties to the even neighbour ("banker's rounding"): no upward bias over many sums.
    case halfEven = "half_even"
    /// Toward zero.
    case down
    /// Away from zero.
    case up
    /// Toward negative infinity.
    case floor
    /// Toward positive infinity.
    case ceiling
}

extension ExactDecimal {
    @inlinable public static func + (a: ExactDecimal, b: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        let (r, o) = a.raw.addingReportingOverflow(b.raw)
        if o { throw .overflow }
        return ExactDecimal(raw: r)
    }

    @inlinable public static func - (a: ExactDecimal, b: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        let (r, o) = a.raw.subtractingReportingOverflow(b.raw)
        if o { throw .overflow }
        return ExactDecimal(raw: r)
    }

    public static func * (a: ExactDecimal, b: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        let negative = (a.raw < 0) != (b.raw < 0)
        let product = a.raw.magnitude.multipliedFullWidth(by: b.raw.magnitude)
        let u = UInt128(unit)
        guard product.high < u else { throw .overflow }
        let (q, r) = u.dividingFullWidth(product)
        return try finish(quotient: q, remainder: r, divisor: u, negative: negative)
    }

    public static func / (a: ExactDecimal, b: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        guard b.raw != 0 else { throw .divisionByZero }
        let negative = (a.raw < 0) != (b.raw < 0)
        let scaled = a.raw.magnitude.multipliedFullWidth(by: UInt128(unit))
        let d = b.raw.magnitude
        guard scaled.high < d else { throw .overflow }
        let (q, r) = d.dividingFullWidth(scaled)
        return try finish(quotient: q, remainder: r, divisor: d, negative: negative)
    }

    /// Rounds the 12th place half-even and applies the sign.
    private static func finish(quotient q: UInt128, remainder r: UInt128, divisor d: UInt128, negative: Bool) throws(ArithmeticError) -> ExactDecimal {
        var q = q
        // Compare 2r with d without overflowing: r < d, so r >= d - r means 2r >= d.
        if r != 0 {
            let twice = r >= d - r ? (r == d - r ? 0 : 1) : -1
            if twice > 0 || (twice == 0 && q & 1 == 1) { q += 1 }
        }
        guard q <= UInt128(Int128.max) else { throw .overflow }
        let v = Int128(q)
        return ExactDecimal(raw: negative ? -v : v)
    }

    /// The remainder of truncating division, with the sign of the dividend.
    public static func % (a: ExactDecimal, b: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        guard b.raw != 0 else { throw .divisionByZero }
        return ExactDecimal(raw: a.raw % b.raw)
    }

    /// Rounds to `places` decimal places (0...12; negative rounds to tens, hundreds…).
    public func rounded(places: Int, mode: RoundingMode = .halfUp) -> ExactDecimal {
        let drop = Self.scale - places
        guard drop > 0 else { return self }
        guard drop <= 38 else { return .zero }
        var step: Int128 = 1
        for _ in 0..<drop { step *= 10 }
        let q = raw / step, r = raw % step
        if r == 0 { return self }
        let negative = raw < 0
        let rMag = r.magnitude, half = step.magnitude / 2
        let awayFromZero: Bool
        switch mode {
        case .halfUp: awayFromZero = rMag >= half
        case .halfEven: awayFromZero = rMag > half || (rMag == half && q & 1 != 0)
        case .down: awayFromZero = false
        case .up: awayFromZero = true
        case .floor: awayFromZero = negative
        case .ceiling: awayFromZero = !negative
        }
        let adjusted = awayFromZero ? (negative ? q - 1 : q + 1) : q
        return ExactDecimal(raw: adjusted * step)
    }

    /// Number of places after the point needed to print the value exactly.
    public var significantPlaces: Int {
        var r = raw % Self.unit
        if r == 0 { return 0 }
        var places = Self.scale
        while r % 10 == 0 { r /= 10; places -= 1 }
        return places
    }
}

extension ExactDecimal: CustomStringConvertible, LosslessStringConvertible {
    /// Shortest exact text: `0.3`, `5000`, `-12.5`.
    public var description: String { formatted(places: nil) }

    /// Exact text with at least `places` digits after the point (`formatted(places: 2)` → `5000.00`).
    public func formatted(places: Int?) -> String {
        let negative = raw < 0
        let mag = raw.magnitude
        let intPart = mag / UInt128(Self.unit)
        var frac = mag % UInt128(Self.unit)
        var shown = max(significantPlaces, places ?? 0)
        shown = min(shown, Self.scale)
        var text = negative ? "-" : ""
        text += String(intPart)
        if shown > 0 {
            for _ in 0..<(Self.scale - shown) { frac /= 10 }
            var digits = String(frac)
            while digits.count < shown { digits = "0" + digits }
            text += "." + digits
        }
        return text
    }

    /// Parses `123`, `-0.5`, `1_000.25`, `1e3` is not accepted (finance text never uses it).
    public init?(_ text: String) {
        var s = Substring(text)
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        guard !s.isEmpty else { return nil }
        var intDigits: UInt128 = 0
        var fracDigits: UInt128 = 0
        var fracCount = 0
        var seenPoint = false
        var seenDigit = false
        for ch in s.utf8 {
            switch ch {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                seenDigit = true
                let d = UInt128(ch - UInt8(ascii: "0"))
                if seenPoint {
                    guard fracCount < Self.scale else { return nil }
                    fracDigits = fracDigits * 10 + d
                    fracCount += 1
                } else {
                    let (m, o1) = intDigits.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(d)
                    guard !o1, !o2, a <= UInt128(Int128.max) / UInt128(Self.unit) else { return nil }
                    intDigits = a
                }
            case UInt8(ascii: "."):
                guard !seenPoint else { return nil }
                seenPoint = true
            case UInt8(ascii: "_"):
                continue
            default:
                return nil
            }
        }
        guard seenDigit else { return nil }
        for _ in fracCount..<Self.scale { fracDigits *= 10 }
        let value = Int128(intDigits) * Self.unit + Int128(fracDigits)
        raw = negative ? -value : value
    }
}

extension ExactDecimal: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}
