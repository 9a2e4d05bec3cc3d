import Foundation
import Logging
import O2CCore
import O2CLoader
import O2CModel
import O2CRuntime
import O2CStore
import Testing

/// What `tick` reports is what it did: "N timers fired" counts timers that fired, not timer rows
/// it only cleaned up because an earlier timer of the same batch moved the instance on.
@Suite struct TickCountTests {
    static let workflow = """
    workflow: reminder
    version: "1"
    inputs:
      total: money
    start: waiting
    states:
      waiting:
        after:
          - in: 1h
            goto: escalated
          - in: 2h
            goto: lapsed
      escalated:
        after:
          - in: 30d
            goto: lapsed
      lapsed:
        final: true
    """

    /// A timer whose step fails the instance (division by zero), and an event another process
    /// delivers in between the tick's read and its commit.
    static let failing = """
    workflow: brittle
    version: "1"
    inputs:
      total: money
    context:
      divisor: {type: decimal, initial: 0}
      pokes: {type: int, initial: 0}
    events:
      poke: {}
      close: {}
    start: open
    states:
      open:
        after:
          - in: 1h
            set: {divisor: 10 / divisor}
        on:
          poke: {set: {pokes: pokes + 1}}
          close: done
      done:
        final: true
    """

    static let t0 = Instant(parsing: "2026-01-01T00:00:00Z")!

    func runtime() throws -> Runtime {
        let (library, ds) = LibraryLoader.load([LibraryLoader.Source(path: "workflows/reminder.yaml", text: Self.workflow)])
        #expect(!ds.hasErrors, "\(ds)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("o2c-tickcount-\(UUID().uuidString).sqlite").path
        let store = try SQLiteStore.open(path: path, synchronous: .normal)
        let handlers = HandlerRegistry(config: RuntimeConfig(), projectRoot: ".", logger: Logger(label: "test"))
        return Runtime(store: store, library: library, handlers: handlers, retry: RetryPolicy(), actor: "test")
    }

    @Test("an instance failed by a timer is counted once, when its step commits, though a lost race made the tick compute it twice")
    func failedInstanceCountedOnce() throws {
        let (library, ds) = LibraryLoader.load([LibraryLoader.Source(path: "workflows/brittle.yaml", text: Self.failing)])
        #expect(!ds.hasErrors, "\(ds)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("o2c-tickfail-\(UUID().uuidString).sqlite").path
        func runtime(_ store: any InstanceStore) -> Runtime {
            Runtime(store: store, library: library, handlers: HandlerRegistry(config: RuntimeConfig(), projectRoot: ".", logger: Logger(label: "test")),
                    retry: RetryPolicy(), actor: "test")
        }
        let setup = runtime(try SQLiteStore.open(path: path, synchronous: .normal))
        try setup.start(workflow: "brittle", instanceId: "B", inputs: .object([("total", .string("1.00 EUR"))]), now: Self.t0)
        let store = InterleavingStore(base: try SQLiteStore.open(path: path, synchronous: .normal)) {
            _ = try? setup.advance("B", event: "poke", payload: .object([]), eventId: "p-1", now: Self.t0.adding(Duration(seconds: 60)))
        }
        let report = try runtime(store).tick(now: Self.t0.adding(Duration(seconds: 2 * 3600)))
        #expect(report.conflicts == 1)
        #expect(report.fired == 1)
        #expect(report.failedInstances == 1)
        #expect(try store.base.instance(id: "B")?.status == .failed)
    }

    @Test("a timer dropped by the one before it in the same batch is cleaned up, not counted as fired")
    func droppedTimerIsNotCounted() throws {
        let rt = try runtime()
        for i in 0..<3 {
            try rt.start(workflow: "reminder", instanceId: "R\(i)", inputs: .object([("total", .string("10.00 EUR"))]), now: Self.t0)
        }
        // Both of each instance's timers are due in one batch; the first leaves `waiting`, so the
        // second (`in: 2h`) is no longer armed when its row comes up.
        let report = try rt.tick(now: Self.t0.adding(Duration(seconds: 3 * 3600)))
        #expect(report.fired == 3)
        #expect(report.cleaned == 3)
        for i in 0..<3 {
            #expect(try rt.store.history(instanceId: "R\(i)").filter { $0.kind == "timer" }.count == 1)
            #expect(try rt.store.instance(id: "R\(i)")?.state == "escalated")
        }
        // Nothing is left to clean up or fire before the 30-day timer.
        let again = try rt.tick(now: Self.t0.adding(Duration(seconds: 4 * 3600)))
        #expect(again.fired == 0 && again.cleaned == 0)
    }
}
