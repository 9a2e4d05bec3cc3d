import O2CCore
import O2CEngine
import O2CLoader
import O2CModel
@testable import O2CSim
import Testing

/// Replay: recorded orders re-run under both policies with their recorded inputs, events and
/// handler answers. The recording is made here by the same interpreter production uses.
@Suite struct SimulateReplayTests {
    typealias F = SimulateFixtures

    static let shipment = """
    workflow: shipment
    version: "1"
    inputs:
      order: {id: string, total: money}
    events:
      stock_reserved: {}
      stock_short: {}
      payment_received: {amount: money}
    start: reserving
    states:
      reserving:
        entry: [{reserve_stock: {sku: order.id}}]
        on:
          stock_reserved: invoiced
          stock_short: waiting
      waiting:
        after:
          - in: 3d
            goto: cancelled
      invoiced:
        entry: [{notify: {template: invoice, channel: email, to: '"ap@example.com"'}}]
        on:
          payment_received: paid
      paid:
        final: true
      cancelled:
        final: true
    ---
    workflow: prepaid
    version: "1"
    inputs:
      order: {id: string, total: money}
      card_number: {type: string, sensitive: true}
    start: done
    states:
      done:
        final: true
    """

    /// The candidate retries a short reservation after 2 days instead of cancelling after 3.
    static let retrying = shipment.replacingAll("""
          - in: 3d
            goto: cancelled
    """, with: """
          - in: 2d
            goto: reserving
          - in: 3d
            goto: cancelled
    """)

    /// Answers `reserve_stock` per instance, as the warehouse did when the recording was made.
    struct Warehouse: EffectResponder {
        var answers: [String: String]
        mutating func respond(to effect: Effect, of instance: Snapshot, at: Instant) -> [ScheduledEvent] {
            guard effect.action == "reserve_stock", let event = answers[instance.instanceId] else { return [] }
            return [ScheduledEvent(instanceId: instance.instanceId, event: event, at: at.adding(Duration(seconds: 60)), id: effect.id + "/answer")]
        }
    }

    /// Keeps every history entry and effect, like the store does.
    struct Store: StepObserver {
        var instances: [String: RecordedInstance] = [:]
        var order: [String] = []
        var outbox: [RecordedEffect] = []
        mutating func observe(_ step: Step, input: Input, at: Instant) {
            let s = step.snapshot
            if instances[s.instanceId] == nil {
                order.append(s.instanceId)
                instances[s.instanceId] = RecordedInstance(id: s.instanceId, workflow: s.workflow, businessKey: s.businessKey, parentId: s.parentId,
                                                           state: s.state, status: s.status.rawValue, history: [])
            }
            instances[s.instanceId]!.history += step.history
            instances[s.instanceId]!.state = s.state
            instances[s.instanceId]!.status = s.status.rawValue
            instances[s.instanceId]!.outcome = s.outcome
            for e in step.effects where e.action != "start" && e.action != "emit" {
                let answered = e.action == "reserve_stock"
                outbox.append(RecordedEffect(effectId: e.id, instanceId: s.instanceId, action: e.action, status: .delivered, createdAt: at,
                                             deliveredAt: at, answer: answered ? .object([("event", .string("placeholder"))]) : nil))
            }
        }
    }

