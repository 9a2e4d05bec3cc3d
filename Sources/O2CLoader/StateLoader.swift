import O2CCore
import O2CModel
import O2CExpr

/// Reads one state and its transitions, timers, decisions, ladder and actions.
extension LoadContext {
    static let stateKeys = ["description", "on", "after", "always", "decide", "ladder", "entry", "exit", "final", "outcome"]
    static let transitionKeys = ["goto", "when", "do", "set", "description"]

    mutating func state(_ name: String, key: YAMLScalar, _ node: YAMLNode, scope base: TypeScope,
                        events: [EventDeclaration], library: LibraryIndex) -> State {
        var st = State(name: name, span: key.span)
        let errorsBefore = diagnostics.errorCount
        defer { if diagnostics.errorCount > errorsBefore { suspectStates.insert(name) } }
        guard let pairs = mapping(node, "state `\(name)`") else { return st }
        checkKeys(pairs, allowed: Self.stateKeys, in: "state `\(name)`")
        st.description = text(node["description"], "`description`")
        if let f = node["final"] { st.isFinal = bool(f, "`final`") ?? false }
        if let o = node["outcome"] { st.outcome = scalar(o, "`outcome`")?.text }
        var scope = base
        if let d = node["decide"] {
            var unknownAliases: [String] = []
            st.decide = decisions(d, scope: base, library: library, unknownAliases: &unknownAliases)
            for binding in st.decide {
                if let table = library.tables[binding.table] { scope = scope.adding(binding.alias, table.resultType) }
            }
            // A misspelt table is reported once; its alias stays in scope so uses add nothing.
            for alias in unknownAliases { scope = scope.adding(alias, .any) }
        }
        if let l = node["ladder"] { st.ladder = ladderBinding(l, scope: base, library: library) }
        if let e = node["entry"] { st.entry = actions(e, scope: base, "`entry` of state `\(name)`") }
        if let e = node["exit"] { st.exit = actions(e, scope: scope, "`exit` of state `\(name)`") }
        if let a = node["always"] { st.always = transitions(a, scope: scope, "`always` of state `\(name)`") }
        if let a = node["after"] { st.after = timers(a, scope: scope, state: name) }
        if let o = node["on"], let handlers = mapping(o, "`on`") {
            var seen: [String: Span] = [:]
            for (eventKey, value) in handlers {
                let eventName = eventKey.text
                if let first = seen[eventName] {
                    report(Diagnostic(.error, "E0103", "event `\(eventName)` is handled twice in state `\(name)`",
                                      at: Label(eventKey.span, "handled again here"), secondary: [Label(first, "first handled here")],
                                      help: "merge them into one list of guarded transitions"))
                    continue
                }
                seen[eventName] = eventKey.span
                var eventScope = scope
                if let ev = events.first(where: { $0.name == eventName }) {
                    eventScope = scope.adding("event", .object(ev.payload))
                } else {
                    report(.error("E0202", "state `\(name)` handles unknown event `\(eventName)`", at: eventKey.span,
                                  notes: events.isEmpty ? ["the workflow declares no `events`"] : ["events: \(Suggest.list(events.map(\.name)))"],
                                  help: Suggest.didYouMean(eventName, in: events.map(\.name)) ?? "declare it under `events:`"))
                    eventScope = scope.adding("event", .any)
                }
                st.on.append(EventHandler(event: eventName, span: eventKey.span,
                                          transitions: transitions(value, scope: eventScope, "`on: \(eventName)` of state `\(name)`")))
            }
        }
        return st
    }

    /// A transition list: a target name, one mapping, or a list of guarded mappings.
    mutating func transitions(_ node: YAMLNode, scope: TypeScope, _ what: String) -> [Transition] {
        switch node {
        case .scalar(let s):
            return [Transition(target: s.isNull ? nil : s.text, span: s.span)]
        case .mapping:
            return transition(node, scope: scope, what).map { [$0] } ?? []
        case .sequence(let items, _):
            return items.compactMap { transition($0, scope: scope, what) }
        }
    }

