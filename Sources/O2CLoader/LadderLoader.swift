import O2CCore
import O2CModel
import O2CExpr

/// Reads a `ladder:` document: dunning steps at offsets from an anchor date.
///
/// ```yaml
/// ladder: b2b
/// inputs: {balance: money, due_date: date}
/// anchor: due_date
/// stop_when: amount(balance) <= 0
/// steps:
///   - {name: reminder, offset: -3d, do: [{notify: payment_reminder}]}
///   - {name: late_fee, offset: 30d, fee: {percent: policy.late_fee_percent, minimum: policy.late_fee_minimum}}
///   - {name: final_demand, after_previous: 14d, goto: final_demand}
/// ```
extension LoadContext {
    static let ladderKeys = ["ladder", "description", "inputs", "anchor", "stop_when", "steps"]
    static let stepKeys = ["name", "description", "offset", "after_previous", "when", "do", "fee", "goto", "catch_up"]

    mutating func ladder(_ node: YAMLNode, file: String, policyType: ExprType) -> Ladder? {
        guard let pairs = mapping(node, "a ladder"), let nameNode = node["ladder"],
              let nameScalar = scalar(nameNode, "`ladder`"), let name = name(nameScalar, "ladder") else { return nil }
        let what = "ladder `\(name)`"
        checkKeys(pairs, allowed: Self.ladderKeys, in: what)
        var inputs = ObjectType([])
        if let n = required(pairs, "inputs", in: what, at: nameScalar.span), let o = objectType(n, "`inputs`") { inputs = o }
        var scope = TypeScope([("policy", policyType)])
        for f in inputs.fields { scope = scope.adding(f.name, f.type) }
        var anchor = ""
        if let a = required(pairs, "anchor", in: what, at: nameScalar.span), let s = scalar(a, "`anchor`") {
            anchor = s.text
            if let t = inputs[s.text] {
                if t.unwrapped != .date && t.unwrapped != .datetime {
                    report(.error("E0504", "ladder anchor `\(s.text)` is a \(t), not a date", at: s.span,
                                  help: "anchor on a `date` or `datetime` input, e.g. the due date"))
                }
            } else {
                report(.error("E0208", "ladder anchor `\(s.text)` is not one of its inputs", at: s.span,
                              notes: ["inputs: \(inputs.names.joined(separator: ", "))"], help: Suggest.didYouMean(s.text, in: inputs.names)))
            }
        }
        let stop = node["stop_when"].flatMap { expression($0, scope: scope, expecting: .bool, "`stop_when`") }
        var steps: [LadderStep] = []
        if let s = required(pairs, "steps", in: what, at: nameScalar.span), let items = sequence(s, "`steps`") {
            var previous: (Duration, Span, String)?
            var names: [String: Span] = [:]
            for (i, item) in items.enumerated() {
                guard let step = step(i, item, scope: scope, previous: previous?.0) else { continue }
                if let first = names[step.name] {
                    report(Diagnostic(.error, "E0103", "duplicate step `\(step.name)` in \(what)", at: Label(step.span, "declared again here"),
                                      secondary: [Label(first, "first declared here")]))
                }
                names[step.name] = step.span
                if let (prev, prevSpan, prevName) = previous, step.offsetFromAnchor < prev {
                    report(Diagnostic(.error, "E0403", "step `\(step.name)` at day \(step.offsetFromAnchor.days) comes before step `\(prevName)` at day \(prev.days)",
                                      at: Label(step.span, "out of order"), secondary: [Label(prevSpan, "previous step")],
                                      notes: ["steps fire in list order, so their offsets from the anchor must not decrease"],
                                      help: "move step `\(step.name)` above `\(prevName)`, or change its offset"))
                }
                previous = (step.offsetFromAnchor, step.span, step.name)
                steps.append(step)
            }
        }
        return Ladder(name: name, description: text(node["description"], "`description`"), file: file, span: nameScalar.span,
                      inputs: inputs, anchor: anchor, stopWhen: stop, steps: steps)
    }

