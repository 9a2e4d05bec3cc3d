import O2CCore

/// Sums of money per currency, exact. A simulation may mix currencies; they are never added
/// together, only listed side by side, in currency order.
///
/// A short sorted array rather than a dictionary: there are one or two currencies, and adding
/// to a total happens on every payment and balance change of a simulation, where hashing the
/// currency code each time showed in profiles.
public struct MoneyTotals: Sendable, Hashable {
    private var entries: [Entry] = []

    private struct Entry: Sendable, Hashable {
        var currency: Currency
        var amount: ExactDecimal
    }

    public init() {}

    public mutating func add(_ m: Money) {
        for i in entries.indices where entries[i].currency == m.currency {
            entries[i].amount = (try? entries[i].amount + m.amount) ?? entries[i].amount
            return
        }
        let at = entries.firstIndex { m.currency < $0.currency } ?? entries.endIndex
        entries.insert(Entry(currency: m.currency, amount: m.amount), at: at)
    }

    public mutating func subtract(_ m: Money) {
        add(Money(m.amount.negated, m.currency))
    }

    public mutating func add(_ other: MoneyTotals) {
        for e in other.entries { add(Money(e.amount, e.currency)) }
    }

    public var isZero: Bool { entries.allSatisfy(\.amount.isZero) }

    public var currencies: [Currency] { entries.map(\.currency) }

    public func amount(_ c: Currency) -> ExactDecimal { entries.first { $0.currency == c }?.amount ?? .zero }

    /// "1240.00 EUR" or "1240.00 EUR + 300.00 USD"; "0" when empty.
    public func text(in order: [Currency]? = nil) -> String {
        let cs = order ?? currencies
        let parts = cs.map { Money(amount($0), $0).description }
        return parts.isEmpty ? "0" : parts.joined(separator: " + ")
    }

    /// b − a per currency.
    public static func delta(_ a: MoneyTotals, _ b: MoneyTotals) -> MoneyTotals {
        var d = b
        for e in a.entries { d.subtract(Money(e.amount, e.currency)) }
        return d
    }

    /// Equal when every currency has the same amount (a currency at zero equals one never seen).
    public static func == (a: MoneyTotals, b: MoneyTotals) -> Bool {
        MoneyTotals.delta(a, b).isZero
    }

    public func hash(into h: inout Hasher) {
        for e in entries where !e.amount.isZero { h.combine(e) }
    }
}
