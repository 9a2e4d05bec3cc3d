import Foundation
import O2CCore
import O2CEngine
import O2CLoader
import O2CModel
@testable import O2CSim
import Testing

/// The population generator: deterministic, streaming, independent of policy; its scenario
/// file format; and the behaviour model's answers.
@Suite struct PopulationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let library: Library = {
        let paths = ["workflows", "rules"].map { root.appendingPathComponent($0).path }
        let (sources, _) = (try? SourceFiles.read(paths)) ?? ([], [])
        return LibraryLoader.load(sources).0
    }()

    static var small: PopulationSpec {
        var s = PopulationSpec.demo
        s.orders = 200
        return s
    }

    @Test("the same seed gives the same orders, inputs and behaviours")
    func sameSeed() {
        let a = Array(Population(Self.small, library: Self.library))
        let b = Array(Population(Self.small, library: Self.library))
        #expect(a.count == 200)
        #expect(a == b)
    }

    @Test("another seed gives another book")
    func otherSeed() {
        var other = Self.small
        other.seed = 8
        let a = Array(Population(Self.small, library: Self.library).prefix(20))
        let b = Array(Population(other, library: Self.library).prefix(20))
        #expect(a.map(\.facts.total) != b.map(\.facts.total))
    }

    @Test("a different policy does not change the customers")
    func policyIndependent() {
        var candidate = Self.library
        for i in candidate.policy.indices where candidate.policy[i].name == "new_customer_limit" {
            candidate.policy[i].value = .money(Money(ExactDecimal(3000), Currency("EUR")!))
        }
        let a = Array(Population(Self.small, library: Self.library))
        let b = Array(Population(Self.small, library: candidate))
        #expect(a == b)
    }

    @Test("orders arrive in time order within the period, each derivable from its id")
    func ordered() {
        let p = Population(Self.small, library: Self.library)
        let plans = Array(p)
        #expect(zip(plans, plans.dropFirst()).allSatisfy { $0.at < $1.at })
        #expect(plans.first!.at >= Self.small.start)
        #expect(plans.last!.at < Self.small.start.adding(.days(Self.small.days)))
        #expect(p.plan(containing: "invoice-INV-" + plans[41].id) == plans[41])
        #expect(plans[41].id == "SO-00042")
    }

    @Test("streaming: a million-order book yields its first orders at once")
    func streaming() {
        var spec = PopulationSpec.demo
        spec.orders = 1_000_000
        let first = Array(Population(spec, library: Self.library).prefix(3))
        #expect(first.map(\.id) == ["SO-00001", "SO-00002", "SO-00003"])
        #expect(Population(spec, library: Self.library).plan(index: 999_999).id == "SO-1000000")
    }

    @Test("mixes and amounts follow the spec")
    func distributions() {
        var spec = PopulationSpec.demo
        spec.orders = 2000
        let plans = Array(Population(spec, library: Self.library))
        let standard = plans.filter { $0.facts.customer.segment == "standard" }.count
        #expect((900...1100).contains(standard))
        let totals = plans.map(\.facts.total.amount).sorted()
        #expect(totals.first! >= ExactDecimal(200) && totals.last! <= ExactDecimal(60000))
        #expect((ExactDecimal(2000)...ExactDecimal(2800)).contains(totals[1000]))
        let onTime = plans.filter { $0.behaviour == .onTime }.count
        #expect((1000...1200).contains(onTime))
    }

    @Test("inputs are shaped by the entry workflow's declared types")
    func inputs() throws {
        let plan = Population(Self.small, library: Self.library).plan(index: 0)
        let wf = try #require(Self.library.workflow(plan.workflow))
        #expect(throws: Never.self) { try Interpreter(library: Self.library, workflow: wf).start(StartRequest(instanceId: "x", inputs: plan.inputs), now: plan.at) }
    }

    @Test("square roots on the exact grid")
    func squareRoot() {
        #expect(AmountCurve.squareRoot(ExactDecimal(2)) == ExactDecimal("1.414213562373")!)
        #expect(AmountCurve.squareRoot(ExactDecimal(25)) == ExactDecimal(5))
    }

    @Test("scenarios/demo.yaml is the built-in demo book")
    func demoFile() throws {
        let file = Self.root.appendingPathComponent("scenarios/demo.yaml").path
        let (spec, ds) = PopulationSpec.parse(try String(contentsOfFile: file, encoding: .utf8), file: "scenarios/demo.yaml")
        #expect(ds.isEmpty, "\(ds)")
        #expect(spec == PopulationSpec.demo)
    }

    @Test("scenario file problems are located diagnostics, all in one pass")
    func parseErrors() {
        let text = """
        population: bad
        seed: 1
        start: 2026-07-01
        days: 90
        orders: 10
        segmnts: {new: 1}
        channels: {email: 0.8, post: 0.1}
        order_total: {min: 200.00 USD, median: 2400.00 EUR, max: 60000.00 EUR}
        """
        let (spec, ds) = PopulationSpec.parse(text, file: "bad.yaml")
        #expect(spec == nil)
        #expect(ds.map(\.code) == ["E0101", "E0105", "E0105"])
        #expect(ds[0].help == "did you mean `segments`?")
        #expect(ds[1].message.contains("add up to 0.9"))
        #expect(ds[1].primary.span.line == 7)
        #expect(ds[2].primary.span.line == 8)
    }

    @Test("missing required keys are reported")
    func missing() {
        let (spec, ds) = PopulationSpec.parse("population: x\nseed: 1\n", file: "x.yaml")
        #expect(spec == nil)
        #expect(ds.map(\.message) == ["a scenario file needs `start`", "a scenario file needs `days`", "a scenario file needs `orders`"])
    }
}

