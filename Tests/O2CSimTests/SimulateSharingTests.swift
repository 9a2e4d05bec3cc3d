import Foundation
import O2CCore
import O2CLoader
import O2CModel
@testable import O2CSim
import Testing

/// The simulator takes a step once when both policies take it alike (`PairedEngine`). That must
/// be invisible in the report: every figure, group and example is the same as when each policy
/// runs on its own, for policy changes that move a little, a lot, or nothing at all.
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

    @Test("taking alike steps once gives the report of two separate runs, byte for byte", arguments: changes)
    func sameReport(_ change: Change) throws {
        let baseline = Self.library(), candidate = Self.library(change.file, change.old, change.new)
        let shared = Simulation.syntheticDriver(baseline: baseline, candidate: candidate, spec: Self.spec, sharing: true)
        let separate = Simulation.syntheticDriver(baseline: baseline, candidate: candidate, spec: Self.spec, sharing: false)
        let header = SimulationReport.Header(baseline: "HEAD", candidate: "edit", mode: "synthetic", details: [])
        let changes = PolicyDiff.compare(baseline, candidate)
        let a = SimulationReport.build(shared, header: header, changes: changes)
        let b = SimulationReport.build(separate, header: header, changes: changes)
        #expect(ReportJSON.render(a) == ReportJSON.render(b))
        #expect(ReportText.render(a) == ReportText.render(b))
        // Same work per side, less of it in all: each side saw every one of its steps.
        #expect(shared.baseline.steps == separate.baseline.steps)
        #expect(shared.candidate.steps == separate.candidate.steps)
        #expect(separate.engine.sharedSteps == 0)
        #expect(shared.engine.sharedSteps > 0)
        #expect(a.effort == .init(baselineSteps: shared.baseline.steps, candidateSteps: shared.candidate.steps, sharedSteps: shared.engine.sharedSteps))
        if change.file.isEmpty { #expect(shared.engine.sharedSteps == shared.baseline.steps) }
        // The change really moves orders in this book (else the test proves little).
        #expect((a.identical < a.compared) == change.moves, "\(a.identical) of \(a.compared) orders identical")
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