    /// S-1: reserved, invoiced, paid on day 10. S-2: stock short, cancelled on day 3.
    /// P-1: a prepaid order whose card number history keeps only as `[redacted]`.
    static func recording(_ library: Library) throws -> ([RecordedInstance], [RecordedEffect]) {
        var engine = VirtualEngine(library: library, start: F.at("2026-03-01T08:00:00Z"),
                                   responder: Warehouse(answers: ["S-1": "stock_reserved", "S-2": "stock_short"]), observer: Store())
        let order = { (id: String) -> [String: Value] in ["order": .object(["id": .string(id), "total": .money(F.money("900.00"))])] }
        try engine.start(workflow: "shipment", id: "S-1", businessKey: "S-1", inputs: order("S-1"))
        try engine.start(workflow: "shipment", id: "S-2", businessKey: "S-2", inputs: order("S-2"))
        try engine.start(workflow: "prepaid", id: "P-1", businessKey: "P-1", inputs: order("P-1").merging(["card_number": .string("4111 1111 1111 1111")]) { a, _ in a })
        engine.run(until: F.at("2026-03-11T10:00:00Z"))
        try engine.deliver("S-1", event: "payment_received", payload: ["amount": .money(F.money("900.00"))], id: "bank-77")
        engine.run(until: F.at("2026-03-12T00:00:00Z"))
        return (engine.observer.order.map { engine.observer.instances[$0]! }, engine.observer.outbox)
    }

    static let header = SimulationReport.Header(baseline: "recorded", candidate: "candidate", mode: "replay", details: [])

    @Test("replaying unchanged definitions reports zero differences, and every outcome is known")
    func unchangedDefinitions() throws {
        let library = F.library(Self.shipment, file: "workflows/shipment.yaml")
        let (instances, outbox) = try Self.recording(library)
        let r = Simulation.replay(baseline: library, candidate: library, instances: instances, outbox: outbox, header: Self.header)
        #expect(r.changes.isEmpty)
        #expect(r.compared == 2)
        #expect(r.identical == 2)
        #expect(r.groups.isEmpty)
        #expect(r.header.details.contains("the baseline replay ends 2 of 2 orders as recorded"))
        #expect(F.kpi(r, "collected in all")! == ("900.00 EUR", "900.00 EUR"))
        #expect(F.kpi(r, "ended `paid`")! == ("1", "1"))
        #expect(F.kpi(r, "ended `cancelled`")! == ("1", "1"))
        // Only the redacted order is noted: nothing refused, no unknown outcome.
        #expect(r.notes.map(\.title) == ["1 recorded order not replayable (left out of every figure)"])
        #expect(r.notes.first?.lines == ["`P-1`: input `card_number` is sensitive and was redacted in history"])
    }

