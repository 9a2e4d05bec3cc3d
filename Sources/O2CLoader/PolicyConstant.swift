import O2CCore
import O2CExpr

/// A policy value written in YAML, read the same way wherever it is written: in a rules file, in
/// a simulation scenario's `policy:` overrides, in a test scenario's.
///
/// Why one reader: an analyst who wrote `invoice_on: shipment` in rules/ writes
/// `invoice_on: delivery` in a scenario and expects it to work; before, overrides alone
/// demanded `'"delivery"'`.
public enum PolicyConstant {
    /// The value of `scalar` as a constant of `type`: an expression without names
    /// (`3000.00 EUR`, `21d`, `"delivery"`), else, for text, the word itself (`delivery`) or any
    /// quoted YAML string. Nil when it is neither.
    /// `now`: what `today()` and `now()` mean in the constant (a test scenario's start).
    public static func value(_ scalar: YAMLScalar, as type: ExprType, now: Instant = Instant(secondsSinceEpoch: 0)) -> Value? {
        let (e, ds) = Expression.compile(scalar.text, at: scalar.span, scope: TypeScope(), expecting: type)
        if let e, !ds.hasErrors, let v = try? e.evaluate(Environment(now: now)) { return v }
        guard type == .string, scalar.style != .plain || isBareWord(scalar.text) else { return nil }
        return .string(scalar.text)
    }

    /// An override as written in a scenario: a single value, or a YAML list of single values
    /// (`business_holidays: [2026-12-25]`) read as the list expression it spells, so a list is
    /// written the same way in a scenario as in `rules/`. Nil for a mapping or a nested list.
    public static func overrideScalar(_ node: YAMLNode) -> YAMLScalar? {
        switch node {
        case .scalar(let s): return s
        case .sequence(let items, let span):
            var parts: [String] = []
            for item in items {
                guard case .scalar(let s) = item else { return nil }
                parts.append(s.style == .plain ? s.text : JSON.string(s.text).serialized())
            }
            return YAMLScalar(text: "[" + parts.joined(separator: ", ") + "]", span: span, style: .plain)
        case .mapping: return nil
        }
    }

    /// Letters, digits, `_` and `-` (or nothing: `name:` with no value is empty text): text in a
    /// rules file even without quotes.
    static func isBareWord(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || $0 == "-" || ("0"..."9").contains($0) }
    }
}
