import Foundation
import O2CCore
import O2CEngine
import O2CLoader
import O2CModel
@testable import O2CSim
import Testing

/// The simulator takes a step once when both policies take it alike (`PairedEngine`). That must
/// be invisible in the report: every figure, group and example is the same as two separate
/// engines give (`ReferenceDriver`, the simulator before sharing), for policy changes that move
/// a little, a lot, or nothing at all.
@Suite struct SimulateSharingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let shipped: [LibraryLoader.Source] = {
        let paths = ["workflows", "rules"].map { root.appendingPathComponent($0).path }
        return ((try? SourceFiles.read(paths)) ?? ([], [])).0
    }()

    /// The shipped library with one text edit in one file (the edit must apply).
    static func library(_ file: String = "", _ old: String = "", _ new: String = "") -> Library {
        var sources = shipped
        if !file.isEmpty {
            let i = sources.firstIndex { $0.path.hasSuffix(file) }!
            precondition(sources[i].text.contains(old), "edit of \(file) does not apply")
            sources[i].text = sources[i].text.replacingOccurrences(of: old, with: new)
        }
        let (lib, ds) = LibraryLoader.load(sources)
        precondition(!ds.hasErrors, "\(ds.map(\.message))")
        return lib
    }

    struct Change: Sendable, CustomStringConvertible {
        var description: String
        var file: String
        var old: String
        var new: String
        /// Whether the change moves any order's path in this book.
        var moves: Bool
    }

    static let changes: [Change] = [
        Change(description: "no change", file: "", old: "", new: "", moves: false),
        Change(description: "new-customer limit 5000 → 500", file: "rules/credit-policy.yaml",
               old: "new_customer_limit: {value: 5000.00 EUR", new: "new_customer_limit: {value: 500.00 EUR", moves: true),
        Change(description: "late fee day 30 → 21", file: "rules/dunning-b2b.yaml",
               old: "- name: late_fee\n    offset: 30d", new: "- name: late_fee\n    offset: 21d", moves: true),
        Change(description: "late fee minimum 40 → 80 (a policy value a ladder reads)", file: "rules/dunning-b2b.yaml",
               old: "late_fee_minimum: {value: 40.00 EUR", new: "late_fee_minimum: {value: 80.00 EUR", moves: true),
        // Every fulfilment's context reads it at start, so every fulfilment splits, yet no
        // customer in this book is without a preference when stock runs short.
        Change(description: "backorder default wait → cancel", file: "rules/fulfillment-policy.yaml",
               old: "default_backorder_preference: {value: wait", new: "default_backorder_preference: {value: cancel", moves: false),
        Change(description: "a workflow edit: an hour to answer a shortage", file: "workflows/fulfillment.yaml",
               old: "- in: policy.backorder_reply_wait", new: "- in: 1h", moves: true),
    ]

    static var spec: PopulationSpec {
        var s = PopulationSpec.demo
        s.orders = 300
        return s
    }

    /// The arrivals `Simulation.synthetic` feeds, and the moment it runs to.
    static func arrivals(_ spec: PopulationSpec, _ candidate: Library) -> (arrivals: [Arrival], end: Instant) {
        var out: [Arrival] = []
        var last = spec.start
        for plan in Population(spec, library: candidate) {
            out.append(Arrival(at: plan.at, root: plan.id, what: .start(workflow: plan.workflow, id: plan.id, businessKey: plan.id, inputs: plan.inputs)))
            last = max(last, plan.at)
        }
        return (out, last.adding(Simulation.tail))
    }

    static let header = SimulationReport.Header(baseline: "HEAD", candidate: "edit", mode: "synthetic", details: [])

    @Test("the paired run reports what two separate engines report, byte for byte, taking alike steps once", arguments: changes)
    func sameReport(_ change: Change) throws {
        let baseline = Self.library(), candidate = Self.library(change.file, change.old, change.new)
        let (arrivals, end) = Self.arrivals(Self.spec, candidate)
        let (paired, _, a) = runAgainstReference(baseline, candidate, arrivals, until: end, start: Self.spec.start,
                                                 period: (Self.spec.start, Self.spec.start.adding(.days(Self.spec.days))),
                                                 responder: { BehaviourResponder(spec: Self.spec, library: $0) })
        #expect(paired.engine.sharedSteps > 0)
        if change.file.isEmpty { #expect(paired.engine.sharedSteps == paired.baseline.steps) }
        #expect(a.effort == .init(baselineSteps: paired.baseline.steps, candidateSteps: paired.candidate.steps, sharedSteps: paired.engine.sharedSteps))
        // The change really moves orders in this book (else the test proves little).
        #expect((a.identical < a.compared) == change.moves, "\(a.identical) of \(a.compared) orders identical")
    }

    @Test("`sharing: false` steps every instance per policy, and reports the same")
    func withoutSharing() {
        let baseline = Self.library(), change = Self.changes[2]
        let candidate = Self.library(change.file, change.old, change.new)
        let shared = Simulation.syntheticDriver(baseline: baseline, candidate: candidate, spec: Self.spec)
        let separate = Simulation.syntheticDriver(baseline: baseline, candidate: candidate, spec: Self.spec, sharing: false)
        #expect(separate.engine.sharedSteps == 0)
        #expect(shared.engine.sharedSteps > 0)
        let changes = PolicyDiff.compare(baseline, candidate)
        #expect(ReportJSON.render(SimulationReport.build(shared, header: Self.header, changes: changes))
                == ReportJSON.render(SimulationReport.build(separate, header: Self.header, changes: changes)))
    }

    @Test("a workflow is shared only when its definition, tables, ladders and the policy values it reads are unchanged")
    func sharedWorkflows() {
        let baseline = Self.library()
        #expect(SharedWorkflows.compute(baseline, baseline) == Set(baseline.workflows.map(\.name)))
        let limit = Self.library(Self.changes[1].file, Self.changes[1].old, Self.changes[1].new)
        #expect(Set(baseline.workflows.map(\.name)).subtracting(SharedWorkflows.compute(baseline, limit)) == ["credit_check"])
        let ladder = Self.library(Self.changes[2].file, Self.changes[2].old, Self.changes[2].new)
        #expect(Set(baseline.workflows.map(\.name)).subtracting(SharedWorkflows.compute(baseline, ladder)) == ["invoice"])
        let edit = Self.library(Self.changes[5].file, Self.changes[5].old, Self.changes[5].new)
        #expect(Set(baseline.workflows.map(\.name)).subtracting(SharedWorkflows.compute(baseline, edit)) == ["fulfillment"])
    }
}
