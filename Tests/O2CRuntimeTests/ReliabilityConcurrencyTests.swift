import Foundation
import Logging
import O2CCore
import O2CLoader
import O2CModel
import O2CRuntime
import O2CStore
import Testing

/// Several threads, each with its own `SQLiteStore` (its own connection pool) on one database
/// file, as several o2c processes would be: no lost update, no timer fired twice, no busy error.
/// Also run under ThreadSanitizer (docs/reliability.md):
///
///     swift test --sanitize thread --scratch-path .build-tsan --filter ReliabilityConcurrency
@Suite(.serialized) struct ReliabilityConcurrencyTests {
    static let workflow = """
    workflow: ledger
    version: "1"
    inputs:
      total: money
    context:
      balance: {type: money, initial: total}
      payments: {type: int, initial: 0}
      reminders: {type: int, initial: 0}
    events:
      payment: {amount: money}
      close: {}
    start: open
    states:
      open:
        after:
          - in: 1h
            set: {reminders: reminders + 1}
            do: [{log: {n: reminders}}]
          - in: 2h
            set: {reminders: reminders + 1}
          - in: 3h
            set: {reminders: reminders + 1}
        on:
          payment: {set: {balance: balance - event.amount, payments: payments + 1}}
          close: closed
      closed:
        final: true
    """

    static let library: Library = {
        let (lib, ds) = LibraryLoader.load([LibraryLoader.Source(path: "workflows/ledger.yaml", text: workflow)])
        precondition(!ds.hasErrors, "\(ds)")
        return lib
    }()

    static let t0 = Instant(parsing: "2026-01-01T00:00:00Z")!

