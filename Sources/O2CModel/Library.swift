import O2CCore
import O2CExpr

/// Everything loaded from `workflows/` and `rules/`: what an instance is pinned to.
public struct Library: Sendable {
    public var workflows: [Workflow]
    public var tables: [DecisionTable]
    public var ladders: [Ladder]
    public var policy: [PolicyValue]
    /// Path → text of every file read, for diagnostics and for pinning (stored with instances).
    public var sources: [String: String]
    /// Content hash of `sources`: the definition an instance is pinned to.
    public var hash: String

    public init(workflows: [Workflow] = [], tables: [DecisionTable] = [], ladders: [Ladder] = [],
                policy: [PolicyValue] = [], sources: [String: String] = [:], hash: String = "") {
        self.workflows = workflows
        self.tables = tables
        self.ladders = ladders
        self.policy = policy
        self.sources = sources
        self.hash = hash
    }

    public func workflow(_ name: String) -> Workflow? { workflows.first { $0.name == name } }
    public func table(_ name: String) -> DecisionTable? { tables.first { $0.name == name } }
    public func ladder(_ name: String) -> Ladder? { ladders.first { $0.name == name } }

    /// `policy` as one object value, the way expressions see it.
    public var policyValue: Value { .object(Dictionary(policy.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })) }
    public var policyType: ExprType { .object(ObjectType(policy.map { .init(name: $0.name, type: $0.type) })) }
}

extension Library {
    /// Every action call in the library's workflows and ladders, in document order: what the
    /// handler, template and scenario-world checks walk.
    public var actionCalls: [ActionCall] {
        var calls: [ActionCall] = []
        for wf in workflows {
            for st in wf.states {
                calls += st.entry + st.exit
                calls += st.on.flatMap { $0.transitions.flatMap(\.actions) }
                calls += st.after.flatMap(\.transition.actions) + st.always.flatMap(\.actions)
            }
        }
        for ladder in ladders { calls += ladder.steps.flatMap(\.actions) }
        return calls
    }
}
