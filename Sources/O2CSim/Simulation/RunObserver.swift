import O2CCore
import O2CEngine
import O2CExpr
import O2CModel

/// Watches one run (baseline or candidate): tallies the key figures as steps happen and buffers
/// each order's new trace items until the comparer takes them (`drain`).
///
/// An order is a *root*: a top-level instance together with the children it starts (credit
/// check, invoice…); its trace interleaves theirs. What is kept per order lives only while the
/// order is running: once all of its instances have finished and the comparer has drained it,
/// it is forgotten, so memory follows the orders in flight, not the orders simulated.
public struct RunObserver: StepObserver {
    public let spec: KPISpec
    let library: Library
    public internal(set) var tally = KPITally()
    /// Replay keeps how each order ended (`completed` orders by outcome), to check the baseline
    /// replay against the recording; synthetic runs do not (it would grow with the orders).
    public var keepsOutcomes = false
    public internal(set) var outcomes: [String: String] = [:]
    var roots = RootTable()
    private var rootOf: [String: String] = [:]
    var balances: [String: Money] = [:]
    private var touched: [String] = []
    /// Ids of payment events an instance passed on while handling a payment (an invoice telling
    /// its collections case): the cash was counted once, where it arrived.
    private var forwarded: Set<String> = []

    struct RootState {
        var start: Instant
        var amount: Money?
        var live = 0
        var members: [String] = []
        var items: [TraceItem] = []
        var touched = false
        var decided = false
        var suspended = false
        var handedOff = false
    }

    /// What `drain` hands over for one order.
    public struct Drained: Sendable {
        public var root: String
        public var start: Instant
        public var amount: Money?
        public var items: [TraceItem]
        /// Every instance of the order has finished.
        public var closed: Bool
    }

    /// The spec's action and state sets, for the per-effect and per-move tests.
    let suspensionActions: NameList, agencyActions: NameList, suspensionStates: NameList, agencyStates: NameList

    public init(spec: KPISpec, library: Library) {
        self.spec = spec
        self.library = library
        suspensionActions = NameList(spec.suspensionActions)
        agencyActions = NameList(spec.agencyActions)
        suspensionStates = NameList(spec.suspensionStates)
        agencyStates = NameList(spec.agencyStates)
    }

    public mutating func observe(_ step: Step, input: Input, at: Instant) {
        observe(step, input: input, at: at, trace: Self.trace(of: step, at: at))
    }

    /// What `step` adds to its order's trace: the same under both policies when they took the
    /// step together, so the paired engine works it out once for both observers.
    static func trace(of step: Step, at: Instant) -> [TraceItem] {
        let s = step.snapshot
        var items: [TraceItem] = []
        items.reserveCapacity(step.history.count)
        var effectIndex = 0
        for h in step.history {
            switch h.kind {
            case "transition":
                guard case .string(let from)? = h.fields["from"], case .string(let to)? = h.fields["to"] else { continue }
                items.append(TraceItem(at: at, instance: s.instanceId, workflow: s.workflow, state: from, what: .moved(to: to)))
            case "effect":
                guard effectIndex < step.effects.count else { continue }
                let e = step.effects[effectIndex]
                effectIndex += 1
                items.append(TraceItem(at: at, instance: s.instanceId, workflow: s.workflow, state: e.state,
                                       what: .effect(action: e.action, detail: TraceItem.detail(of: e.arguments))))
            case "completed":
                items.append(TraceItem(at: at, instance: s.instanceId, workflow: s.workflow, state: s.state, what: .completed(outcome: s.outcome ?? s.state)))
            case "failed":
                let message = h.fields["message"]?.plainText ?? ""
                items.append(TraceItem(at: at, instance: s.instanceId, workflow: s.workflow, state: s.state, what: .failed(message: message)))
            default:
                continue
            }
        }
        return items
    }

