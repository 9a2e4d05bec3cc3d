import O2CCore
import O2CModel
import O2CExpr

/// Cross-checks inside one workflow once all its states are read: targets exist, every state is
/// reachable from `start`, every non-final state has a way out, final states stay final.
enum WorkflowChecks {
    /// `suspect`: states that already have a structural error; checks that would only repeat
    /// its consequence ("no way out" after a misspelled `on`) are skipped for them.
    static func check(_ wf: Workflow, ladders: [String: Ladder], suspect: Set<String> = []) -> [Diagnostic] {
        var ds: [Diagnostic] = []
        let names = wf.stateNames
        func unknownTarget(_ target: String, at span: Span) {
            ds.append(.error("E0201", "transition targets unknown state `\(target)`", at: span, label: "no state named `\(target)` in workflow `\(wf.name)`",
                             notes: ["states: \(Suggest.list(names))"], help: Suggest.didYouMean(target, in: names)))
        }
        if wf.state(wf.start) == nil && !wf.start.isEmpty && !wf.states.isEmpty {
            ds.append(.error("E0201", "`start` names unknown state `\(wf.start)`", at: wf.startSpan ?? wf.span,
                             notes: ["states: \(Suggest.list(names))"], help: Suggest.didYouMean(wf.start, in: names)))
        }
        var edges: [String: [String]] = [:]
        for st in wf.states {
            var out: [String] = []
            for t in outgoing(st) {
                guard let target = t.target else { continue }
                if wf.state(target) == nil {
                    unknownTarget(target, at: t.span)
                    out.append("?" + target) // a way out, misspelled: not also a dead end
                } else {
                    out.append(target)
                }
            }
            if let binding = st.ladder, let ladder = ladders[binding.ladder] {
                for step in ladder.steps {
                    guard let target = step.target else { continue }
                    if wf.state(target) == nil {
                        ds.append(.error("E0201", "step `\(step.name)` of ladder `\(ladder.name)` targets unknown state `\(target)`",
                                         at: binding.span, label: "attached here", notes: ["states of `\(wf.name)`: \(Suggest.list(names))"],
                                         help: Suggest.didYouMean(target, in: names) ?? "add a state `\(target)` to the workflow"))
                    } else {
                        out.append(target)
                    }
                }
            }
            edges[st.name] = out
            if st.isFinal && (!st.on.isEmpty || !st.after.isEmpty || !st.always.isEmpty || st.ladder != nil) {
                ds.append(.error("E0303", "final state `\(st.name)` has transitions", at: st.span,
                                 notes: ["an instance stops in a final state; its transitions could never run"],
                                 help: "remove `final: true`, or remove the transitions"))
            }
            if !st.isFinal && out.allSatisfy({ $0 == st.name }) && !suspect.contains(st.name) {
                ds.append(.error("E0302", "state `\(st.name)` is not final and has no way out", at: st.span,
                                 notes: ["an instance entering it would wait forever"],
                                 help: "add `final: true`, or a transition (`on`, `after`, `always`) to another state"))
            }
        }
        var reached: Set<String> = [wf.start]
        var queue = [wf.start]
        while let s = queue.popLast() {
            for next in edges[s] ?? [] where reached.insert(next).inserted { queue.append(next) }
        }
        // With a misspelled target or a broken state the graph is incomplete: no reachability guesses.
        let graphComplete = !edges.values.joined().contains { $0.hasPrefix("?") } && suspect.isEmpty
        for st in wf.states where !reached.contains(st.name) && wf.state(wf.start) != nil && graphComplete {
            ds.append(.warning("W0301", "state `\(st.name)` is unreachable from `\(wf.start)`", at: st.span,
                               help: "add a transition into it, or remove it"))
        }
        return ds
    }

    static func outgoing(_ st: State) -> [Transition] {
        st.on.flatMap(\.transitions) + st.after.map(\.transition) + st.always
    }
}
