import O2CCore
import O2CEngine
import O2CLoader
import O2CModel
import Testing

/// Interpreter tests compare the whole `Step` — snapshot, every effect, every history entry —
/// never single fields (TCA's exhaustivity, without the machinery).
@Suite struct InterpreterTests {
    static let yaml = """
    policy:
      review_sla: 2d
    ---
    workflow: approval
    inputs:
      order: {id: string, total: money}
    context:
      reviewer: {type: string?}
    events:
      approved: {reviewer: string}
      rejected: {reviewer: string}
    start: checking
    states:
      checking:
        always:
          - when: order.total <= 1000 EUR
            goto: released
          - goto: in_review
      in_review:
        entry:
          - notify: {template: review_requested, to: order.id}
        on:
          approved: {goto: released, set: {reviewer: event.reviewer}}
          rejected: {goto: rejected, set: {reviewer: event.reviewer}}
        after:
          - in: policy.review_sla
            goto: escalated
      escalated:
        on:
          approved: {goto: released, set: {reviewer: event.reviewer}}
      released: {final: true, outcome: released}
      rejected: {final: true}
    """

    static func interpreter() throws -> Interpreter {
        let (library, ds) = LibraryLoader.load([.init(path: "approval.yaml", text: yaml)])
        #expect(!ds.hasErrors, "\(DiagnosticRenderer(sources: library.sources).render(ds))")
        return try Interpreter(library: library, workflowName: "approval")
    }

    static let t0 = Instant(parsing: "2026-01-05T09:00:00Z")!
    static func eur(_ s: String) -> Value { .money(Money(ExactDecimal(s)!, Currency("EUR")!)) }
    static let order: [String: Value] = ["order": .object(["id": .string("O-1"), "total": eur("2500.00")])]

    @Test("a large order rests in review with an absolute SLA deadline and a notification")
    func startGoesToReview() throws {
        let interp = try Self.interpreter()
        let step = try interp.start(StartRequest(instanceId: "O-1", inputs: Self.order), now: Self.t0)
        let due = Instant(parsing: "2026-01-07T09:00:00Z")!
        let expected = Step(
            snapshot: Snapshot(instanceId: "O-1", workflow: "approval", state: "in_review", inputs: Self.order,
                               context: ["reviewer": .null], timers: [ScheduledTimer(key: "after.0", due: due)], sequence: 1,
                               startedAt: Self.t0, updatedAt: Self.t0),
            effects: [Effect(id: "O-1:1:0", action: "notify", arguments: ["template": .string("review_requested"), "to": .string("O-1")], state: "in_review")],
            history: [
                HistoryEntry(at: Self.t0, kind: "started", data: ["inputs": .object(Self.order), "state": .string("checking"), "definition": .string(interp.library.hash)]),
                HistoryEntry(at: Self.t0, kind: "transition", data: ["from": .string("checking"), "to": .string("in_review"), "trigger": .string("always")]),
                HistoryEntry(at: Self.t0, kind: "effect", data: ["id": .string("O-1:1:0"), "action": .string("notify"),
                                                                 "arguments": .object(["template": .string("review_requested"), "to": .string("O-1")])]),
            ])
        #expect(step == expected)
    }

