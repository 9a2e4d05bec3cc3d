import O2CCore
import O2CEngine
import O2CModel

/// The outside world of a simulated book of business, as a pure function from one effect to
/// the events it causes later: the warehouse, the carrier, credit controllers, customers and
/// finance.
///
/// Deterministic: an answer depends on the seed, the instance id, the effect (action, template,
/// arguments, and the instance's data) and its time, never on what was asked before, so a
/// baseline and a candidate policy meet identical customers. Randomness for one answer comes
/// from the stream `(seed, "answer", instance, action, template)`; the customer's payment
/// behaviour is the order's (`OrderFacts.behaviour`, found from the `SO-…` id the instance
/// id or its data carries). Events the target workflow does not declare are not sent.
public struct BehaviourModel: Sendable {
    public let spec: PopulationSpec
    public let library: Library
    let traits: LibraryTraits

    public init(spec: PopulationSpec, library: Library) {
        self.spec = spec
        self.library = library
        traits = LibraryTraits(library)
    }

    /// The same answers to every effect: the model reads its library only for the traits and for
    /// the events each workflow declares (an answer is sent only as a declared event).
    public func answersAlike(_ other: BehaviourModel) -> Bool {
        guard spec == other.spec, traits == other.traits, library.workflows.count == other.library.workflows.count else { return false }
        for wf in library.workflows {
            guard let o = other.library.workflow(wf.name), library.workflow(wf.name)?.span == wf.span,
                  wf.events.map(\.name) == o.events.map(\.name), wf.events.map(\.payload) == o.events.map(\.payload) else { return false }
        }
        return true
    }

    /// The events `effect` causes, each at its own time (never before the effect).
    public func answers(_ c: EffectContext) -> [ScheduledEvent] {
        var cache = OrderCache()
        return answers(c, cache: &cache)
    }

    /// As `answers(_:)`, drawing each order's facts at most once per `cache` (the simulator keeps
    /// one for the whole run: an order's effects ask about the same order dozens of times).
    public func answers(_ c: EffectContext, cache: inout OrderCache) -> [ScheduledEvent] {
        var out: [Planned] = []
        let action = c.action, template = c.template ?? ""
        if action == traits.issueAction, let invoice = issuedInvoice(c) {
            out += customerPlan(invoice, from: c, cache: &cache)
        } else if action.has("reserve") {
            out += warehouse(c, cache: &cache)
        } else if action.has("label") {
            out += carrier(c, cache: &cache)
        } else if action.has("agency") {
            out += agencyRecovery(c)
        } else if action == "notify" {
            if template.has("review") && (template.has("overdue") || template.has("escalat")) {
                out += reviewer(c, manager: true, cache: &cache)
            } else if template.has("write_off") {
                out += writeOffReview(c)
            } else if template.has("review") {
                out += reviewer(c, manager: false, cache: &cache)
            } else if isToCustomer(c) {
                if template.has("stock") || template.has("backorder") && template.has("short") {
                    out += stockReply(c, cache: &cache)
                } else if let invoice = receivable(c) {
                    out += customerFollowUp(invoice, notice: c, cache: &cache)
                }
            }
        }
        if traits.issueAction == nil, c.workflow == traits.ledger, c.sequence == 1, c.effectId.hasSuffix(":0"), let invoice = receivable(c) {
            out += customerPlan(invoice, from: c, cache: &cache)  // a library without an issuing action: the invoice's start is the trigger
        }
        guard !out.isEmpty else { return [] }
        let facts = order(c, cache: &cache).map { cache.facts($0) }
        return out.enumerated().compactMap { i, p in schedule(p, c, facts: facts, index: i) }
    }

    /// An answer before it is matched to the workflow's declared events.
    struct Planned {
        /// Event names to try, first declared wins.
        var candidates: [String]
        /// Or: any declared event whose name contains all of these.
        var containing: [String] = []
        var at: Instant
        var facts: [String: Value] = [:]
        /// Another instance than the one that asked (payments go to the invoice), and its workflow.
        var target: (instance: String, workflow: String)?
    }

