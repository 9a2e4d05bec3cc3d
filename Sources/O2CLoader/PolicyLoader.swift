import O2CCore
import O2CModel
import O2CExpr

/// Reads a `policy:` document: named constants read everywhere as `policy.<name>`.
///
/// ```yaml
/// policy:
///   new_customer_limit: 5000.00 EUR
///   late_fee_day: {value: 30d, description: Days after the due date before a late fee.}
/// ```
extension LoadContext {
    mutating func policyValues(_ node: YAMLNode, file: String) -> [PolicyValue] {
        guard let pairs = mapping(node, "`policy`") else { return [] }
        var values: [PolicyValue] = []
        for (key, valueNode) in pairs {
            guard let name = name(key, "policy value") else { continue }
            var description = ""
            var node = valueNode
            var bounds: (min: YAMLScalar?, max: YAMLScalar?) = (nil, nil)
            if case .mapping(let fields, _) = valueNode {
                checkKeys(fields, allowed: ["value", "description", "min", "max"], in: "policy value `\(name)`")
                description = text(valueNode["description"], "`description`")
                bounds = (valueNode["min"].flatMap { scalar($0, "`min`") }, valueNode["max"].flatMap { scalar($0, "`max`") })
                guard let v = required(fields, "value", in: "policy value `\(name)`", at: key.span) else { continue }
                node = v
            }
            let constant: (Value, ExprType)?
            if case .sequence(let items, let span) = node {
                constant = list(items, span, name: name)
            } else if let s = scalar(node, "policy value `\(name)`") {
                constant = self.constant(s)
            } else { continue }
            // A value reported as wrong stays declared, of any type, so that its uses are not
            // each reported again as "`policy` has no field" (one mistake, one message).
            let (value, type) = constant ?? (.null, .any)
            var policy = PolicyValue(name: name, value: value, type: type, description: description, file: file, span: key.span)
            if constant != nil { range(&policy, bounds, valueSpan: node.span) }
            values.append(policy)
        }
        return values
    }

    /// `min:` and `max:`: constants of the value's type (of its items, for a list), in order, and
    /// the value within them; each problem at the bound or the value it concerns.
    private mutating func range(_ p: inout PolicyValue, _ bounds: (min: YAMLScalar?, max: YAMLScalar?), valueSpan: Span) {
        var element = p.type
        if case .list(let e) = p.type { element = e }
        let numeric: Set<ExprType> = [.int, .decimal]
        func same(_ a: ExprType, _ b: ExprType) -> Bool { a == b || (numeric.contains(a) && numeric.contains(b)) }
        // Bounds that agree with each other but not with the value: the value is the slip (a
        // quoted number is text, `10.15 EUR` for a percent is money), so say so there, once,
        // rather than ask for other bounds.
        let kinds = [bounds.min, bounds.max].compactMap { $0 }.compactMap { s -> ExprType? in
            let (e, ds) = Expression.compile(s.text, at: s.span, scope: TypeScope(), expecting: nil)
            return ds.hasErrors ? nil : e?.type
        }
        if let k = kinds.first, kinds.allSatisfy({ same($0, k) }), !same(k, element) {
            let quoted = element == .string ? " (it is quoted, and a quoted value is text: remove the quotes)" : ""
            let want = numeric.contains(k) ? "a number" : "\(k)"
            report(.error("E0105", "policy value `\(p.name)` is \(element)\(quoted), but its `min`/`max` are \(want)", at: valueSpan,
                          help: "write the value as \(want), like its bounds; or, if the bounds are the slip, write them as \(element)"))
            // One mistake, one message: its uses are not each reported again.
            p.value = .null
            p.type = .any
            return
        }
        func bound(_ s: YAMLScalar?, _ key: String) -> Value? {
            guard let s else { return nil }
            guard let (v, t) = constant(s) else { return nil }
            guard same(t, element),
                  let sample = Self.sample(p.value), PolicyRange.compare(v, sample) != nil else {
                report(.error("E0105", "`\(key)` of policy value `\(p.name)` must be \(element) like its value, found `\(s.text)`", at: s.span))
                return nil
            }
            return v
        }
        p.minimum = bound(bounds.min, "min")
        p.maximum = bound(bounds.max, "max")
        if let lo = p.minimum, let hi = p.maximum, let c = PolicyRange.compare(lo, hi), c > 0 {
            report(.error("E0105", "policy value `\(p.name)` has `min` \(lo) above `max` \(hi)", at: bounds.min!.span, help: "swap them"))
            p.minimum = nil
            p.maximum = nil
            return
        }
        if let why = PolicyRange.violation(p.value, of: p) {
            report(.error("E0105", "policy value `\(p.name)`: \(why)", at: valueSpan,
                          help: "a slip? if not, widen `\(why.contains("below") ? "min" : "max")` in the same place"))
        }
    }

