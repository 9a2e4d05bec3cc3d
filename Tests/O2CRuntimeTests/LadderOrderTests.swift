import Foundation
import Logging
import O2CCore
import O2CLoader
import O2CModel
import O2CRuntime
import O2CStore
import Testing

/// Ladder steps due at the same moment fire in the order the analyst listed them, not in the
/// order of their names (docs/language.md, "Dunning ladders").
@Suite struct LadderOrderTests {
    static let ladder = """
    ladder: tiny
    inputs: {due: date}
    anchor: due
    steps:
      - name: zeta_first
        offset: 5d
        do: [{log: {step: '"zeta"'}}]
      - name: alpha_second
        offset: 5d
        do: [{log: {step: '"alpha"'}}]
      - name: middle_third
        offset: 5d
        goto: done
    """

    static let workflow = """
    workflow: dunned
    version: "1"
    inputs:
      due: date
    start: open
    states:
      open:
        ladder:
          use: tiny
          with: {due: due}
      done:
        final: true
    """

    @Test("three steps due at once fire in list order: zeta, alpha, middle")
    func sameMomentStepsFireInListOrder() throws {
        let (library, ds) = LibraryLoader.load([LibraryLoader.Source(path: "rules/tiny.yaml", text: Self.ladder),
                                                LibraryLoader.Source(path: "workflows/dunned.yaml", text: Self.workflow)])
        #expect(!ds.hasErrors, "\(ds)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("o2c-ladder-\(UUID().uuidString).sqlite").path
        var handlers = HandlerRegistry(config: RuntimeConfig(), projectRoot: ".", logger: Logger(label: "test"))
        handlers.register("log", ReliabilityConcurrencyTests.Silent())
        let rt = Runtime(store: try SQLiteStore.open(path: path, synchronous: .normal), library: library, handlers: handlers,
                         retry: RetryPolicy(), actor: "test")
        let t0 = Instant(parsing: "2026-01-01T00:00:00Z")!
        try rt.start(workflow: "dunned", instanceId: "D", inputs: .object([("due", .string("2026-01-01"))]), now: t0)
        #expect(try rt.tick(now: t0.adding(.days(6))).fired == 3)
        let steps = try rt.store.history(instanceId: "D").filter { $0.kind == "timer" }.map(\.data)
        #expect(steps.count == 3)
        let order = steps.map { d in ["zeta_first", "alpha_second", "middle_third"].first { d.contains($0) } ?? d }
        #expect(order == ["zeta_first", "alpha_second", "middle_third"], "\(steps)")
        #expect(try rt.store.instance(id: "D")?.state == "done")
    }
}
