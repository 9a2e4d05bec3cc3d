import O2CCore
import O2CEngine
import O2CLoader
import O2CModel
import O2CSim
import Testing

/// Small libraries written inline and hand-made orders, so the expected numbers of each
/// simulation test can be worked out by hand.
enum SimulateFixtures {
    static let eur = Currency("EUR")!
    static func money(_ s: String) -> Money { Money(ExactDecimal(s)!, eur) }
    static func at(_ s: String) -> Instant { Instant(parsing: s)! }

    /// Loads YAML text as one library file; fails the test on any error.
    static func library(_ text: String, file: String = "rules/policy.yaml", sourceLocation: SourceLocation = #_sourceLocation) -> Library {
        let (lib, ds) = LibraryLoader.load([LibraryLoader.Source(path: file, text: text)])
        #expect(!ds.hasErrors, "\(ds.map(\.message))", sourceLocation: sourceLocation)
        return lib
    }

    /// Credit check: new customers are approved up to `policy.new_customer_limit`, else reviewed.
    static let credit = """
    policy:
      new_customer_limit: 5000.00 EUR
    ---
    decision: credit_decision
    hit: first
    inputs: {segment: string, exposure: money}
    outputs:
      decision: {type: string, values: [reject, review, approve], default: review}
    rules:
      - when: {segment: blocked}
        then: {decision: reject}
      - when: {segment: new, exposure: "<= policy.new_customer_limit"}
        then: {decision: approve}
      - when: {segment: new}
        then: {decision: review}
    ---
    workflow: credit_check
    version: "1"
    inputs:
      order: {id: string, total: money}
      customer: {segment: string}
    events:
      approved: {}
    start: checking
    states:
      checking:
        decide:
          table: credit_decision
          as: credit
          with: {segment: customer.segment, exposure: order.total}
        always:
          - when: credit.decision == "approve"
            goto: released
          - when: credit.decision == "reject"
            goto: rejected
          - goto: in_review
      in_review:
        entry: [{notify: {template: credit_review_requested, channel: email, to: '"finance@example.com"'}}]
        on: {approved: released}
      released:
        final: true
      rejected:
        final: true
    """

    /// An invoice with one late fee (2 %, at least 40.00 EUR) at day 30 after the due date;
    /// any payment settles it.
    static let invoice = """
    policy:
      late_fee_percent: 2
      late_fee_minimum: 40.00 EUR
    ---
    ladder: b2b
    inputs: {balance: money, due_date: date}
    anchor: due_date
    stop_when: amount(balance) <= 0
    steps:
      - name: first_notice
        offset: 7d
        do: [{notify: {template: first_notice, channel: email, to: '"ap@example.com"'}}]
      - name: late_fee
        offset: 30d
        fee: {of: balance, percent: policy.late_fee_percent, minimum: policy.late_fee_minimum}
    ---
    workflow: invoice
    version: "1"
    inputs:
      invoice: {id: string, total: money, due_date: date}
    context:
      balance: invoice.total
    events:
      payment_received: {amount: money}
    start: open
    states:
      open:
        ladder:
          use: b2b
          with: {balance: balance, due_date: invoice.due_date}
          fees_to: [balance]
        on:
          payment_received: {goto: paid, set: {balance: balance - event.amount}}
      paid:
        final: true
    """

    static func start(_ workflow: String, _ id: String, at: String, _ inputs: [String: Value]) -> Arrival {
        Arrival(at: Self.at(at), root: id, what: .start(workflow: workflow, id: id, businessKey: id, inputs: inputs))
    }

    static func event(_ instance: String, _ name: String, at: String, _ payload: [String: Value]) -> Arrival {
        Arrival(at: Self.at(at), root: instance, what: .event(instance: instance, name: name, payload: payload, id: nil))
    }

    /// Runs both libraries over the arrivals with nobody answering any effect.
    static func simulate(_ baseline: Library, _ candidate: Library, _ arrivals: [Arrival], until: String) -> SimulationReport {
        var driver = SimulationDriver(baseline: baseline, candidate: candidate, start: arrivals.first!.at, responder: { _ in SilentResponder() },
                                      kpi: { KPISpec.standard(for: $0) })
        for a in arrivals { driver.feed(a) }
        driver.finish(at: at(until))
        let header = SimulationReport.Header(baseline: "baseline", candidate: "candidate", mode: "test", details: [])
        return SimulationReport.build(driver, header: header, changes: PolicyDiff.compare(baseline, candidate))
    }

    static func kpi(_ r: SimulationReport, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> (String, String)? {
        let row = r.kpis.first { $0.name == name }
        #expect(row != nil, "no KPI row `\(name)`", sourceLocation: sourceLocation)
        return row.map { ($0.baseline, $0.candidate) }
    }
}
