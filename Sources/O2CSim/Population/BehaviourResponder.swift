import O2CCore
import O2CEngine
import O2CModel

/// Answers effects like the outside world, for the virtual engine: the warehouse
/// (`reserve_stock` → `stock_reserved` / `stock_short` by stock availability), the carrier
/// (label, pickup, delivery a few days later), customers (payments per behaviour relative to the
/// due date, replies to stock-short notices, disputes), finance reviewers and the agency.
///
/// Deterministic given the seed: answers depend only on (seed, instance id, effect), never on
/// call order, so baseline and candidate policies see identical customers. The rules are
/// `BehaviourModel`'s; the runtime's demo handlers ask the same model.
public struct BehaviourResponder: EffectResponder {
    public let model: BehaviourModel
    private let orders: SharedOrderCache

    /// `orders` may be shared by responders of the same `spec` (the baseline's and the
    /// candidate's): an order's facts depend on the spec and its index only.
    public init(spec: PopulationSpec, library: Library, orders: SharedOrderCache = SharedOrderCache()) {
        model = BehaviourModel(spec: spec, library: library)
        self.orders = orders
    }

    public mutating func respond(to effect: Effect, of instance: Snapshot, at: Instant) -> [ScheduledEvent] {
        model.answers(EffectContext(effect, of: instance, at: at), cache: &orders.cache)
    }

    /// The cache only saves work; the answers are the model's, a pure function.
    public func answersAlike(_ other: BehaviourResponder) -> Bool { model.answersAlike(other.model) }
}

/// One `OrderCache` for the responders of one run. The baseline's and the candidate's responder
/// each drew every order they were asked about, and built its facts, once more; an order's facts
/// depend on the population spec and the order's index only, never on the policy.
public final class SharedOrderCache {
    var cache = OrderCache()
    public init() {}
}
