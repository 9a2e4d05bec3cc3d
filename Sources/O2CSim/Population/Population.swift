import O2CCore
import O2CExpr
import O2CModel

/// The orders of a book of business, in arrival order, generated one at a time.
///
/// Pure and streaming: order k is `plan(index: k)`, computed from the spec's seed and k alone
/// (no array of all orders is ever built), so a million-order population costs no memory and
/// any order can be re-derived from its id. The library is read only for the entry workflow's
/// declared inputs; policy values never influence a draw, so a baseline and a candidate policy
/// see exactly the same customers.
///
/// ```swift
/// for plan in Population(.demo, library: library) {
///     try runtime.start(workflow: plan.workflow, businessKey: plan.id, ..., now: plan.at)
/// }
/// ```
public struct Population: Sequence, Sendable {
    public let spec: PopulationSpec
    /// The workflow each order starts.
    public let workflow: String
    private let inputs: ObjectType

    public init(_ spec: PopulationSpec, library: Library) {
        self.spec = spec
        let wf = Self.entryWorkflow(spec, library)
        workflow = wf?.name ?? spec.workflow ?? "order"
        inputs = wf?.inputs ?? ObjectType([])
    }

    /// `spec.workflow` if set, else `order`, else the first workflow taking an `order` input.
    static func entryWorkflow(_ spec: PopulationSpec, _ library: Library) -> Workflow? {
        if let name = spec.workflow { return library.workflow(name) }
        return library.workflow("order") ?? library.workflows.first { $0.inputs["order"] != nil }
    }

    public var count: Int { spec.orders }
    public var underestimatedCount: Int { spec.orders }

    /// Order `index` (0-based), the same every time.
    public func plan(index: Int) -> OrderPlan {
        let f = OrderFacts.draw(spec, index: index)
        return OrderPlan(id: f.orderId, at: f.at, workflow: workflow, inputs: f.facts.build(inputs), behaviour: f.behaviour, facts: f)
    }

    /// The order an id (or any id containing it, like `invoice-SO-00042`) belongs to.
    public func plan(containing id: String) -> OrderPlan? {
        guard let i = OrderFacts.index(in: id), i < spec.orders else { return nil }
        return plan(index: i)
    }

    public func makeIterator() -> Iterator { Iterator(population: self) }

    public struct Iterator: IteratorProtocol, Sendable {
        let population: Population
        var index = 0
        public mutating func next() -> OrderPlan? {
            guard index < population.spec.orders else { return nil }
            defer { index += 1 }
            return population.plan(index: index)
        }
    }
}
