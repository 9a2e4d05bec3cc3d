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
            if case .mapping(let fields, _) = valueNode {
                checkKeys(fields, allowed: ["value", "description"], in: "policy value `\(name)`")
                description = text(valueNode["description"], "`description`")
                guard let v = required(fields, "value", in: "policy value `\(name)`", at: key.span) else { continue }
                node = v
            }
            guard let s = scalar(node, "policy value `\(name)`") else { continue }
            guard let (value, type) = constant(s) else { continue }
            values.append(PolicyValue(name: name, value: value, type: type, description: description, file: file, span: key.span))
        }
        return values
    }

    /// A constant: an expression without names, or else a bare word / quoted text as a string.
    private mutating func constant(_ s: YAMLScalar) -> (Value, ExprType)? {
        let (e, ds) = Expression.compile(s.text, at: s.span, scope: TypeScope(), expecting: nil)
        if let e, !ds.hasErrors {
            do {
                return (try e.evaluate(Environment(now: Instant(secondsSinceEpoch: 0))), e.type)
            } catch {
                report(.error("E0504", "policy value cannot be computed: \(error.message)", at: s.span))
                return nil
            }
        }
        if s.style != .plain || PolicyConstant.isBareWord(s.text) { return (.string(s.text), .string) }
        report(ds)
        return nil
    }
}