    mutating func transition(_ node: YAMLNode, scope: TypeScope, _ what: String, extraKeys: [String] = []) -> Transition? {
        if case .scalar(let s) = node { return Transition(target: s.text, span: s.span) }
        guard let pairs = mapping(node, "a transition in \(what)") else { return nil }
        // `{held}` for `{goto: held}`: a bare state name where a key belongs.
        let allowed = Self.transitionKeys + extraKeys
        let bareStates = pairs.filter { !allowed.contains($0.key.text) && workflowStates.contains($0.key.text) && ($0.value.scalar?.isNull ?? false) }
        for (key, _) in bareStates {
            report(.error("E0101", "`\(key.text)` is a state, not a key of a transition in \(what)", at: key.span,
                          help: "write `goto: \(key.text)`"))
        }
        checkKeys(pairs.filter { p in !bareStates.contains { $0.key.span == p.key.span } }, allowed: allowed, in: "a transition in \(what)")
        var t = Transition(target: nil, span: node.keySpan("goto") ?? node.span)
        if let g = node["goto"], let s = scalar(g, "`goto`") { t.target = s.isNull ? nil : s.text; t.span = s.span }
        if let w = node["when"] { t.guardExpression = expression(w, scope: scope, expecting: .bool, "`when`") }
        if let d = node["do"] { t.actions = actions(d, scope: scope, what) }
        if let s = node["set"], let assigns = mapping(s, "`set`") {
            for (key, value) in assigns {
                guard let target = scope[key.text] else {
                    report(.error("E0207", "`set` assigns unknown context variable `\(key.text)`", at: key.span,
                                  help: Suggest.didYouMean(key.text, in: scope.names) ?? "declare it under `context:`"))
                    continue
                }
                if let e = expression(value, scope: scope, expecting: target, "the value of `\(key.text)`") {
                    t.assignments.append(Assignment(variable: key.text, value: e, span: key.span))
                }
            }
        }
        return t
    }

    /// `after:` as a list (`- {in: 7d, goto: x}` / `- {at: expr, goto: x}`) or a mapping (`7d: x`).
    private mutating func timers(_ node: YAMLNode, scope: TypeScope, state: String) -> [TimerDefinition] {
        var result: [TimerDefinition] = []
        let what = "`after` of state `\(state)`"
        switch node {
        case .mapping(let pairs, _):
            for (key, value) in pairs {
                guard let d = duration(.scalar(key), "a timer delay") else { continue }
                if let t = transition(value, scope: scope, what) {
                    result.append(TimerDefinition(key: "after.\(result.count)", deadline: .relative(d), transition: t, span: key.span))
                }
            }
        case .sequence(let items, _):
            for item in items {
                guard case .mapping(let pairs, _) = item else {
                    report(.error("E0104", "each timer in \(what) is a mapping with `in:` or `at:`", at: item.span))
                    continue
                }
                let deadline: TimerDefinition.Deadline
                if let i = item["in"] {
                    if let s = i.scalar, let d = Duration(parsing: s.text) {
                        deadline = .relative(d)
                    } else {
                        guard let e = expression(i, scope: scope, expecting: .duration, "`in`") else { continue }
                        deadline = .relativeExpression(e)
                    }
                } else if let a = item["at"] {
                    guard let e = expression(a, scope: scope, "`at`") else { continue }
                    guard [.date, .datetime].contains(e.type.unwrapped) else {
                        report(.error("E0504", "`at` must be a date or datetime, found `\(e.type)`", at: e.span))
                        continue
                    }
                    deadline = .absolute(e)
                } else {
                    report(.error("E0102", "timer in \(what) has neither `in` nor `at`", at: item.span,
                                  help: "write `in: 7d` (after entering the state) or `at: due_date + 30d` (a deadline)"))
                    continue
                }
                _ = pairs
                if let t = transition(item, scope: scope, what, extraKeys: ["in", "at"]) {
                    result.append(TimerDefinition(key: "after.\(result.count)", deadline: deadline, transition: t, span: item.keySpan("in") ?? item.keySpan("at") ?? item.span))
                }
            }
        case .scalar:
            report(.error("E0104", "\(what) must be a list of timers or a mapping of delays", at: node.span,
                          help: "write `after: {7d: escalated}` or `after: [{in: 7d, goto: escalated}]`"))
        }
        return result
    }

    /// `decide:` a table name, `{table, with, as}`, or a list of those.
    private mutating func decisions(_ node: YAMLNode, scope: TypeScope, library: LibraryIndex,
                                    unknownAliases: inout [String]) -> [DecisionBinding] {
        let items: [YAMLNode]
        if case .sequence(let list, _) = node { items = list } else { items = [node] }
        var result: [DecisionBinding] = []
        for item in items {
            var tableScalar: YAMLScalar?
            var withNode: YAMLNode?
            var alias: String?
            switch item {
            case .scalar(let s): tableScalar = s
            case .mapping(let pairs, _):
                checkKeys(pairs, allowed: ["table", "with", "as"], in: "`decide`")
                tableScalar = required(pairs, "table", in: "`decide`", at: item.span).flatMap { scalar($0, "`table`") }
                withNode = item["with"]
                alias = item["as"].flatMap { $0.scalar }.flatMap { name($0, "decision alias") }
            case .sequence:
                report(.error("E0104", "`decide` items are a table name or `{table, with, as}`", at: item.span))
            }
            guard let ts = tableScalar else { continue }
            guard let table = library.tables[ts.text] else {
                report(.error("E0203", "unknown decision table `\(ts.text)`", at: ts.span,
                              notes: library.tables.isEmpty ? ["no decision tables were loaded from rules/"] : ["tables: \(Suggest.list(library.tables.keys.sorted()))"],
                              help: Suggest.didYouMean(ts.text, in: library.tables.keys.sorted())))
                unknownAliases.append(alias ?? ts.text)
                continue
            }
            let bound = bindings(withNode, inputs: ObjectType(table.inputs.map { .init(name: $0.name, type: $0.type) }),
                                 scope: scope, what: "table `\(table.name)`", at: ts.span)
            result.append(DecisionBinding(table: table.name, alias: alias ?? table.name, inputs: bound, span: ts.span))
        }
        return result
    }