    static func tempDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("o2c-rel-\(UUID().uuidString).sqlite").path
    }

    /// A runtime on its own connection pool, as a separate process would have.
    static func runtime(_ path: String, actor: String) throws -> Runtime {
        let store = try SQLiteStore.open(path: path, synchronous: .normal)
        var handlers = HandlerRegistry(config: RuntimeConfig(), projectRoot: ".", logger: Logger(label: "test"))
        handlers.register("log", Silent())
        return Runtime(store: store, library: library, handlers: handlers, retry: RetryPolicy(), actor: actor)
    }

    struct Silent: ActionHandler {
        func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? { nil }
    }

    static func context(_ store: SQLiteStore, _ id: String) throws -> [String: Value] {
        let record = try #require(try store.instance(id: id))
        let json = try JSON.parse(record.snapshot)
        guard case .object(let snapshot)? = Value(taggedJSON: json), case .object(let context)? = snapshot["context"] else {
            Issue.record("unreadable snapshot of \(id)")
            return [:]
        }
        return context
    }

    @Test("threads with separate stores pay the same invoices concurrently: every payment counted once")
    func concurrentPaymentsNoLostUpdate() throws {
        let path = Self.tempDatabase()
        let setup = try Self.runtime(path, actor: "setup")
        let instances = 4
        for i in 0..<instances {
            try setup.start(workflow: "ledger", instanceId: "L\(i)", inputs: .object([("total", .string("100.00 EUR"))]), now: Self.t0)
        }
        let threads = 4, perThread = 25
        let errors = Mutexed<[String]>([])
        let runtimes = try (0..<threads).map { try Self.runtime(path, actor: "thread-\($0)") }
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for n in 0..<perThread {
                let id = "L\((t + n) % instances)"
                do {
                    try runtimes[t].advance(id, event: "payment", payload: .object([("amount", .string("1.00 EUR"))]),
                                            eventId: "t\(t)-\(n)", now: Self.t0.adding(Duration(seconds: 60)))
                    // The same event id again, from another thread's store: acknowledged, not applied.
                    if n % 5 == 0 {
                        let again = try runtimes[(t + 1) % threads].advance(id, event: "payment", payload: .object([("amount", .string("1.00 EUR"))]),
                                                                             eventId: "t\(t)-\(n)", now: Self.t0.adding(Duration(seconds: 60)))
                        if case .applied = again { errors.withLock { $0.append("t\(t)-\(n) applied twice") } }
                    }
                } catch {
                    errors.withLock { $0.append("\(id) t\(t)-\(n): \(error)") }
                }
            }
        }
        #expect(errors.withLock { $0 } == [])
        let store = try SQLiteStore.open(path: path, synchronous: .normal)
        var total = 0
        for i in 0..<instances {
            let context = try Self.context(store, "L\(i)")
            guard case .number(let paid)? = context["payments"], let n = Int(paid.description) else {
                Issue.record("L\(i) has no payments count")
                continue
            }
            total += n
            #expect(context["balance"] == .money(Money(parsing: "\(100 - n).00 EUR")!))
            #expect(try store.history(instanceId: "L\(i)").filter { $0.kind == "event" }.count == n)
        }
        #expect(total == threads * perThread)
        #expect(try store.verifyHistory(instanceId: nil).isEmpty)
    }

    @Test("concurrent ticks from separate stores fire every timer exactly once")
    func concurrentTicksFireOnce() throws {
        let path = Self.tempDatabase()
        let setup = try Self.runtime(path, actor: "setup")
        let instances = 30
        for i in 0..<instances {
            try setup.start(workflow: "ledger", instanceId: "T\(i)", inputs: .object([("total", .string("10.00 EUR"))]), now: Self.t0)
        }
        let runtimes = try (0..<4).map { try Self.runtime(path, actor: "ticker-\($0)") }
        let errors = Mutexed<[String]>([])
        let fired = Mutexed(0)
        DispatchQueue.concurrentPerform(iterations: runtimes.count) { t in
            do {
                // Staggered batch sizes and two rounds each, so the tickers overlap on the same rows.
                for hours in [2, 4] {
                    let r = try runtimes[t].tick(now: Self.t0.adding(Duration(seconds: Int64(hours) * 3600)), batchSize: [1, 3, 7, 64][t])
                    fired.withLock { $0 += r.fired }
                }
            } catch {
                errors.withLock { $0.append("ticker \(t): \(error)") }
            }
        }
        #expect(errors.withLock { $0 } == [])
        // A ticker that met only conflicts reads again, so the four leave nothing due.
        #expect(try setup.tick(now: Self.t0.adding(Duration(seconds: 4 * 3600))).fired == 0)
        // Each timer fires at most once (commits are version-checked) and a stale row is counted as
        // cleaned, not fired: the tickers' reports add up to exactly the timers in history.
        #expect(fired.withLock { $0 } == instances * 3)
        let store = try SQLiteStore.open(path: path, synchronous: .normal)
        for i in 0..<instances {
            let timers = try store.history(instanceId: "T\(i)").filter { $0.kind == "timer" }
            #expect(timers.count == 3, "T\(i) fired \(timers.count) timers")
            #expect(try Self.context(store, "T\(i)")["reminders"] == .int(3))
        }
        #expect(try store.outbox(status: .pending).isEmpty)
        #expect(try store.outbox(status: nil).count == instances)
        #expect(try store.verifyHistory(instanceId: nil).isEmpty)
    }

    @Test("a payment committed between a tick's read and its group commit is kept, and every timer still fires once")
    func chainedTimersDoNotOverwriteAConcurrentStep() throws {
        let path = Self.tempDatabase()
        let setup = try Self.runtime(path, actor: "setup")
        try setup.start(workflow: "ledger", instanceId: "R", inputs: .object([("total", .string("100.00 EUR"))]), now: Self.t0)
        let payer = try Self.runtime(path, actor: "payer")
        // The tick reads R (version 1) and chains its three due timers (versions 2, 3, 4); just
        // before the group commit, another process pays (version 2). Before the fix the second
        // timer's commit (expecting version 2) overwrote the payment, and the first timer was lost.
        let store = InterleavingStore(base: try SQLiteStore.open(path: path, synchronous: .normal)) {
            _ = try? payer.advance("R", event: "payment", payload: .object([("amount", .string("1.00 EUR"))]), eventId: "bank-1",
                               now: Self.t0.adding(Duration(seconds: 60)))
        }
        var handlers = HandlerRegistry(config: RuntimeConfig(), projectRoot: ".", logger: Logger(label: "test"))
        handlers.register("log", Silent())
        let ticker = Runtime(store: store, library: Self.library, handlers: handlers, retry: RetryPolicy(), actor: "ticker")
        // The tick's first round meets only the conflict; its next round reads the paid instance
        // and fires the three timers on it, so one tick leaves nothing due.
        let first = try ticker.tick(now: Self.t0.adding(Duration(seconds: 4 * 3600)))
        #expect(first.fired == 3)
        #expect(first.conflicts == 3)
        let second = try ticker.tick(now: Self.t0.adding(Duration(seconds: 4 * 3600)))
        #expect(second.fired == 0)
        let check = try SQLiteStore.open(path: path, synchronous: .normal)
        let context = try Self.context(check, "R")
        #expect(context["balance"] == .money(Money(parsing: "99.00 EUR")!))
        #expect(context["payments"] == .int(1))
        #expect(context["reminders"] == .int(3))
        let history = try check.history(instanceId: "R")
        #expect(history.filter { $0.kind == "timer" }.count == 3)
        #expect(history.filter { $0.kind == "event" }.count == 1)
        #expect(try check.timers(instanceId: "R").isEmpty)
        #expect(try check.verifyHistory(instanceId: nil).isEmpty)
    }
}