/// The behaviour model answering the shipped library on the virtual engine.
@Suite struct BehaviourResponderTests {
    static var spec: PopulationSpec {
        var s = PopulationSpec.demo
        s.orders = 24
        s.days = 10
        return s
    }

    /// Runs the book on the virtual engine for 100 days; the states every instance rests in.
    static func simulate(_ library: Library) throws -> [String: String] {
        var engine = VirtualEngine(library: library, start: spec.start, responder: BehaviourResponder(spec: spec, library: library), observer: NoObserver())
        for plan in Population(spec, library: library) {
            try engine.start(workflow: plan.workflow, id: "\(plan.workflow)-\(plan.id)", businessKey: plan.id, inputs: plan.inputs, at: plan.at)
        }
        engine.run(until: spec.start.adding(.days(100)))
        return engine.instances.mapValues { "\($0.state)" }
    }

    @Test("orders flow to paid invoices on the virtual engine, the same way every time")
    func virtualEngine() throws {
        let a = try Self.simulate(PopulationTests.library)
        let b = try Self.simulate(PopulationTests.library)
        #expect(a == b)
        let invoices = a.filter { $0.key.hasPrefix("invoice-") }
        #expect(invoices.count >= 15)
        #expect(invoices.values.filter { $0 == "paid" }.count >= 10, "\(invoices)")
        #expect(a.filter { $0.key.hasPrefix("order-") }.values.contains("completed"))
    }

    @Test("an issued invoice gets the same customer whatever the policy")
    func samePolicyIndependentAnswers() throws {
        var candidate = PopulationTests.library
        for i in candidate.policy.indices where candidate.policy[i].name == "late_fee_percent" { candidate.policy[i].value = .int(5) }
        let eur = Currency("EUR")!
        for index in 0..<10 {
            let id = "INV-\(OrderFacts.orderId(index))-1"
            let c = EffectContext(effectId: "invoicing-\(OrderFacts.orderId(index))-1:3:0", action: "issue_invoice",
                                  arguments: ["invoice": .string(id), "total": .money(Money(ExactDecimal(1190), eur)),
                                              "due_date": .date(Day(parsing: "2026-03-01")!), "discount_percent": .number(.zero)],
                                  state: "issuing", instanceId: "invoicing-\(OrderFacts.orderId(index))-1", workflow: "invoicing", data: [:],
                                  at: Instant(parsing: "2026-01-30T10:00:00Z")!)
            let base = BehaviourModel(spec: Self.spec, library: PopulationTests.library).answers(c)
            #expect(base == BehaviourModel(spec: Self.spec, library: candidate).answers(c))
            #expect(base.allSatisfy { $0.instanceId == "invoice-\(id)" && $0.at >= c.at })
        }
    }

    @Test("the agency recovers about half the debts it is handed, less a quarter's commission, paid to the invoice")
    func agencyRecoveries() throws {
        let eur = Currency("EUR")!
        var recovered = 0
        for index in 0..<200 {
            let id = "INV-\(OrderFacts.orderId(index))-1"
            let c = EffectContext(effectId: "collections-\(id):3:0", action: "agency_export",
                                  arguments: ["invoice": .string(id), "balance": .money(Money(ExactDecimal(1000), eur))],
                                  state: "with_agency", instanceId: "collections-\(id)", workflow: "collections", data: [:],
                                  at: Instant(parsing: "2026-05-01T00:00:00Z")!)
            let answers = BehaviourModel(spec: Self.spec, library: PopulationTests.library).answers(c)
            guard let a = answers.first else { continue }
            recovered += 1
            #expect(answers.count == 1 && a.instanceId == "invoice-\(id)" && a.event == "agency_payment")
            #expect(a.payload["amount"] == .money(Money(ExactDecimal(750), eur)) && a.payload["commission"] == .money(Money(ExactDecimal(250), eur)))
            #expect(a.at >= c.at.plus(days: 30) && a.at <= c.at.plus(days: 121))
        }
        #expect((80...120).contains(recovered), "\(recovered) of 200")
    }

    @Test("cash collected counts what receivables are paid, the agency's remittances included, and no payment plan")
    func cashEvents() {
        let spec = KPISpec.standard(for: PopulationTests.library)
        #expect(spec.paymentEvents.contains("payment_received") && spec.paymentEvents.contains("agency_payment"), "\(spec.paymentEvents)")
        #expect(!spec.paymentEvents.contains("payment_plan_agreed"), "\(spec.paymentEvents)")
    }
}