    /// `ladder:` a ladder name or `{use, with, fees_to}`.
    private mutating func ladderBinding(_ node: YAMLNode, scope: TypeScope, library: LibraryIndex) -> LadderBinding? {
        var nameScalar: YAMLScalar?
        var withNode: YAMLNode?
        var feesTo: [String] = []
        switch node {
        case .scalar(let s): nameScalar = s
        case .mapping(let pairs, _):
            checkKeys(pairs, allowed: ["use", "with", "fees_to"], in: "`ladder`")
            nameScalar = required(pairs, "use", in: "`ladder`", at: node.span).flatMap { scalar($0, "`use`") }
            withNode = node["with"]
            if let f = node["fees_to"] {
                let items: [YAMLNode]
                if case .sequence(let list, _) = f { items = list } else { items = [f] }
                for item in items {
                    guard let s = scalar(item, "a context variable") else { continue }
                    if scope[s.text]?.unwrapped != .money {
                        report(.error("E0207", "`fees_to` names `\(s.text)`, which is not a money context variable", at: s.span,
                                      help: Suggest.didYouMean(s.text, in: scope.names)))
                    } else {
                        feesTo.append(s.text)
                    }
                }
            }
        case .sequence:
            report(.error("E0104", "`ladder` is a ladder name or `{use, with, fees_to}`", at: node.span))
        }
        guard let ns = nameScalar else { return nil }
        guard let ladder = library.ladders[ns.text] else {
            report(.error("E0204", "unknown ladder `\(ns.text)`", at: ns.span,
                          notes: library.ladders.isEmpty ? ["no ladders were loaded from rules/"] : ["ladders: \(Suggest.list(library.ladders.keys.sorted()))"],
                          help: Suggest.didYouMean(ns.text, in: library.ladders.keys.sorted())))
            return nil
        }
        let bound = bindings(withNode, inputs: ladder.inputs, scope: scope, what: "ladder `\(ladder.name)`", at: ns.span)
        return LadderBinding(ladder: ladder.name, inputs: bound, feesTo: feesTo, span: ns.span)
    }

    /// Binds each input of a table or ladder: from `with:`, else a same-named name in scope.
    private mutating func bindings(_ node: YAMLNode?, inputs: ObjectType, scope: TypeScope, what: String, at span: Span) -> [(name: String, value: Expression)] {
        var given: [(key: YAMLScalar, value: YAMLNode)] = []
        if let node, let pairs = mapping(node, "`with`") { given = pairs }
        for (key, _) in given where inputs[key.text] == nil {
            report(.error("E0208", "\(what) has no input `\(key.text)`", at: key.span, notes: ["inputs: \(inputs.names.joined(separator: ", "))"],
                          help: Suggest.didYouMean(key.text, in: inputs.names)))
        }
        var result: [(name: String, value: Expression)] = []
        for field in inputs.fields {
            if let v = given.first(where: { $0.key.text == field.name })?.value {
                // "expected `money`, found `int`" alone does not say what expected it.
                let expected = "expected `\(field.type)`, "
                let e = expression(v, scope: scope, expecting: field.type, "input `\(field.name)` of \(what)") { d in
                    guard d.code == "E0504", d.message.hasPrefix(expected) else { return d }
                    var bound = d
                    bound.code = "E0208"
                    bound.message = "input `\(field.name)` of \(what) is a `\(field.type)`, " + d.message.dropFirst(expected.count)
                    return bound
                }
                if let e { result.append((field.name, e)) }
            } else if let t = scope[field.name] {
                let (e, ds) = Expression.compile(field.name, at: span, scope: scope, expecting: field.type)
                if let e, !ds.hasErrors { result.append((field.name, e)) } else {
                    report(.error("E0208", "input `\(field.name)` of \(what) is a `\(field.type)`, but `\(field.name)` here is a `\(t)`", at: span,
                                  help: "bind it explicitly under `with:`"))
                }
            } else {
                report(.error("E0208", "input `\(field.name)` of \(what) is not bound", at: span,
                              help: "add `with: {\(field.name): <expression>}`"))
            }
        }
        return result
    }
}
