import O2CCore
import O2CExpr

/// State diagrams generated from the model, never drawn by hand (Temporal's `.puml` habit).
public enum WorkflowGraph {
    public enum Format: String, Sendable, CaseIterable { case mermaid, dot }

    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var label: String
    }

    /// Every edge in document order: events, timers, `always`, ladder steps.
    public static func edges(_ wf: Workflow, ladders: [Ladder]) -> [Edge] {
        var edges: [Edge] = []
        for st in wf.states {
            for h in st.on {
                for t in h.transitions {
                    edges.append(Edge(from: st.name, to: t.target ?? st.name, label: h.event + guardText(t)))
                }
            }
            for timer in st.after {
                let when: String
                switch timer.deadline {
                case .relative(let d): when = "after \(d)"
                case .relativeExpression(let e): when = "after \(e.source)"
                case .absolute(let e): when = "at \(e.source)"
                }
                edges.append(Edge(from: st.name, to: timer.transition.target ?? st.name, label: when + guardText(timer.transition)))
            }
            for t in st.always where t.target != nil {
                edges.append(Edge(from: st.name, to: t.target!, label: t.guardExpression.map { "[\($0.source)]" } ?? "else"))
            }
            if let binding = st.ladder, let ladder = ladders.first(where: { $0.name == binding.ladder }) {
                for step in ladder.steps where step.target != nil {
                    edges.append(Edge(from: st.name, to: step.target!, label: "\(ladder.name).\(step.name) (day \(step.offsetFromAnchor.days))"))
                }
            }
        }
        return edges
    }

    private static func guardText(_ t: Transition) -> String {
        t.guardExpression.map { " [\($0.source)]" } ?? ""
    }

    public static func render(_ wf: Workflow, ladders: [Ladder], format: Format) -> String {
        let edges = edges(wf, ladders: ladders)
        switch format {
        case .mermaid:
            var out = "stateDiagram-v2\n    [*] --> \(wf.start)\n"
            for e in edges { out += "    \(e.from) --> \(e.to): \(mermaidEscape(e.label))\n" }
            for st in wf.states where st.isFinal { out += "    \(st.name) --> [*]\n" }
            return out
        case .dot:
            var out = "digraph \(wf.name) {\n    rankdir=LR;\n    node [shape=box, style=rounded];\n    __start [shape=point];\n    __start -> \(wf.start);\n"
            for st in wf.states where st.isFinal { out += "    \(st.name) [peripheries=2];\n" }
            for e in edges { out += "    \(e.from) -> \(e.to) [label=\"\(dotEscape(e.label))\"];\n" }
            return out + "}\n"
        }
    }

    private static func mermaidEscape(_ s: String) -> String {
        s.replacingAll(":", with: "#58;").replacingAll("\"", with: "#quot;")
    }

    private static func dotEscape(_ s: String) -> String {
        s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
    }
}
