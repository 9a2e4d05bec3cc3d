/// An ISO 4217 currency code and the number of minor-unit digits its amounts are rounded to.
///
/// Stored as three ASCII letters so that comparing currencies in a hot guard is one integer compare.
public struct Currency: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let code: String
    /// Digits after the point in this currency's smallest unit (ISO 4217; 2 unless listed).
    /// Stored, not computed: every money argument and assignment is rounded to it, and matching
    /// the code against the list each time cost more than the rounding.
    public let minorUnits: Int

    /// `nil` unless `code` is three upper-case ASCII letters.
    public init?(_ code: String) {
        guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
        self.code = code
        minorUnits = switch code {
        case "JPY", "KRW", "VND", "CLP", "ISK", "XAF", "XOF", "UGX", "PYG": 0
        case "BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD": 3
        default: 2
        }
    }

    public var description: String { code }
    public static func < (a: Currency, b: Currency) -> Bool { a.code < b.code }
}

/// An exact amount in one currency.
///
/// The rounding rule: adding and subtracting money is exact; multiplying or dividing money by a
/// number rounds the result to the currency's minor unit, half-up (commercial rounding), so that
/// every amount an engine stores or prints is one a ledger can hold. Mixing currencies is an error.
public struct Money: Sendable, Hashable, CustomStringConvertible {
    public var amount: ExactDecimal
    public var currency: Currency

    public init(_ amount: ExactDecimal, _ currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    /// This amount rounded to the currency's minor unit.
    public func roundedToMinor(_ mode: RoundingMode = .halfUp) -> Money {
        Money(amount.rounded(places: currency.minorUnits, mode: mode), currency)
    }

    /// `1250.00 EUR`: always with the currency's minor digits, more only if the amount has them.
    public var description: String { "\(amount.formatted(places: currency.minorUnits)) \(currency.code)" }

    /// Parses `1250.00 EUR` or `EUR 1250.00`.
    public init?(parsing text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        if let c = Currency(String(parts[1])), let a = ExactDecimal(String(parts[0])) {
            self.init(a, c)
        } else if let c = Currency(String(parts[0])), let a = ExactDecimal(String(parts[1])) {
            self.init(a, c)
        } else {
            return nil
        }
    }
}