    func schedule(_ p: Planned, _ c: EffectContext, facts orderFacts: Facts?, index: Int) -> ScheduledEvent? {
        let (instance, workflow) = p.target ?? (c.instanceId, c.workflow)
        guard let wf = library.workflow(workflow) else { return nil }
        let decl = p.candidates.lazy.compactMap { wf.event($0) }.first
            ?? (p.containing.isEmpty ? nil : wf.events.first { e in p.containing.allSatisfy { e.name.has($0) } })
        guard let decl else { return nil }
        var facts = orderFacts ?? Facts(now: p.at, currency: spec.currency)
        facts.now = p.at
        for (k, v) in p.facts { facts[k] = v }
        return ScheduledEvent(instanceId: instance, event: decl.name, payload: facts.build(decl.payload), at: max(p.at, c.at),
                              id: "\(c.effectId)/answer/\(index)")
    }

    /// The order an instance belongs to: from its id, else from any `SO-…` text in its data.
    func order(_ c: EffectContext, cache: inout OrderCache) -> OrderFacts? {
        if let i = OrderFacts.index(in: c.instanceId), i < spec.orders { return cache.order(spec, index: i) }
        let data = c.data
        for key in data.keys.sorted() {
            if let i = Self.orderIndex(in: data[key]!), i < spec.orders { return cache.order(spec, index: i) }
        }
        return nil
    }

    static func orderIndex(in v: Value) -> Int? {
        switch v {
        case .string(let s): return OrderFacts.index(in: s)
        case .object(let o): return o.keys.sorted().lazy.compactMap { orderIndex(in: o[$0]!) }.first
        default: return nil
        }
    }

    func rng(_ c: EffectContext, _ purpose: String) -> SplitMix64 {
        SplitMix64(seed: spec.seed, "answer", c.instanceId, c.action, c.template ?? "", purpose)
    }

    /// Whether a notice goes to the customer rather than to a department mailbox.
    func isToCustomer(_ c: EffectContext) -> Bool {
        guard case .string(let to)? = c.arguments["to"] else { return c.arguments["channel"] == .string("post") }
        if case .string(let e)? = c.find("customer_email") ?? c.find("email") { return to == e }
        return !to.hasSuffix("@example.com")
    }
}

/// Orders drawn recently, and their facts: a direct-mapped cache, so memory stays flat however
/// many orders a run simulates. Drawing is pure, so a cached order equals a fresh draw.
public struct OrderCache {
    private static let size = 1024
    private var orders: [OrderFacts?] = Array(repeating: nil, count: size)
    private var facts: [Facts?] = Array(repeating: nil, count: size)

    public init() {}

    mutating func order(_ spec: PopulationSpec, index: Int) -> OrderFacts {
        let slot = index % Self.size
        if let o = orders[slot], o.index == index { return o }
        let o = OrderFacts.draw(spec, index: index)
        orders[slot] = o
        facts[slot] = nil
        return o
    }

    /// `order.facts`, built once per cached order.
    mutating func facts(_ order: OrderFacts) -> Facts {
        let slot = order.index % Self.size
        guard orders[slot]?.index == order.index else { return order.facts }
        if let f = facts[slot] { return f }
        let f = order.facts
        facts[slot] = f
        return f
    }
}

extension String {
    /// Whether `needle` occurs in this string, by UTF-8 bytes. Foundation's `contains` (which
    /// wins overload resolution once Foundation is imported anywhere in the module) goes through
    /// `NSString` and locale-aware search: it was 6% of a simulation for a dozen short names.
    func has(_ needle: String) -> Bool {
        var s = self, n = needle
        return s.withUTF8 { hay in
            n.withUTF8 { pin in
                guard pin.count <= hay.count else { return false }
                if pin.isEmpty { return true }
                var i = 0
                while i + pin.count <= hay.count {
                    if hay[i] == pin[0] {
                        var k = 1
                        while k < pin.count && hay[i + k] == pin[k] { k += 1 }
                        if k == pin.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}

extension Instant {
    func plus(days: Int = 0, hours: Int = 0, minutes: Int = 0) -> Instant {
        adding(Duration(seconds: Int64(days) * 86_400 + Int64(hours) * 3_600 + Int64(minutes) * 60))
    }
}
