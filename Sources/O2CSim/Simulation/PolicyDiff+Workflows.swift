import O2CCore
import O2CExpr
import O2CModel

/// Workflows: inputs, events, states added or removed, and per state its transitions, actions,
/// tables and ladder. A transition is identified by its full text (trigger, guard, target,
/// assignments, actions), so an edited guard shows as one removed and one added transition.
extension PolicyDiff {
    static func workflows(_ a: Library, _ b: Library) -> [PolicyChange] {
        var out: [PolicyChange] = []
        let old = Dictionary(a.workflows.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let new = Dictionary(b.workflows.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for name in Set(old.keys).union(new.keys).sorted() {
            let subject = "workflow `\(name)`"
            switch (old[name], new[name]) {
            case (let x?, nil): out.append(PolicyChange(file: x.file, subject: subject, kind: .removed, detail: "removed (\(x.states.count) states)"))
            case (nil, let y?): out.append(PolicyChange(file: y.file, subject: subject, kind: .added, detail: "added (\(y.states.count) states)"))
            case (let x?, let y?): out += workflow(x, y)
            case (nil, nil): break
            }
        }
        return out
    }

    static func workflow(_ x: Workflow, _ y: Workflow) -> [PolicyChange] {
        var out: [PolicyChange] = []
        let subject = "workflow `\(y.name)`"
        func add(_ s: String, _ kind: PolicyChange.Kind, _ detail: String) { out.append(PolicyChange(file: y.file, subject: s, kind: kind, detail: detail)) }
        if x.version != y.version { add(subject, .changed, "version \(x.version) → \(y.version)") }
        if x.start != y.start { add(subject, .changed, "starts in `\(x.start)` → `\(y.start)`") }
        func fields(_ what: String, _ o: [String], _ n: [String]) {
            for f in Set(o).subtracting(n).sorted() { add(subject, .removed, "\(what) `\(f)` removed") }
            for f in Set(n).subtracting(o).sorted() { add(subject, .added, "\(what) `\(f)` added") }
        }
        fields("input", x.inputs.fields.map { "\($0.name): \($0.type)" }, y.inputs.fields.map { "\($0.name): \($0.type)" })
        fields("variable", x.context.map { "\($0.name) = \($0.initial.source)" }, y.context.map { "\($0.name) = \($0.initial.source)" })
        fields("event", x.events.map { "\($0.name) \($0.payload)" }, y.events.map { "\($0.name) \($0.payload)" })
        let oldStates = Set(x.stateNames)
        for s in x.states where y.state(s.name) == nil { add("\(subject) state `\(s.name)`", .removed, "removed") }
        for s in y.states {
            let stateSubject = "\(subject) state `\(s.name)`"
            guard oldStates.contains(s.name), let o = x.state(s.name) else {
                add(stateSubject, .added, "added" + (s.isFinal ? " (final)" : ""))
                continue
            }
            let before = StateText.parts(o), after = StateText.parts(s)
            for (label, old) in before {
                let new = after.first { $0.0 == label }?.1 ?? []
                for t in old where !new.contains(t) { add(stateSubject, .removed, "\(label) removed: \(t)") }
                for t in new where !old.contains(t) { add(stateSubject, .added, "\(label) added: \(t)") }
            }
        }
        return out
    }
}

/// The comparable parts of a state, each as a list of texts.
enum StateText {
    static func parts(_ s: State) -> [(String, [String])] {
        var transitions: [String] = []
        for h in s.on { transitions += h.transitions.map { transition("on \(h.event)", $0) } }
        for t in s.after {
            let when: String
            switch t.deadline {
            case .relative(let d): when = "after \(d)"
            case .relativeExpression(let e): when = "after \(e.source)"
            case .absolute(let e): when = "at \(e.source)"
            }
            transitions.append(transition(when, t.transition))
        }
        transitions += s.always.map { transition("always", $0) }
        var other: [(String, [String])] = [
            ("transition", transitions),
            ("entry action", s.entry.map(LadderText.action)),
            ("exit action", s.exit.map(LadderText.action)),
            ("decision", s.decide.map { d in "table `\(d.table)` as `\(d.alias)` with {" + d.inputs.map { "\($0.name): \($0.value.source)" }.joined(separator: ", ") + "}" }),
        ]
        if let l = s.ladder {
            other.append(("ladder", ["`\(l.ladder)` with {" + l.inputs.map { "\($0.name): \($0.value.source)" }.joined(separator: ", ") + "} fees to \(l.feesTo)"]))
        } else {
            other.append(("ladder", []))
        }
        other.append(("final", s.isFinal ? ["outcome `\(s.outcome ?? s.name)`"] : []))
        return other
    }

    /// "on payment_received [event.amount >= balance] → paid set {balance: …} do [notify {…}]".
    static func transition(_ trigger: String, _ t: Transition) -> String {
        var s = trigger
        if let g = t.guardExpression { s += " [\(g.source)]" }
        s += " → " + (t.target.map { "`\($0)`" } ?? "(stay)")
        if !t.assignments.isEmpty { s += " set {" + t.assignments.map { "\($0.variable): \($0.value.source)" }.joined(separator: ", ") + "}" }
        if !t.actions.isEmpty { s += " do \(LadderText.actions(t.actions))" }
        return s
    }

    /// Every expression of a workflow (as written), for finding where a policy value is used.
    static func expressions(_ w: Workflow) -> [String] {
        var out = w.context.map(\.initial.source)
        for s in w.states {
            let parts = parts(s)
            out += parts.flatMap(\.1)
        }
        return out
    }
}
