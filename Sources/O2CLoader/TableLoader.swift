import O2CCore
import O2CModel
import O2CExpr

/// Reads a `decision:` document into a `DecisionTable` (format in docs/decision-tables.md).
extension LoadContext {
    static let tableKeys = ["decision", "description", "hit", "inputs", "outputs", "rules"]

    mutating func decisionTable(_ node: YAMLNode, file: String, policyType: ExprType) -> DecisionTable? {
        guard let pairs = mapping(node, "a decision table"), let nameNode = node["decision"],
              let nameScalar = scalar(nameNode, "`decision`"), let name = name(nameScalar, "decision table") else { return nil }
        let what = "decision table `\(name)`"
        checkKeys(pairs, allowed: Self.tableKeys, in: what)
        var hit = HitPolicy.unique
        if let h = node["hit"] {
            if let p = hitPolicy(h) { hit = p } else { unanalysedTables.insert(name) }
        }
        var scope = TypeScope([("policy", policyType)])
        var inputs: [TableInput] = []
        if let inputsNode = required(pairs, "inputs", in: what, at: nameScalar.span), let fields = objectType(inputsNode, "`inputs`") {
            for f in fields.fields {
                let span = inputsNode.keySpan(f.name) ?? inputsNode.span
                inputs.append(TableInput(name: f.name, type: f.type, span: span))
                scope = scope.adding(f.name, f.type)
            }
        }
        var outputs: [TableOutput] = []
        if let outputsNode = required(pairs, "outputs", in: what, at: nameScalar.span), let outPairs = mapping(outputsNode, "`outputs`") {
            for (key, value) in outPairs {
                guard let outName = self.name(key, "output") else { continue }
                outputs.append(output(outName, key: key, value, scope: scope))
            }
        }
        var rules: [TableRule] = []
        if let rulesNode = required(pairs, "rules", in: what, at: nameScalar.span), let items = sequence(rulesNode, "`rules`") {
            for (i, item) in items.enumerated() {
                if let r = rule(i + 1, item, inputs: inputs, outputs: outputs, scope: scope, table: name) { rules.append(r) }
            }
        }
        return DecisionTable(name: name, description: text(node["description"], "`description`"), file: file, span: nameScalar.span,
                             hitPolicy: hit, inputs: inputs, outputs: outputs, rules: rules)
    }

    private mutating func hitPolicy(_ node: YAMLNode) -> HitPolicy? {
        guard let s = scalar(node, "`hit`") else { return nil }
        let names: [String: HitPolicy] = [
            "unique": .unique, "first": .first, "priority": .priority, "any": .any, "collect": .collect(nil),
            "collect sum": .collect(.sum), "collect min": .collect(.min), "collect max": .collect(.max), "collect count": .collect(.count),
            "rule order": .ruleOrder, "output order": .outputOrder,
        ]
        let key = s.text.lowercased().replacingAll("_", with: " ").replacingAll("+", with: " sum").replacingAll("#", with: " count")
        if let p = names[key] { return p }
        let all = ["unique", "first", "priority", "any", "collect", "collect sum", "collect min", "collect max", "collect count", "rule order", "output order"]
        report(.error("E0105", "unknown hit policy `\(s.text)`", at: s.span, notes: ["hit policies: \(all.joined(separator: ", "))"],
                      help: Suggest.didYouMean(s.text, in: all)))
        return nil
    }

    private mutating func output(_ name: String, key: YAMLScalar, _ node: YAMLNode, scope: TypeScope) -> TableOutput {
        var type: ExprType = .string
        var values: [Value] = []
        var defaultValue: Expression?
        if case .mapping(let pairs, _) = node, pairs.contains(where: { $0.key.text == "values" || $0.key.text == "default" }) {
            checkKeys(pairs, allowed: ["type", "values", "default", "description"], in: "output `\(name)`")
            if let t = node["type"], let (parsed, _) = self.type(t, "output `\(name)`") { type = parsed }
            if let v = node["values"], let items = sequence(v, "`values`") {
                for item in items {
                    guard let s = scalar(item, "a value") else { continue }
                    let (e, ds) = Expression.compileOutputCell(s.text, at: s.span, outputType: type, scope: scope)
                    report(ds)
                    if let e, let value = try? e.evaluate(Environment(now: Instant(secondsSinceEpoch: 0))) { values.append(value) }
                }
            }
            if let d = node["default"], let s = scalar(d, "`default`") {
                let (e, ds) = Expression.compileOutputCell(s.text, at: s.span, outputType: type, scope: scope)
                report(ds)
                defaultValue = e
            }
        } else if let (parsed, _) = self.type(node, "output `\(name)`") {
            type = parsed
        }
        return TableOutput(name: name, type: type, values: values, defaultValue: defaultValue, span: key.span)
    }

    private mutating func rule(_ number: Int, _ node: YAMLNode, inputs: [TableInput], outputs: [TableOutput],
                               scope: TypeScope, table: String) -> TableRule? {
        guard let pairs = mapping(node, "rule \(number)") else { return nil }
        checkKeys(pairs, allowed: ["when", "then", "note"], in: "rule \(number) of table `\(table)`")
        var tests: [UnaryTest] = []
        var whenPairs: [(key: YAMLScalar, value: YAMLNode)] = []
        if let w = node["when"], let p = mapping(w, "`when`") { whenPairs = p }
        checkKeys(whenPairs, allowed: inputs.map(\.name), in: "`when` (the inputs of table `\(table)`)")
        for input in inputs {
            if let cellNode = whenPairs.first(where: { $0.key.text == input.name })?.value, let cell = scalar(cellNode, "a condition") {
                let (t, ds) = UnaryTest.compile(cell.text, at: cell.span, inputType: input.type, scope: scope)
                report(ds)
                guard let t else { return nil }
                tests.append(t)
            } else {
                let (t, _) = UnaryTest.compile("-", at: node.span, inputType: input.type, scope: scope)
                guard let t else { return nil }
                tests.append(t)
            }
        }
        var cells: [Expression] = []
        var thenPairs: [(key: YAMLScalar, value: YAMLNode)] = []
        if let t = required(pairs, "then", in: "rule \(number)", at: node.span), let p = mapping(t, "`then`") { thenPairs = p }
        checkKeys(thenPairs, allowed: outputs.map(\.name), in: "`then` (the outputs of table `\(table)`)")
        for output in outputs {
            if let cellNode = thenPairs.first(where: { $0.key.text == output.name })?.value, let cell = scalar(cellNode, "an output") {
                let (e, ds) = Expression.compileOutputCell(cell.text, at: cell.span, outputType: output.type, scope: scope)
                report(ds)
                guard let e else { return nil }
                cells.append(e)
            } else if let d = output.defaultValue {
                cells.append(d)
            } else {
                cells.append(Expression.constant(.null, type: .optional(output.type.unwrapped), at: node.span))
            }
        }
        return TableRule(number: number, span: node.span, tests: tests, outputs: cells,
                         annotation: node["note"].flatMap { $0.scalar?.text })
    }
}
