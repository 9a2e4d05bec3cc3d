import O2CCore
import O2CExpr
import O2CModel

/// Late fees for dunning steps (`fee:` in a ladder): exact, clamped, rounded once at the end.
public enum FeeCalculator {
    /// fee = base × percent ÷ 100 + flat, then clamped to [minimum, maximum], then rounded to the
    /// currency's minor unit half-up.
    ///
    /// Everything is computed in exact decimals and rounded only once, at the end; the result is
    /// money in the base's currency. A part that is absent (or evaluates to `null`) is ignored.
    /// A zero or negative base (nothing owed, or a credit balance) yields a zero fee.
    ///
    /// Errors: the base is not money; the percent is not a number; a flat, minimum or maximum is
    /// not money or is in another currency; the minimum is above the maximum; overflow.
    public static func fee(_ rule: FeeRule, env: Environment) throws(EvalError) -> Money {
        let baseValue = try rule.base.evaluate(env)
        guard case .money(let base) = baseValue else {
            throw EvalError(message: "the fee base must be money, found \(baseValue.kindName)", span: rule.base.span)
        }
        let currency = base.currency
        let zero = Money(.zero, currency)
        guard base.amount > .zero else { return zero }

        var amount = ExactDecimal.zero
        if let p = rule.percent {
            let v = try p.evaluate(env)
            switch v {
            case .null: break
            case .number(let percent):
                amount = try exact(rule.span) { () throws(ArithmeticError) in try base.amount * percent / 100 }
            default:
                throw EvalError(message: "the fee percent must be a number, found \(v.kindName)", span: p.span)
            }
        }
        if let flat = try money(rule.flat, "flat", currency, env) {
            amount = try exact(rule.span) { () throws(ArithmeticError) in try amount + flat }
        }
        let minimum = try money(rule.minimum, "minimum", currency, env)
        let maximum = try money(rule.maximum, "maximum", currency, env)
        if let minimum, let maximum, minimum > maximum {
            throw EvalError(message: "the fee minimum \(Money(minimum, currency)) is above the maximum \(Money(maximum, currency))",
                            span: rule.minimum?.span ?? rule.span)
        }
        if let minimum, amount < minimum { amount = minimum }
        if let maximum, amount > maximum { amount = maximum }
        return Money(amount, currency).roundedToMinor(.halfUp)
    }

    /// The amount of an optional money part, checked against the base's currency.
    private static func money(_ e: Expression?, _ part: String, _ currency: Currency, _ env: Environment) throws(EvalError) -> ExactDecimal? {
        guard let e else { return nil }
        let v = try e.evaluate(env)
        switch v {
        case .null:
            return nil
        case .money(let m):
            guard m.currency == currency else {
                throw EvalError(message: "the fee \(part) is in \(m.currency) but the base is in \(currency)", span: e.span)
            }
            return m.amount
        default:
            throw EvalError(message: "the fee \(part) must be money, found \(v.kindName)", span: e.span)
        }
    }

    private static func exact(_ span: Span, _ f: () throws(ArithmeticError) -> ExactDecimal) throws(EvalError) -> ExactDecimal {
        do throws(ArithmeticError) {
            return try f()
        } catch {
            throw EvalError(message: "the fee cannot be computed: \(error)", span: span)
        }
    }
}
