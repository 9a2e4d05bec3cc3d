import Foundation
import O2CCore
import O2CLoader
import O2CModel
import O2CRuntime
import O2CSim
import O2CStore
import Testing

/// `o2c demo` on a small book: it runs through the real runtime on SQLite, the books reconcile,
/// and the same seed gives the same summary.
@Suite struct DemoTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let library: Library = {
        let paths = ["workflows", "rules"].map { root.appendingPathComponent($0).path }
        let (sources, _) = (try? SourceFiles.read(paths)) ?? ([], [])
        return LibraryLoader.load(sources).0
    }()

    static func run() throws -> Demo.Outcome {
        var spec = PopulationSpec.demo
        spec.orders = 40
        spec.days = 30
        let options = Demo.Options(spec: spec, settleDays: 45, noticesFolder: nil, templatesFolder: root.appendingPathComponent("templates").path)
        return try Demo.run(options, library: library, store: try SQLiteStore.inMemory())
    }

    /// One run shared by the tests (a demo run is the slow part of the suite).
    static let first = Result { try run() }

    @Test("forty orders run end to end and the books reconcile")
    func reconciles() throws {
        let o = try Self.first.get()
        let r = o.report
        #expect(o.ordersStarted == 40)
        #expect(r.orders == 40)
        #expect(r.invoiceCount > 20 && r.fees > .zero && r.cash > .zero)
        #expect(r.subledgerDifference == 0, "cash + open AR + write-offs + credits must equal invoiced + fees")
        #expect(r.trialBalance.entries > 0 && r.trialBalance.malformed == 0)
        #expect(r.trialBalance.debits == r.trialBalance.credits)
        #expect(r.engineOpenAR == r.openAR)
        #expect(r.reconciliation.allSatisfy { $0.result == "✓" }, "\(r.reconciliation)")
    }

    @Test("the same seed gives the same summary")
    func deterministic() throws {
        let a = try Self.first.get(), b = try Self.run()
        #expect(a.report.json == b.report.json)
        #expect(a.kpis.json == b.kpis.json)
        #expect(a.eventsDelivered == b.eventsDelivered)
        #expect(DemoSummary.text(a, spec: .demo, database: "x", notices: nil) == DemoSummary.text(b, spec: .demo, database: "x", notices: nil))
    }
}