    @Test("approval sets the reviewer, leaves review, cancels the timer and completes")
    func approval() throws {
        let interp = try Self.interpreter()
        let started = try interp.start(StartRequest(instanceId: "O-1", inputs: Self.order), now: Self.t0).snapshot
        let t1 = Instant(parsing: "2026-01-06T10:00:00Z")!
        let step = try interp.step(started, .event(name: "approved", payload: ["reviewer": .string("ana")], id: "e1"), now: t1)
        var snapshot = started
        snapshot.state = "released"
        snapshot.status = .completed
        snapshot.outcome = "released"
        snapshot.context = ["reviewer": .string("ana")]
        snapshot.timers = []
        snapshot.sequence = 2
        snapshot.updatedAt = t1
        #expect(step == Step(snapshot: snapshot, effects: [], history: [
            HistoryEntry(at: t1, kind: "event", data: ["name": .string("approved"), "payload": .object(["reviewer": .string("ana")]),
                                                       "state": .string("in_review"), "id": .string("e1")]),
            HistoryEntry(at: t1, kind: "assigned", data: ["reviewer": .string("ana")]),
            HistoryEntry(at: t1, kind: "transition", data: ["from": .string("in_review"), "to": .string("released"), "trigger": .string("event approved")]),
            HistoryEntry(at: t1, kind: "completed", data: ["state": .string("released"), "outcome": .string("released")]),
        ]))
    }

    @Test("the SLA timer escalates")
    func escalation() throws {
        let interp = try Self.interpreter()
        let started = try interp.start(StartRequest(instanceId: "O-1", inputs: Self.order), now: Self.t0).snapshot
        let due = started.timers[0].due
        let step = try interp.step(started, .timer(key: "after.0"), now: due)
        #expect(step.snapshot.state == "escalated")
        #expect(step.snapshot.timers == [])
        #expect(step.history.map(\.kind) == ["timer", "transition"])
    }

    @Test("an event the state does not accept is refused and lists the accepted ones")
    func refused() throws {
        let interp = try Self.interpreter()
        let started = try interp.start(StartRequest(instanceId: "O-1", inputs: Self.order), now: Self.t0).snapshot
        let escalated = try interp.step(started, .timer(key: "after.0"), now: started.timers[0].due).snapshot
        #expect(throws: StepError.eventNotAccepted(event: "rejected", state: "escalated", accepted: ["approved"])) {
            try interp.step(escalated, .event(name: "rejected", payload: ["reviewer": .string("x")], id: nil), now: Self.t0)
        }
        #expect(throws: StepError.invalidPayload(event: "approved", field: "reviewer", problem: "is required (expected string)")) {
            try interp.step(escalated, .event(name: "approved", payload: [:], id: nil), now: Self.t0)
        }
    }

    @Test("a small order is released at once")
    func smallOrder() throws {
        let interp = try Self.interpreter()
        let step = try interp.start(StartRequest(instanceId: "O-2", inputs: ["order": .object(["id": .string("O-2"), "total": Self.eur("99.00")])]), now: Self.t0)
        #expect(step.snapshot.status == .completed)
        #expect(step.snapshot.outcome == "released")
        #expect(step.effects == [])
    }

    @Test("`instance` gives an expression the instance's id, key, workflow and current state")
    func instanceObject() throws {
        let yaml = """
        workflow: tagged
        events:
          go: {}
        start: a
        states:
          a:
            entry: [{notify: {template: t, to: '"x"', where: 'instance.workflow + "/" + instance.state', key: instance.business_key}}]
            on: {go: b}
          b:
            entry: [{notify: {template: t, to: '"x"', where: 'instance.id + "@" + instance.state'}}]
            always:
              - when: instance.state == "b"
                goto: done
          done: {final: true}
        """
        let (library, ds) = LibraryLoader.load([.init(path: "tagged.yaml", text: yaml)])
        #expect(!ds.hasErrors, "\(DiagnosticRenderer(sources: library.sources).render(ds))")
        let interp = try Interpreter(library: library, workflowName: "tagged")
        let started = try interp.start(StartRequest(instanceId: "T-1", businessKey: "K-9", inputs: [:]), now: Self.t0)
        #expect(started.effects.map(\.arguments) == [["template": .string("t"), "to": .string("x"), "where": .string("tagged/a"), "key": .string("K-9")]])
        let moved = try interp.step(started.snapshot, .event(name: "go", payload: [:], id: nil), now: Self.t0)
        #expect(moved.effects.map(\.arguments) == [["template": .string("t"), "to": .string("x"), "where": .string("T-1@b")]])
        #expect(moved.snapshot.status == .completed)
    }

    @Test("a ladder step's actions read the fee it charged as `fee`; a step without a fee has none to read")
    func ladderFeeVisibleToActions() throws {
        let yaml = """
        ladder: l
        inputs: {balance: money, due: date}
        anchor: due
        steps:
          - name: fee
            offset: 1d
            fee: {of: balance, percent: 1.5, flat: 2.00 EUR, minimum: 5.00 EUR}
            do: [{journal: {debit: '"accounts_receivable"', credit: '"late_fee_income"', amount: fee}}]
        ---
        workflow: w
        inputs: {total: money, due: date}
        context: {balance: total}
        start: open
        states:
          open:
            ladder: {use: l, with: {balance: balance, due: due}, fees_to: balance}
            on: {paid: done}
          done: {final: true}
        events: {paid: {}}
        """
        let (library, ds) = LibraryLoader.load([.init(path: "fee.yaml", text: yaml)])
        #expect(!ds.hasErrors, "\(DiagnosticRenderer(sources: library.sources).render(ds))")
        let interp = try Interpreter(library: library, workflowName: "w")
        let started = try interp.start(StartRequest(instanceId: "W-1", inputs: ["total": .money(Money(ExactDecimal(1000), Currency("EUR")!)),
                                                                             "due": .date(Day(parsing: "2026-01-31")!)]), now: Self.t0)
        let due = started.snapshot.timers[0]
        let fired = try interp.step(started.snapshot, .timer(key: due.key), now: due.due)
        // 1000.00 × 1.5 % + 2.00 = 17.00: the fee effect and the journal line agree.
        let amounts = fired.effects.compactMap { $0.arguments["amount"] }
        #expect(amounts == [.money(Money(ExactDecimal(17), Currency("EUR")!)), .money(Money(ExactDecimal(17), Currency("EUR")!))], "\(fired.effects)")

        // A step with no `fee:` has no `fee` to read: an unknown name, at validation.
        let (_, noFee) = LibraryLoader.load([.init(path: "fee.yaml", text: yaml.replacingOccurrences(of: "    fee: {of: balance, percent: 1.5, flat: 2.00 EUR, minimum: 5.00 EUR}\n", with: ""))])
        #expect(noFee.map(\.code).contains("E0502"), "\(noFee.map(\.message))")
    }

    @Test("a ladder step that moves the instance sets off no ladder step at that instant: no ping-pong, no step firing into its own state for ever")
    func ladderGotoDoesNotLoop() throws {
        let yaml = """
        ladder: up
        inputs: {due: date}
        anchor: due
        steps:
          - {name: escalate, offset: 10d, goto: escalated, catch_up: true}
        ---
        ladder: down
        inputs: {due: date}
        anchor: due
        steps:
          - {name: back, offset: 5d, goto: waiting, catch_up: true}
          - {name: again, offset: 10d, goto: escalated}
        ---
        workflow: w
        inputs: {due: date}
        start: waiting
        states:
          waiting:
            ladder: {use: up, with: {due: due}}
            on: {done: finished}
          escalated:
            entry: [{notify: {template: escalated, to: '"x"'}}]
            ladder: {use: down, with: {due: due}}
            on: {done: finished}
          finished: {final: true}
        events: {done: {}}
        """
        let (library, ds) = LibraryLoader.load([.init(path: "loop.yaml", text: yaml)])
        #expect(!ds.hasErrors, "\(DiagnosticRenderer(sources: library.sources).render(ds))")
        let interp = try Interpreter(library: library, workflowName: "w")
        let started = try interp.start(StartRequest(instanceId: "W", inputs: ["due": .date(Day(parsing: "2026-01-01")!)]), now: Self.t0)
        let t = try #require(started.snapshot.timers.first)
        let fired = try interp.step(started.snapshot, .timer(key: t.key), now: t.due)
        // In `escalated`: `back` (day 5, caught up) and `again` (day 10, this very moment) are not
        // armed at the instant `escalate` moved the instance; it rests, notified once.
        #expect(fired.snapshot.state == "escalated")
        #expect(fired.snapshot.timers.allSatisfy { $0.due > t.due }, "\(fired.snapshot.timers)")
        #expect(fired.effects.filter { $0.action == "notify" }.count == 1)
        #expect(fired.history.filter { $0.kind == "ladder" && $0.fields["result"] == .string("skipped") }.count >= 2)
    }

    @Test("a loop of always transitions fails the instance instead of hanging")
    func loopFails() throws {
        let yaml = """
        workflow: loop
        start: a
        states:
          a: {always: b}
          b: {always: a}
        """
        let (library, _) = LibraryLoader.load([.init(path: "loop.yaml", text: yaml)])
        let step = try Interpreter(library: library, workflowName: "loop").start(StartRequest(instanceId: "L", inputs: [:]), now: Self.t0)
        #expect(step.snapshot.status == .failed)
        #expect(step.snapshot.failure?.contains("more than 100 transitions") == true)
        #expect(step.effects == [])
    }
}
