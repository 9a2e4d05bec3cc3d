import O2CExpr

/// Every expression a workflow, table or ladder holds: what it can read (`Expression.references`)
/// is known before anything runs, so the interpreter binds only names something reads, and the
/// simulator knows which workflows a policy change cannot reach.
extension Workflow {
    public var expressions: [Expression] {
        var out = context.map(\.initial)
        func add(_ t: Transition) {
            if let g = t.guardExpression { out.append(g) }
            out += t.assignments.map(\.value)
            add(t.actions)
        }
        func add(_ calls: [ActionCall]) { for c in calls { out += c.arguments.map(\.value) + (c.guardExpression.map { [$0] } ?? []) } }
        for s in states {
            for h in s.on { h.transitions.forEach(add) }
            for t in s.after {
                switch t.deadline {
                case .relative: break
                case .relativeExpression(let e), .absolute(let e): out.append(e)
                }
                add(t.transition)
            }
            s.always.forEach(add)
            for d in s.decide { out += d.inputs.map(\.value) }
            if let l = s.ladder { out += l.inputs.map(\.value) }
            add(s.entry)
            add(s.exit)
        }
        return out
    }

    /// Whether any expression reads `name` or a field of it.
    public func reads(_ name: String) -> Bool {
        let prefix = name + "."
        return expressions.contains { e in e.references.contains { $0 == name || $0.hasPrefix(prefix) } }
    }
}

extension DecisionTable {
    public var expressions: [Expression] {
        var out = outputs.compactMap(\.defaultValue)
        for r in rules {
            out += r.outputs
            for test in r.tests {
                switch test.kind {
                case .any: break
                case .not(let atoms), .anyOf(let atoms): out += atoms.flatMap(\.expressions)
                }
            }
        }
        return out
    }
}

extension UnaryTest.Atom {
    public var expressions: [Expression] {
        switch self {
        case .equals(let e), .compare(_, let e), .predicate(let e): [e]
        case .range(let low, _, let high, _): [low, high]
        }
    }
}

extension Ladder {
    public var expressions: [Expression] {
        var out: [Expression] = stopWhen.map { [$0] } ?? []
        for s in steps {
            if let g = s.guardExpression { out.append(g) }
            for c in s.actions { out += c.arguments.map(\.value) + (c.guardExpression.map { [$0] } ?? []) }
            if let f = s.fee { out += [f.base] + [f.percent, f.flat, f.minimum, f.maximum].compactMap { $0 } }
        }
        return out
    }
}