    /// The value, or a list's first item: what a bound must be comparable with.
    private static func sample(_ v: Value) -> Value? {
        if case .list(let items) = v { return items.first }
        return v
    }

    /// A YAML list of constants of one type (`business_holidays: [2026-12-25, 2026-12-26]`):
    /// analysts write lists as YAML lists, not as quoted `'[…]'` expressions. Every bad item is
    /// reported, not only the first; whole numbers mixed with decimals make a list of decimals.
    private mutating func list(_ items: [YAMLNode], _ span: Span, name: String) -> (Value, ExprType)? {
        guard !items.isEmpty else {
            report(.error("E0105", "policy value `\(name)` is an empty list, so its type is unknown", at: span,
                          help: "write its items; a scenario or simulation may still override it with `[]`"))
            return nil
        }
        var values: [Value] = []
        var first: (type: ExprType, item: YAMLScalar)?
        var element: ExprType?
        var ok = true
        for item in items {
            guard let s = scalar(item, "an item of policy value `\(name)`"), let (v, t) = constant(s) else { ok = false; continue }
            guard let f = first else {
                first = (t, s)
                element = t
                values.append(v)
                continue
            }
            if let e = element, e != t {
                if (e == .int && t == .decimal) || (e == .decimal && t == .int) { element = .decimal } else {
                    report(.error("E0105", "the items of policy value `\(name)` differ in type: `\(f.item.text)` is \(f.type), `\(s.text)` is \(t)",
                                  at: s.span, help: "every item of a list has the type of the first"))
                    ok = false
                    continue
                }
            }
            values.append(v)
        }
        guard ok, let element else { return nil }
        return (.list(values), .list(element))
    }

    /// A constant: an expression without names, or else a bare word as a string. A quoted YAML
    /// value is text, as YAML means it and the docs promise: `"2026-01-01"` is not a date nor
    /// `"10.15"` a number (an analyst who quotes an e-mail address that happens to parse must
    /// not get another type). An expression string literal inside the quotes (`'"delivery"'`, the
    /// older spelling) still reads as its text.
    private mutating func constant(_ s: YAMLScalar) -> (Value, ExprType)? {
        let (e, ds) = Expression.compile(s.text, at: s.span, scope: TypeScope(), expecting: nil)
        if s.style != .plain {
            if let e, !ds.hasErrors, e.type == .string, let v = try? e.evaluate(Environment(now: Instant(secondsSinceEpoch: 0))) { return (v, .string) }
            return (.string(s.text), .string)
        }
        if let e, !ds.hasErrors {
            do {
                return (try e.evaluate(Environment(now: Instant(secondsSinceEpoch: 0))), e.type)
            } catch {
                report(.error("E0504", "policy value cannot be computed: \(error.message)", at: s.span))
                return nil
            }
        }
        if PolicyConstant.isBareWord(s.text) { return (.string(s.text), .string) }
        let number = s.text.trimmingCharacters(in: .whitespaces)
        if number.hasSuffix("%"), ExactDecimal(String(number.dropLast()).trimmingCharacters(in: .whitespaces)) != nil {
            report(.error("E0105", "`\(s.text)`: a percent is written as a plain number", at: s.span,
                          help: "write `\(number.dropLast().trimmingCharacters(in: .whitespaces))`; the names say what it is a percent of (`late_fee_percent`)"))
            return nil
        }
        report(ds)
        return nil
    }
}