/// Forwards to a store, running `interleave` once just before the first group commit: another
/// writer's step lands between the tick's reads and its commit.
struct InterleavingStore: InstanceStore {
    let base: SQLiteStore
    let interleave: @Sendable () -> Void
    let done = Mutexed(false)

    init(base: SQLiteStore, interleave: @escaping @Sendable () -> Void) {
        self.base = base
        self.interleave = interleave
    }

    func commit(_ c: StepCommit) throws { try base.commit(c) }
    func commit(batch: [StepCommit]) throws -> [Result<Void, StoreError>] {
        let first = done.withLock { (d: inout Bool) -> Bool in
            defer { d = true }
            return !d
        }
        if first { interleave() }
        return try base.commit(batch: batch)
    }
    func definition(hash: String) throws -> DefinitionRecord? { try base.definition(hash: hash) }
    func instance(id: String) throws -> InstanceRecord? { try base.instance(id: id) }
    func instance(workflow: String, businessKey: String) throws -> InstanceRecord? { try base.instance(workflow: workflow, businessKey: businessKey) }
    func instances(filter: InstanceFilter) throws -> [InstanceRecord] { try base.instances(filter: filter) }
    func countInstances(filter: InstanceFilter) throws -> Int { try base.countInstances(filter: filter) }
    func history(instanceId: String) throws -> [HistoryRecord] { try base.history(instanceId: instanceId) }
    func timers(instanceId: String) throws -> [TimerRecord] { try base.timers(instanceId: instanceId) }
    func dueTimers(at now: Instant, limit: Int) throws -> [TimerRecord] { try base.dueTimers(at: now, limit: limit) }
    func isEventProcessed(instanceId: String, eventId: String) throws -> Bool { try base.isEventProcessed(instanceId: instanceId, eventId: eventId) }
    func pendingOutbox(dueAt now: Instant, limit: Int) throws -> [OutboxRecord] { try base.pendingOutbox(dueAt: now, limit: limit) }
    func markDelivered(effectId: String, at: Instant, answer: String?) throws -> Bool { try base.markDelivered(effectId: effectId, at: at, answer: answer) }
    func markFailed(effectId: String, attempts: Int, nextAttemptAt: Instant, error: String, dead: Bool) throws -> Bool {
        try base.markFailed(effectId: effectId, attempts: attempts, nextAttemptAt: nextAttemptAt, error: error, dead: dead)
    }
    func outbox(status: OutboxStatus?) throws -> [OutboxRecord] { try base.outbox(status: status) }
    func retryDead(effectId: String, at: Instant) throws -> Bool { try base.retryDead(effectId: effectId, at: at) }
    func verifyHistory(instanceId: String?) throws -> [ChainBreak] { try base.verifyHistory(instanceId: instanceId) }
    func allInstanceIds() throws -> [String] { try base.allInstanceIds() }
}

/// A value shared between test threads.
final class Mutexed<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func withLock<R>(_ body: (inout T) -> R) -> R { lock.withLock { body(&value) } }
}
