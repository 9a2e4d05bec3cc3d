import O2CCore
import O2CExpr
import O2CModel

/// A policy value written in YAML, read the same way wherever it is written: in a rules file, in
/// a simulation scenario's `policy:` overrides, in a test scenario's.
///
/// Why one reader: an analyst who wrote `invoice_on: shipment` in rules/ writes
/// `invoice_on: delivery` in a scenario and expects it to work; before, overrides alone
/// demanded `'"delivery"'`. One difference: an override has a declared type (the value it
/// replaces), so quotes decide nothing there (`"2.5"` for a decimal is 2.5), while in rules/,
/// where the type comes from how the value is written, a quoted value is text.
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

    /// An override as written in a scenario: a single value, or a YAML list whose items are each
    /// read as above against the list's item type, so a list is written the same way in a scenario
    /// as in `rules/` (`business_holidays: [2026-01-19]`, `channels: [email, sms]`). An empty list
    /// is accepted here: the declared type says what it is a list of. The failure is the span of
    /// the value, or of the first item that is not a constant of the item type.
    public static func value(_ node: YAMLNode, as type: ExprType, now: Instant = Instant(secondsSinceEpoch: 0)) -> Result<Value, OverrideFailure> {
        switch node {
        case .scalar(let s):
            return value(s, as: type, now: now).map { .success($0) } ?? .failure(OverrideFailure(span: s.span, expected: type, written: s.text))
        case .sequence(let items, let span):
            guard case .list(let element) = type else { return .failure(OverrideFailure(span: span, expected: type)) }
            var values: [Value] = []
            for item in items {
                guard case .scalar(let s) = item, let v = value(s, as: element, now: now) else {
                    return .failure(OverrideFailure(span: item.span, expected: element, written: (item.scalar?.text)))
                }
                values.append(v)
            }
            return .success(.list(values))
        case .mapping(_, let span):
            return .failure(OverrideFailure(span: span, expected: type))
        }
    }

    /// Where an override went wrong, and the type that was wanted there.
    public struct OverrideFailure: Error, Sendable {
        public var span: Span
        public var expected: ExprType
        /// The override's text there, when it is a plain value.
        public var written: String?

        public init(span: Span, expected: ExprType, written: String? = nil) {
            self.span = span
            self.expected = expected
            self.written = written
        }

        /// "policy override `x` must be an int constant", with the fix: a whole number where the
        /// override is one with a zero fraction (`2.0`), else what the value is now, and for a
        /// decimal refused by a whole-number value, where that type comes from.
        public func message(_ name: String, declared: ExprType, current: Value) -> (message: String, help: String) {
            let what = expected == declared ? "policy override `\(name)`" : "an item of policy override `\(name)`"
            let article = "aeiou".contains(expected.description.first ?? "x") ? "an" : "a"
            var help = "the current value is \(current)"
            let text = written?.trimmingCharacters(in: .whitespaces) ?? ""
            // What the rules file holds for one item: the value, or a list's first item.
            var example = current
            if case .list(let items) = current, let first = items.first { example = first }
            if expected == .int, let d = ExactDecimal(text) {
                if d.isInteger {
                    help = "write it as a whole number: `\(d)`"
                } else {
                    help = "`\(name)` takes whole numbers (it is written without a decimal point in its rules file; the current value is \(current)); "
                        + "if decimals make sense for it, write it there with one (`\(example).0`) and `o2c validate` says whether every use accepts a decimal"
                }
            } else if text.hasSuffix("%"), ExactDecimal(String(text.dropLast()).trimmingCharacters(in: .whitespaces)) != nil {
                help = "a percent is a plain number: `\(text.dropLast().trimmingCharacters(in: .whitespaces))`"
            }
            return ("\(what) must be \(article) \(expected) constant", help)
        }
    }

    /// A scenario's or simulation's override of `current`: a constant of its declared type
    /// (`value(_:as:now:)`), and money in the currency of the value it replaces — the amounts a
    /// threshold is compared with are in that currency, so `2000.00 USD` for a EUR limit would
    /// only fail later, order by order ("cannot compare").
    public static func override(_ node: YAMLNode, of current: PolicyValue, now: Instant = Instant(secondsSinceEpoch: 0)) -> Result<Value, Refusal> {
        switch value(node, as: current.type, now: now) {
        case .failure(let f):
            let (message, help) = f.message(current.name, declared: current.type, current: current.value)
            return .failure(Refusal(span: f.span, message: message, help: help))
        case .success(let v):
            let was = currency(of: current.value)
            if let was, let now = currency(of: v), now != was {
                return .failure(Refusal(span: node.span, message: "policy override `\(current.name)` is in \(now.code), the value it replaces in \(was.code)",
                                        help: "give it in \(was.code) (the current value is \(current.value)); amounts compared with it are in \(was.code)"))
            }
            if let why = PolicyRange.violation(v, of: current) {
                return .failure(Refusal(span: node.span, message: "policy override `\(current.name)`: \(why)",
                                        help: "its bounds are declared with its value in \(current.file)"))
            }
            return .success(v)
        }
    }

    /// The currency of money, or of a list's money items (the first that differs from the first, if any).
    private static func currency(of v: Value) -> Currency? {
        switch v {
        case .money(let m): return m.currency
        case .list(let items):
            let cs = items.compactMap { if case .money(let m) = $0 { m.currency } else { nil } }
            return cs.first { $0 != cs.first } ?? cs.first
        default: return nil
        }
    }

    /// Why an override was refused, where, and the fix.
    public struct Refusal: Error, Sendable {
        public var span: Span
        public var message: String
        public var help: String
    }

    /// Letters, digits, `_` and `-` (or nothing: `name:` with no value is empty text): text in a
    /// rules file even without quotes.
    static func isBareWord(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || $0 == "-" || ("0"..."9").contains($0) }
    }
}