    private mutating func step(_ index: Int, _ node: YAMLNode, scope: TypeScope, previous: Duration?) -> LadderStep? {
        guard let pairs = mapping(node, "step \(index + 1)") else { return nil }
        let stepName = node["name"].flatMap { $0.scalar }.flatMap { name($0, "step") } ?? "step\(index + 1)"
        let what = "step `\(stepName)`"
        checkKeys(pairs, allowed: Self.stepKeys, in: what)
        let span = node.keySpan("name") ?? node.span
        var offset = Duration(seconds: 0)
        var relative = false
        if let o = node["offset"] {
            offset = duration(o, "`offset`") ?? offset
            if node["after_previous"] != nil {
                report(.error("E0104", "\(what) has both `offset` and `after_previous`", at: span,
                              help: "use `offset` (from the anchor) or `after_previous` (from the step before), not both"))
            }
        } else if let o = node["after_previous"] {
            offset = duration(o, "`after_previous`") ?? offset
            relative = true
        } else {
            report(.error("E0102", "\(what) has no `offset`", at: span,
                          help: "add `offset: 7d` (days from the anchor) or `after_previous: 7d`"))
        }
        let fromAnchor = relative ? Duration(seconds: (previous?.seconds ?? 0) + offset.seconds) : offset
        let guardExpression = node["when"].flatMap { expression($0, scope: scope, expecting: .bool, "`when`") }
        // A step that charges a fee lets its actions read it as `fee` (money; zero when none was due).
        let actionScope = node["fee"] != nil && scope["fee"] == nil ? scope.adding("fee", .money) : scope
        let acts = node["do"].map { actions($0, scope: actionScope, what) } ?? []
        let fee = node["fee"].flatMap { feeRule($0, scope: scope) }
        let target = node["goto"].flatMap { scalar($0, "`goto`")?.text }
        var catchUp = false
        if let c = node["catch_up"].flatMap({ scalar($0, "`catch_up`") }) {
            switch c.text {
            case "true": catchUp = true
            case "false": break
            default: report(.error("E0105", "`catch_up` must be true or false, found `\(c.text)`", at: c.span))
            }
            if catchUp && target == nil {
                report(.error("E0105", "\(what) has `catch_up` but no `goto`", at: c.span,
                              help: "only a step that moves the instance on is caught up; notices and fees whose day has passed are skipped"))
            }
        }
        return LadderStep(name: stepName, span: span, offset: offset, relativeToPrevious: relative, offsetFromAnchor: fromAnchor,
                          guardExpression: guardExpression, actions: acts, fee: fee, target: target, catchUp: catchUp)
    }

    private mutating func feeRule(_ node: YAMLNode, scope: TypeScope) -> FeeRule? {
        guard let pairs = mapping(node, "`fee`") else { return nil }
        checkKeys(pairs, allowed: ["of", "percent", "flat", "minimum", "maximum"], in: "`fee`")
        let baseExpression: Expression?
        if let of = node["of"] {
            baseExpression = expression(of, scope: scope, expecting: .money, "`of`")
        } else if scope["balance"] != nil {
            baseExpression = expression(.scalar(YAMLScalar(text: "balance", span: node.span, style: .plain)), scope: scope, expecting: .money, "`of`")
        } else {
            report(.error("E0102", "`fee` has no `of`", at: node.span, help: "write `of: balance` (the amount the percent applies to)"))
            return nil
        }
        guard let base = baseExpression else { return nil }
        func part(_ key: String, _ type: ExprType) -> Expression? {
            node[key].flatMap { expression($0, scope: scope, expecting: type, "`\(key)`") }
        }
        return FeeRule(base: base, percent: part("percent", .decimal), flat: part("flat", .money),
                       minimum: part("minimum", .money), maximum: part("maximum", .money), span: node.span)
    }
}
