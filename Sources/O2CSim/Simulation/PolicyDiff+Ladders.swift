import O2CCore
import O2CExpr
import O2CModel

/// Dunning ladders: anchor, stop condition, and each step by name (its day, guard, fee, actions, move).
extension PolicyDiff {
    static func ladders(_ a: Library, _ b: Library) -> [PolicyChange] {
        var out: [PolicyChange] = []
        let old = Dictionary(a.ladders.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let new = Dictionary(b.ladders.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for name in Set(old.keys).union(new.keys).sorted() {
            let subject = "ladder `\(name)`"
            switch (old[name], new[name]) {
            case (let x?, nil): out.append(PolicyChange(file: x.file, subject: subject, kind: .removed, detail: "removed (\(x.steps.count) steps)"))
            case (nil, let y?): out.append(PolicyChange(file: y.file, subject: subject, kind: .added, detail: "added (\(y.steps.count) steps)"))
            case (let x?, let y?): out += ladder(x, y)
            case (nil, nil): break
            }
        }
        return out
    }

    static func ladder(_ x: Ladder, _ y: Ladder) -> [PolicyChange] {
        var out: [PolicyChange] = []
        let subject = "ladder `\(y.name)`"
        func add(_ s: String, _ kind: PolicyChange.Kind, _ detail: String) { out.append(PolicyChange(file: y.file, subject: s, kind: kind, detail: detail)) }
        if x.anchor != y.anchor { add(subject, .changed, "anchor `\(x.anchor)` → `\(y.anchor)`") }
        if x.stopWhen?.source != y.stopWhen?.source {
            add(subject, .changed, "stop when `\(x.stopWhen?.source ?? "never")` → `\(y.stopWhen?.source ?? "never")`")
        }
        if x.inputs != y.inputs { add(subject, .changed, "inputs \(x.inputs) → \(y.inputs)") }
        let oldSteps = Dictionary(x.steps.map { ($0.name, $0) }, uniquingKeysWith: { p, _ in p })
        let newSteps = Dictionary(y.steps.map { ($0.name, $0) }, uniquingKeysWith: { p, _ in p })
        for s in x.steps where newSteps[s.name] == nil {
            add("\(subject) step `\(s.name)`", .removed, "removed (was \(LadderText.day(s.offsetFromAnchor)))")
        }
        for s in y.steps {
            let stepSubject = "\(subject) step `\(s.name)`"
            guard let o = oldSteps[s.name] else {
                add(stepSubject, .added, "added at \(LadderText.day(s.offsetFromAnchor)): \(LadderText.step(s))")
                continue
            }
            if o.offsetFromAnchor != s.offsetFromAnchor {
                add(stepSubject, .changed, "\(LadderText.day(o.offsetFromAnchor)) → \(LadderText.dayNumber(s.offsetFromAnchor))")
            } else if o.relativeToPrevious != s.relativeToPrevious {
                add(stepSubject, .changed, "offset now counts from \(s.relativeToPrevious ? "the previous step" : "the anchor") (still \(LadderText.day(s.offsetFromAnchor)))")
            }
            if o.guardExpression?.source != s.guardExpression?.source {
                add(stepSubject, .changed, "when `\(o.guardExpression?.source ?? "always")` → `\(s.guardExpression?.source ?? "always")`")
            }
            let of = o.fee.map(LadderText.fee), nf = s.fee.map(LadderText.fee)
            if of != nf { add(stepSubject, .changed, "fee \(of ?? "none") → \(nf ?? "none")") }
            let oa = LadderText.actions(o.actions), na = LadderText.actions(s.actions)
            if oa != na { add(stepSubject, .changed, "actions \(oa) → \(na)") }
            if o.target != s.target { add(stepSubject, .changed, "goto \(o.target.map { "`\($0)`" } ?? "none") → \(s.target.map { "`\($0)`" } ?? "none")") }
            if o.catchUp != s.catchUp { add(stepSubject, .changed, "catch_up \(o.catchUp) → \(s.catchUp)") }
        }
        let kept = x.steps.map(\.name).filter { newSteps[$0] != nil }, keptNew = y.steps.map(\.name).filter { oldSteps[$0] != nil }
        if kept != keptNew { add(subject, .changed, "steps reordered: \(kept.joined(separator: ", ")) → \(keptNew.joined(separator: ", "))") }
        return out
    }
}

/// Ladder parts as analysts write them.
enum LadderText {
    /// "day 30", "day -3", "day 1d12h" (offsets count from the anchor, usually the due date).
    static func day(_ d: Duration) -> String { "day \(dayNumber(d))" }

    static func dayNumber(_ d: Duration) -> String {
        d.seconds % 86_400 == 0 ? "\(d.days)" : d.description
    }

    static func fee(_ f: FeeRule) -> String {
        var parts = ["of: \(f.base.source)"]
        if let p = f.percent { parts.append("percent: \(p.source)") }
        if let p = f.flat { parts.append("flat: \(p.source)") }
        if let p = f.minimum { parts.append("minimum: \(p.source)") }
        if let p = f.maximum { parts.append("maximum: \(p.source)") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    static func actions(_ calls: [ActionCall]) -> String {
        calls.isEmpty ? "none" : "[" + calls.map(action).joined(separator: ", ") + "]"
    }

    static func action(_ c: ActionCall) -> String {
        let args = c.literals.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" } + c.arguments.map { "\($0.name): \($0.value.source)" }
            + (c.guardExpression.map { ["when: \($0.source)"] } ?? [])
        return args.isEmpty ? c.name : "\(c.name) {\(args.joined(separator: ", "))}"
    }

    static func step(_ s: LadderStep) -> String {
        var parts: [String] = []
        if let g = s.guardExpression { parts.append("when `\(g.source)`") }
        if let f = s.fee { parts.append("fee \(fee(f))") }
        if !s.actions.isEmpty { parts.append("do \(actions(s.actions))") }
        if let t = s.target { parts.append("goto `\(t)`") }
        if s.catchUp { parts.append("catch_up") }
        return parts.isEmpty ? "no action" : parts.joined(separator: ", ")
    }
}