    @Test("an effect the recording has no answer for is an unknown outcome, never a guess")
    func unknownOutcome() throws {
        let library = F.library(Self.shipment, file: "workflows/shipment.yaml")
        let candidate = F.library(Self.retrying, file: "workflows/shipment.yaml")
        let (instances, outbox) = try Self.recording(library)
        let r = Simulation.replay(baseline: library, candidate: candidate, instances: instances, outbox: outbox, header: Self.header)
        #expect(r.changes.map(\.text) == ["workflows/shipment.yaml: workflow `shipment` state `waiting`: transition added: after 2d → `reserving`"])
        #expect(r.compared == 2)
        #expect(r.identical == 1)
        let g = try #require(r.groups.first)
        #expect(g.label == "cancelled → reserving")
        #expect(g.examples.first?.root == "S-2")
        #expect(g.examples.first?.divergence.candidate?.action == "→ reserving")
        let note = try #require(r.notes.first { $0.title.hasPrefix("unknown outcome under the candidate") })
        #expect(note.title == "unknown outcome under the candidate: 1 effect the recording has no answer for (no answer was assumed)")
        #expect(note.lines == ["`reserve_stock`: 1 effect, an action that answered in the recording:",
                               "  `S-2` at 2026-03-03T08:01:00Z: no such effect in the recording (2. `reserve_stock` of this instance)"])
        #expect(!r.notes.contains { $0.title.hasPrefix("unknown outcome under the baseline") })
    }

    @Test("a replay on the paired engine reports what two separate engines report")
    func sameAsSeparateEngines() throws {
        let library = F.library(Self.shipment, file: "workflows/shipment.yaml")
        let candidate = F.library(Self.retrying, file: "workflows/shipment.yaml")
        let (instances, outbox) = try Self.recording(library)
        let plan = ReplayPlan.build(instances: instances, outbox: outbox)
        for c in [library, candidate] {
            let (paired, reference, _) = runAgainstReference(library, c, plan.arrivals, until: plan.end, start: plan.start,
                                                             period: (plan.start, plan.end), rememberFinalized: true,
                                                             responder: { RecordedResponder(book: plan.answers, library: $0) })
            #expect(paired.baseline.responder.unknown == reference.baseline.responder.unknown)
            #expect(paired.candidate.responder.unknown == reference.candidate.responder.unknown)
        }
    }

    /// T-1 times out after 3 days under the baseline and 5 under the candidate. On day 4 a
    /// recorded `ping` finds it finished under the baseline (refused) and waiting under the
    /// candidate, where it ends the order. Two separate engines showed the comparer the
    /// baseline's refusal before the candidate's ending, so the refusal is part of the change.
    @Test("an arrival one policy refuses and the other takes is compared in the order two separate engines saw it")
    func refusedOnOneSide() throws {
        let timed = """
        workflow: timed
        version: "1"
        inputs:
          order: {id: string, total: money}
        events:
          ping: {}
        start: waiting
        states:
          waiting:
            after:
              - in: 3d
                goto: done
            on:
              ping: done
          done:
            final: true
        """
        let library = F.library(timed, file: "workflows/timed.yaml")
        let candidate = F.library(timed.replacingAll("in: 3d", with: "in: 5d"), file: "workflows/timed.yaml")
        let order = { (id: String) -> [String: Value] in ["order": .object(["id": .string(id), "total": .money(F.money("900.00"))])] }
        let arrivals = [
            F.start("timed", "T-1", at: "2026-03-01T08:00:00Z", order("T-1")),
            F.start("timed", "T-2", at: "2026-03-04T12:00:00Z", order("T-2")), // a later arrival: T-1's end is handed over
            F.event("T-1", "ping", at: "2026-03-05T08:00:00Z", [:]),
        ]
        let (paired, _, r) = runAgainstReference(library, candidate, arrivals, until: F.at("2026-03-20T00:00:00Z"),
                                                 start: F.at("2026-03-01T08:00:00Z"), period: (F.at("2026-03-01T08:00:00Z"), F.at("2026-03-20T00:00:00Z")),
                                                 rememberFinalized: true, responder: { _ in SilentResponder() })
        #expect(paired.refusedArrivals.baseline.count == 1)
        #expect(paired.refusedArrivals.candidate.count == 0)
        #expect(r.compared == 2)
        let g = try #require(r.groups.first)
        #expect(g.label.contains("refused"), "\(g.label)")
    }

    @Test("handler answers are matched by instance, action and occurrence, not by effect id")
    func answerBook() throws {
        let library = F.library(Self.shipment, file: "workflows/shipment.yaml")
        let (instances, outbox) = try Self.recording(library)
        let plan = ReplayPlan.build(instances: instances, outbox: outbox)
        #expect(plan.orders == 2)
        #expect(plan.answers.outcome(instance: "S-1", action: "reserve_stock", occurrence: 0) == .answered(event: "stock_reserved", payload: [:], delay: Duration(seconds: 60)))
        #expect(plan.answers.outcome(instance: "S-2", action: "reserve_stock", occurrence: 0) == .answered(event: "stock_short", payload: [:], delay: Duration(seconds: 60)))
        #expect(plan.answers.outcome(instance: "S-1", action: "notify", occurrence: 0) == .noAnswer)
        #expect(plan.answers.outcome(instance: "S-2", action: "reserve_stock", occurrence: 1) == nil)
        // Two starts and one external payment; answers are not external events.
        #expect(plan.arrivals.count == 3)
        #expect(plan.arrivals.last?.what == .event(instance: "S-1", name: "payment_received", payload: ["amount": .money(F.money("900.00"))], id: "bank-77"))
    }
}
