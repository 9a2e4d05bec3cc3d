import O2CCore
import O2CModel
import O2CExpr

/// Reads action lists (`do:`, `entry:`, `exit:`, ladder steps).
///
/// ```yaml
/// do:
///   - notify: {template: payment_reminder, channel: email, to: customer.email}
///   - notify: order_received                 # shorthand: the template
///   - emit: {event: invoice_paid, to: parent_id, data: {amount: balance}}
///   - start: {workflow: invoicing, key: order.id, input: {order: order}}
///   - reserve_stock: {sku: order.sku, quantity: order.quantity}
///   - log                                    # an action without arguments
///   - when: amount(fees_open) > 0            # only if this holds
///     journal: {debit: '"late_fee_income"', credit: '"accounts_receivable"', amount: fees_open}
/// ```
/// Arguments are expressions, except the names listed in `literalArguments`.
extension LoadContext {
    /// Arguments of built-in actions that name things rather than compute values.
    static let literalArguments: [String: [String]] = [
        "notify": ["template", "channel"],
        "emit": ["event"],
        "start": ["workflow"],
    ]
    /// The argument a scalar shorthand (`notify: reminder`) fills.
    static let shorthandArgument: [String: String] = ["notify": "template", "emit": "event", "start": "workflow"]
    /// Arguments whose value is a mapping of expressions (`data:` of emit, `input:` of start).
    static let nestedArguments: Set<String> = ["data", "input"]

    mutating func actions(_ node: YAMLNode, scope: TypeScope, _ what: String) -> [ActionCall] {
        let items: [YAMLNode]
        if case .sequence(let list, _) = node { items = list } else { items = [node] }
        var calls: [ActionCall] = []
        for item in items {
            if let call = action(item, scope: scope, what) { calls.append(call) }
        }
        return calls
    }

    private mutating func action(_ node: YAMLNode, scope: TypeScope, _ what: String) -> ActionCall? {
        switch node {
        case .scalar(let s):
            guard let n = name(s, "action") else { return nil }
            return ActionCall(name: n, span: s.span)
        case .sequence:
            report(.error("E0104", "an action in \(what) must be a name or `name: {arguments}`", at: node.span, label: "found a list"))
            return nil
        case .mapping(var pairs, _):
            var guardNode: YAMLNode?
            if pairs.count == 2, let w = pairs.firstIndex(where: { $0.0.text == "when" }) {
                guardNode = pairs.remove(at: w).1
            }
            guard pairs.count == 1 else {
                report(.error("E0104", "each action in \(what) is one `name: {arguments}` item, with an optional `when:`",
                              at: node.span, help: "start each action on its own line with `- `"))
                return nil
            }
            let (key, value) = pairs[0]
            guard let n = name(key, "action") else { return nil }
            var call = ActionCall(name: n, span: key.span)
            if let guardNode {
                call.guardExpression = expression(guardNode, scope: scope, expecting: .bool, "`when` of action `\(n)`")
            }
            let literalNames = Self.literalArguments[n] ?? []
            switch value {
            case .scalar(let s) where s.isNull:
                break
            case .scalar(let s):
                guard let arg = Self.shorthandArgument[n] else {
                    report(.error("E0104", "arguments of action `\(n)` must be a mapping", at: s.span,
                                  help: "write `\(n): {name: value}`"))
                    return nil
                }
                call.literals[arg] = s.text
            case .sequence:
                report(.error("E0104", "arguments of action `\(n)` must be a mapping", at: value.span, label: "found a list"))
                return nil
            case .mapping(let args, _):
                for (argKey, argValue) in args {
                    if literalNames.contains(argKey.text) {
                        call.literals[argKey.text] = scalar(argValue, "`\(argKey.text)`")?.text
                    } else if Self.nestedArguments.contains(argKey.text), Self.literalArguments[n] != nil {
                        guard let fields = mapping(argValue, "`\(argKey.text)`") else { continue }
                        for (fieldKey, fieldValue) in fields {
                            if let e = expression(fieldValue, scope: scope, "argument `\(fieldKey.text)`") {
                                call.arguments.append((argKey.text + "." + fieldKey.text, e))
                            }
                        }
                    } else if let e = expression(argValue, scope: scope, "argument `\(argKey.text)`") {
                        call.arguments.append((argKey.text, e))
                    }
                }
            }
            for required in Self.shorthandArgument[n].map({ [$0] }) ?? [] where call.literals[required] == nil {
                report(.error("E0102", "action `\(n)` has no `\(required)`", at: key.span, help: "write `\(n): {\(required): name}`"))
            }
            return call
        }
    }
}