    /// `observe`, with the step's trace items already made (`trace(of:at:)`).
    mutating func observe(_ step: Step, input: Input, at: Instant, trace items: [TraceItem]) {
        tally.steps += 1
        let s = step.snapshot
        let root = rootFor(s, input: input, at: at)
        var effectIndex = 0
        var ignored = false
        for h in step.history {
            switch h.kind {
            case "transition":
                guard case .string? = h.fields["from"], case .string(let to)? = h.fields["to"] else { continue }
                if suspensionStates.contains(to) { markSuspended(root) }
                if agencyStates.contains(to) { markHandedOff(root) }
            case "effect":
                guard effectIndex < step.effects.count else { continue }
                let e = step.effects[effectIndex]
                effectIndex += 1
                count(e, root: root)
            case "decision":
                decision(h.fields, root: root)
            case "ignored":
                ignored = true
            default:
                continue
            }
        }
        if case .event(let name, let payload, let id) = input, spec.paymentEvents.contains(name) {
            if let id, forwarded.remove(id) != nil {
                // passed on by another instance: already counted
            } else if !ignored, case .money(let m)? = payload["amount"] {
                payment(m, at: at, root: root)
            }
            for e in step.effects where e.action == "emit" {
                if case .string(let event)? = e.arguments["event"], spec.paymentEvents.contains(event) { forwarded.insert(e.id) }
            }
        }
        balance(s, input: input)
        if !items.isEmpty { append(items, to: root) }
        if s.status != .active { finished(s, root: root) }
    }

    /// Adds an item the engine did not produce (a refused replayed event) to an order in flight.
    /// Returns false when the order is no longer known here.
    @discardableResult
    public mutating func note(_ item: TraceItem, root: String) -> Bool {
        guard roots.contains(root) else { return false }
        append([item], to: root)
        return true
    }

    /// Hands over every order with new items since the last call, in the order they were first
    /// touched (deterministic), and forgets orders that have finished.
    public mutating func drain() -> [Drained] {
        var out: [Drained] = []
        out.reserveCapacity(touched.count)
        for root in touched {
            guard var r = roots.state(root) else { continue }
            let closed = r.live <= 0
            out.append(Drained(root: root, start: r.start, amount: r.amount, items: r.items, closed: closed))
            if closed {
                for m in r.members { rootOf[m] = nil }
                roots.remove(root)
            } else {
                r.items.removeAll(keepingCapacity: false)
                r.touched = false
                roots.set(root, r)
            }
        }
        touched.removeAll(keepingCapacity: true)
        return out
    }

    /// Records the sales-period figures DSO needs (called by the driver at the period's end).
    public mutating func samplePeriod(days: Int) {
        if tally.ledgerSales.isZero {
            tally.periodSample = (tally.invoiced, tally.openAR, days)
        } else {
            tally.periodSample = (tally.ledgerSales, tally.ledgerAR, days)
        }
    }

    /// Orders (roots) still running.
    public var ordersInFlight: Int { roots.count }

    // MARK: - Bookkeeping

    private mutating func rootFor(_ s: Snapshot, input: Input, at: Instant) -> String {
        if s.parentId == nil, case .start = input {} else if let r = rootOf[s.instanceId] { return r }
        var root = s.instanceId
        if let p = s.parentId, let r = rootOf[p], roots.contains(r) { root = r }
        if root == s.instanceId {
            roots.set(root, RootState(start: at, amount: Self.amountAtStake(s.inputs, library.workflow(s.workflow)?.inputs)))
            tally.orders += 1
        }
        rootOf[s.instanceId] = root
        let id = s.instanceId
        roots.update(root) { r in
            r.live += 1
            r.members.append(id)
        }
        return root
    }

    private mutating func append(_ items: [TraceItem], to root: String) {
        // In place (reading a field through the dictionary's values copied the whole state).
        // Usually the first items since the last drain: then the array is taken as it is
        // (appending copied every item, and released the originals).
        func add(_ r: inout RootState) -> Bool {
            if r.items.isEmpty { r.items = items } else { r.items.append(contentsOf: items) }
            defer { r.touched = true }
            return !r.touched
        }
        if roots.update(root, add) == true { touched.append(root) }
    }

    private mutating func finished(_ s: Snapshot, root: String) {
        if s.status == .failed { tally.failedInstances += 1 }
        if s.instanceId == root {
            let outcome = s.status == .completed ? (s.outcome ?? s.state) : s.status.rawValue
            tally.outcomes[outcome, default: 0] += 1
            if keepsOutcomes { outcomes[root] = outcome }
        }
        let first = roots.update(root) { r in
            r.live -= 1
            defer { r.touched = true }
            return !r.touched
        }
        if first == true { touched.append(root) }
    }
}
