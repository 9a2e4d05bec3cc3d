import O2CCore
import O2CModel
import O2CExpr

/// Reads a `workflow:` document (format in docs/language.md). Cross-checks happen in `WorkflowChecks`.
extension LoadContext {
    static let workflowKeys = ["workflow", "version", "description", "inputs", "context", "events", "start", "states"]

    /// What `instance` offers to every expression.
    static let instanceType = ExprType.object(ObjectType([
        .init(name: "id", type: .string), .init(name: "business_key", type: .optional(.string)),
        .init(name: "workflow", type: .string), .init(name: "state", type: .string), .init(name: "started_at", type: .datetime),
        .init(name: "parent_id", type: .optional(.string)),
    ]))

    mutating func workflow(_ node: YAMLNode, file: String, library: LibraryIndex) -> Workflow? {
        guard let pairs = mapping(node, "a workflow"), let nameNode = node["workflow"],
              let nameScalar = scalar(nameNode, "`workflow`"), let name = name(nameScalar, "workflow") else { return nil }
        let what = "workflow `\(name)`"
        checkKeys(pairs, allowed: Self.workflowKeys, in: what)
        let version = text(node["version"], "`version`")
        var inputs = ObjectType([])
        if let n = node["inputs"], let o = objectType(n, "`inputs`") { inputs = o }
        var scope = TypeScope([("policy", library.policyType), ("instance", Self.instanceType)])
        for f in inputs.fields {
            if f.name == "event" || f.name == "policy" || f.name == "instance" {
                report(.error("E0105", "input `\(f.name)` uses a reserved name", at: node["inputs"]?.keySpan(f.name) ?? nameScalar.span))
            }
            scope = scope.adding(f.name, f.type)
        }
        var context: [ContextVariable] = []
        if let n = node["context"], let vars = mapping(n, "`context`") {
            for (key, value) in vars {
                guard let varName = self.name(key, "context variable") else { continue }
                if inputs[varName] != nil {
                    report(.error("E0103", "context variable `\(varName)` has the same name as an input", at: key.span,
                                  help: "rename the variable; inputs and variables share one namespace"))
                    continue
                }
                var declared: ExprType?
                if let v = contextVariable(varName, key: key, value, scope: scope, declared: &declared) {
                    context.append(v)
                    scope = scope.adding(v.name, v.type)
                } else {
                    // Its error is reported; every later use of the name would only repeat it as
                    // "unknown name". With its declared type the uses are still checked against
                    // it; without one, `any` checks against anything, so those stay quiet.
                    scope = scope.adding(varName, declared ?? .any)
                }
            }
        }
        var events: [EventDeclaration] = []
        if let n = node["events"], let evs = mapping(n, "`events`") {
            for (key, value) in evs {
                guard let evName = self.name(key, "event") else { continue }
                let payload = (value.scalar?.isNull ?? false) ? ObjectType([]) : (objectType(value, "the payload of `\(evName)`") ?? ObjectType([]))
                events.append(EventDeclaration(name: evName, payload: payload, span: key.span))
            }
        }
        var start = ""
        var startSpan: Span?
        if let s = required(pairs, "start", in: what, at: nameScalar.span), let sc = scalar(s, "`start`") { (start, startSpan) = (sc.text, sc.span) }
        var states: [State] = []
        if let s = required(pairs, "states", in: what, at: nameScalar.span), let statePairs = mapping(s, "`states`") {
            if statePairs.isEmpty {
                report(.error("E0102", "`states` is empty: a workflow needs at least its start state", at: s.span,
                              help: start.isEmpty ? "add the states, each with `on:`, `after:`, `always:` or `final: true`"
                                                  : "add `\(start): {final: true}` and the states it leads to"))
            }
            workflowStates = Set(statePairs.map(\.key.text))
            defer { workflowStates = [] }
            for (key, value) in statePairs {
                guard let stateName = self.name(key, "state") else { continue }
                states.append(state(stateName, key: key, value, scope: scope, events: events, library: library))
            }
        }
        var workflow = Workflow(name: name, version: version, description: text(node["description"], "`description`"), file: file,
                                span: nameScalar.span, inputs: inputs, context: context, events: events, start: start, states: states)
        workflow.startSpan = startSpan
        return workflow
    }

    /// `declared`: the variable's `type:` when it has a valid one, also when the variable fails.
    private mutating func contextVariable(_ name: String, key: YAMLScalar, _ node: YAMLNode, scope: TypeScope,
                                          declared declaredOut: inout ExprType?) -> ContextVariable? {
        if case .mapping(let pairs, _) = node {
            checkKeys(pairs, allowed: ["type", "initial", "description"], in: "context variable `\(name)`")
            let declared = node["type"].flatMap { type($0, "context variable `\(name)`")?.0 }
            declaredOut = declared
            if let i = node["initial"] {
                guard let e = expression(i, scope: scope, expecting: declared, "the initial value of `\(name)`") else { return nil }
                return ContextVariable(name: name, type: declared ?? e.type, initial: e, span: key.span)
            }
            guard let t = declared else {
                report(.error("E0102", "context variable `\(name)` has neither `type` nor `initial`", at: key.span,
                              help: "write `\(name): {type: money, initial: 0 EUR}`"))
                return nil
            }
            guard t.isOptional else {
                report(.error("E0102", "context variable `\(name)` of type `\(t)` has no `initial`", at: key.span,
                              help: "add `initial:`, or make the type optional (`\(t)?`) to start as null"))
                return nil
            }
            return ContextVariable(name: name, type: t, initial: .constant(.null, type: t, at: key.span), span: key.span)
        }
        guard let e = expression(node, scope: scope, "the initial value of `\(name)`") else { return nil }
        if e.type == .null {
            report(.error("E0102", "cannot tell the type of context variable `\(name)` from `null`", at: key.span,
                          help: "write `\(name): {type: string?}`"))
            return nil
        }
        return ContextVariable(name: name, type: e.type, initial: e, span: key.span)
    }
}

/// What workflows can reference in the rules files, built before any workflow is read.
struct LibraryIndex {
    var tables: [String: DecisionTable]
    var ladders: [String: Ladder]
    var policyType: ExprType
}
