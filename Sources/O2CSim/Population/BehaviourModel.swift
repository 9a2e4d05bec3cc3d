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

    /// The events `effect` causes, each at its own time (never before the effect).
    public func answers(_ c: EffectContext) -> [ScheduledEvent] {
        var out: [Planned] = []
        let action = c.action, template = c.template ?? ""
        if action == traits.issueAction, let invoice = issuedInvoice(c) {
            out += customerPlan(invoice, from: c)
        } else if action.contains("reserve") {
            out += warehouse(c)
        } else if action.contains("label") {
            out += carrier(c)
        } else if action == "notify" {
            if template.contains("review") && (template.contains("overdue") || template.contains("escalat")) {
                out += reviewer(c, manager: true)
            } else if template.contains("write_off") {
                out += writeOffReview(c)
            } else if template.contains("review") {
                out += reviewer(c, manager: false)
            } else if isToCustomer(c) {
                if template.contains("stock") || template.contains("backorder") && template.contains("short") {
                    out += stockReply(c)
                } else if let invoice = receivable(c) {
                    out += customerFollowUp(invoice, notice: c)
                }
            }
        }
        if traits.issueAction == nil, c.workflow == traits.ledger, c.sequence == 1, c.effectId.hasSuffix(":0"), let invoice = receivable(c) {
            out += customerPlan(invoice, from: c)  // a library without an issuing action: the invoice's start is the trigger
        }
        return out.enumerated().compactMap { i, p in schedule(p, c, index: i) }
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

    func schedule(_ p: Planned, _ c: EffectContext, index: Int) -> ScheduledEvent? {
        let (instance, workflow) = p.target ?? (c.instanceId, c.workflow)
        guard let wf = library.workflow(workflow) else { return nil }
        let decl = p.candidates.lazy.compactMap { wf.event($0) }.first
            ?? (p.containing.isEmpty ? nil : wf.events.first { e in p.containing.allSatisfy { e.name.contains($0) } })
        guard let decl else { return nil }
        var facts = order(c)?.facts ?? Facts(now: p.at, currency: spec.currency)
        facts.now = p.at
        for (k, v) in p.facts { facts[k] = v }
        return ScheduledEvent(instanceId: instance, event: decl.name, payload: facts.build(decl.payload), at: max(p.at, c.at),
                              id: "\(c.effectId)/answer/\(index)")
    }

    /// The order an instance belongs to: from its id, else from any `SO-…` text in its data.
    func order(_ c: EffectContext) -> OrderFacts? {
        if let i = OrderFacts.index(in: c.instanceId), i < spec.orders { return OrderFacts.draw(spec, index: i) }
        for key in c.data.keys.sorted() {
            if let i = Self.orderIndex(in: c.data[key]!), i < spec.orders { return OrderFacts.draw(spec, index: i) }
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

extension Instant {
    func plus(days: Int = 0, hours: Int = 0, minutes: Int = 0) -> Instant {
        adding(Duration(seconds: Int64(days) * 86_400 + Int64(hours) * 3_600 + Int64(minutes) * 60))
    }
}
