import Foundation
import GRDB
import Logging
import O2CCore
import O2CEngine
import O2CModel
import O2CRuntime
import O2CStore

/// Databases of waiting invoice instances, built once per size and copied for each use.
///
/// Every instance is an `invoice` (workflows/invoice.yaml) in state `open`, its B2B dunning
/// ladder scheduled (rules/dunning-b2b.yaml): issued on day 0, due on day 30, so the first ladder
/// step (`friendly_reminder`, due − 3 days) is due on day 27 for every one of them.
enum Fixtures {
    static let issue = Day(parsing: "2026-01-01")!
    static var issueInstant: Instant { issue.startInstant }
    static var due: Day { Day(daysSinceEpoch: issue.daysSinceEpoch + 30) }
    /// A moment when exactly one timer per instance is due (the friendly reminder).
    static var firstReminder: Instant { Instant(secondsSinceEpoch: due.startInstant.secondsSinceEpoch - 2 * 86_400) }

    nonisolated(unsafe) static var pristine: [Int: String] = [:]
    static let dir = TempDir("fixtures")

    static func total(_ i: Int) -> Money {
        Money(ExactDecimal("\(1000 + (i * 37) % 9973).\(10 + i % 90)")!, Currency("EUR")!)
    }

    static func inputs(_ i: Int) -> [String: Value] {
        ["invoice": .object([
            "id": .string("INV-\(i)"), "customer_id": .string("C-\(i % 5000)"), "customer_email": .string("ap\(i % 5000)@example.com"),
            "total": .money(total(i)), "issue_date": .date(issue), "due_date": .date(due),
        ])]
    }

    static func runtime(_ store: SQLiteStore, _ library: Library) -> Runtime {
        let logger = Logger(label: "o2c-bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let registry = HandlerRegistry(config: RuntimeConfig(), projectRoot: NSTemporaryDirectory(), logger: logger)
        return Runtime(store: store, library: library, handlers: registry, retry: RetryPolicy(), actor: "bench", logger: logger)
    }

    /// A fresh copy of a database of `count` waiting invoices.
    static func invoices(_ count: Int, library: Library, into path: String) -> String {
        if pristine[count] == nil {
            let p = dir.file("invoices-\(count).sqlite")
            let t = Clock.seconds { build(count, library: library, path: p) }
            Report.info("built a fixture of \(count) invoices in \(String(format: "%.1f", t)) s")
            pristine[count] = p
        }
        let src = pristine[count]!
        let fm = FileManager.default
        for suffix in ["", "-wal", "-shm"] {
            try? fm.removeItem(atPath: path + suffix)
            if fm.fileExists(atPath: src + suffix) { try! fm.copyItem(atPath: src + suffix, toPath: path + suffix) }
        }
        return path
    }

    private static func build(_ count: Int, library: Library, path: String) {
        do {
            let store = try SQLiteStore.open(path: path, synchronous: .normal)
            let rt = runtime(store, library)
            let wf = library.workflow("invoice")!
            // The first through the runtime (it also pins the definition), the rest in batches.
            try rt.start(workflow: wf, in: library, instanceId: "invoice-0", businessKey: "INV-0", parentId: nil, values: inputs(0), now: issueInstant)
            let interpreter = Interpreter(library: library, workflow: wf)
            var batch: [StepCommit] = []
            for i in 1..<max(count, 1) {
                let step = try interpreter.start(StartRequest(instanceId: "invoice-\(i)", businessKey: "INV-\(i)", inputs: inputs(i)), now: issueInstant)
                batch.append(commit(step, hash: library.hash))
                if batch.count == 2000 {
                    _ = try store.commit(batch: batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { _ = try store.commit(batch: batch) }
        } catch {
            fatalError("fixture: \(error)")
        }
        checkpoint(path)
    }

    /// Folds the WAL into the main file, so that copies are self-contained.
    static func checkpoint(_ path: String) {
        do {
            let q = try DatabaseQueue(path: path)
            try q.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        } catch { Report.info("checkpoint of \(path): \(error)") }
    }

    /// The rows of a start, as the runtime's CommitBuilder makes them.
    static func commit(_ step: Step, hash: String) -> StepCommit {
        let s = step.snapshot
        let record = InstanceRecord(id: s.instanceId, businessKey: s.businessKey, workflow: s.workflow, definitionHash: hash, parentId: s.parentId,
                                    state: s.state, status: InstanceStatus(rawValue: s.status.rawValue) ?? .active, outcome: s.outcome,
                                    snapshot: SnapshotCodec.encode(s), createdAt: s.startedAt, updatedAt: s.updatedAt, version: 1)
        return StepCommit(instance: record, expectedVersion: nil,
                          timers: s.timers.map { TimerRecord(instanceId: s.instanceId, key: $0.key, dueAt: $0.due) },
                          outbox: step.effects.map {
                              OutboxRecord(effectId: $0.id, instanceId: s.instanceId, action: $0.action,
                                           arguments: Value.object($0.arguments).taggedJSON.serialized(), nextAttemptAt: s.updatedAt, createdAt: s.updatedAt)
                          },
                          history: step.history.map {
                              NewHistoryEntry(at: $0.at, kind: $0.kind, data: Value.object($0.data).taggedJSON.serialized(), actor: "bench")
                          })
    }

    /// Row counts of the tables a step writes.
    struct Counts {
        var history = 0, outbox = 0, timer = 0, instance = 0, processed = 0
        static func read(_ path: String) -> Counts {
            do {
                let q = try DatabaseQueue(path: path)
                return try q.read { db in
                    Counts(history: try Int.fetchOne(db, sql: "SELECT count(*) FROM history")!,
                           outbox: try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox")!,
                           timer: try Int.fetchOne(db, sql: "SELECT count(*) FROM timer")!,
                           instance: try Int.fetchOne(db, sql: "SELECT count(*) FROM instance")!,
                           processed: try Int.fetchOne(db, sql: "SELECT count(*) FROM processedEvent")!)
                }
            } catch { return Counts() }
        }
    }

    /// Average sizes of the text a step writes, for the raw-SQLite floor.
    struct Shapes {
        var snapshotBytes = 1500, historyBytes = 200, outboxBytes = 200
        static func read(_ path: String) -> Shapes {
            do {
                let q = try DatabaseQueue(path: path)
                return try q.read { db in
                    Shapes(snapshotBytes: try Int.fetchOne(db, sql: "SELECT CAST(avg(length(snapshot)) AS INTEGER) FROM instance") ?? 1500,
                           historyBytes: try Int.fetchOne(db, sql: "SELECT CAST(avg(length(data)) AS INTEGER) FROM history") ?? 200,
                           outboxBytes: try Int.fetchOne(db, sql: "SELECT CAST(avg(length(arguments)) AS INTEGER) FROM outbox") ?? 200)
                }
            } catch { return Shapes() }
        }
    }
}
