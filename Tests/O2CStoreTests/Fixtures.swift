import Foundation
import GRDB
import O2CCore
@testable import O2CStore

/// Small builders so each test states only what it is about.
enum Fixture {
    static let t0 = Instant(secondsSinceEpoch: 1_767_225_600) // 2026-01-01T00:00:00Z

    static func at(_ seconds: Int64) -> Instant { Instant(secondsSinceEpoch: t0.secondsSinceEpoch + seconds) }

    static let definition = DefinitionRecord(hash: "def-hash-1", name: "invoice", version: "1.0.0",
                                             source: #"{"workflow":"invoice.yaml"}"#, createdAt: t0)

    static func instance(_ id: String, version: Int = 1, state: String = "issued", status: InstanceStatus = .active,
                         workflow: String = "invoice", businessKey: String? = nil, createdAt: Instant = t0,
                         updatedAt: Instant? = nil) -> InstanceRecord {
        InstanceRecord(id: id, businessKey: businessKey, workflow: workflow, definitionHash: definition.hash,
                       state: state, status: status, snapshot: #"{"state":"\#(state)","v":\#(version)}"#,
                       createdAt: createdAt, updatedAt: updatedAt ?? createdAt, version: version)
    }

    /// The first step of an instance: insert with its definition and one history entry.
    static func start(_ id: String, businessKey: String? = nil, workflow: String = "invoice",
                      createdAt: Instant = t0, timers: [(String, Instant)] = [], outbox: [String] = []) -> StepCommit {
        StepCommit(
            instance: instance(id, workflow: workflow, businessKey: businessKey, createdAt: createdAt),
            expectedVersion: nil,
            timers: timers.map { TimerRecord(instanceId: id, key: $0.0, dueAt: $0.1) },
            outbox: outbox.map { effect(id, $0, at: createdAt) },
            history: [NewHistoryEntry(at: createdAt, kind: "started", data: #"{"amount":"100.00"}"#, actor: "system")],
            processedEventId: "start-\(id)",
            definition: definition)
    }

    /// A later step moving `id` from `version - 1` to `version`.
    static func step(_ id: String, to version: Int, state: String, status: InstanceStatus = .active,
                     eventId: String? = nil, at: Instant? = nil, timers: [(String, Instant)] = [],
                     outbox: [OutboxRecord] = [], history: [String] = ["moved"]) -> StepCommit {
        let when = at ?? Fixture.at(Int64(version) * 60)
        return StepCommit(
            instance: instance(id, version: version, state: state, status: status, updatedAt: when),
            expectedVersion: version - 1,
            timers: timers.map { TimerRecord(instanceId: id, key: $0.0, dueAt: $0.1) },
            outbox: outbox,
            history: history.map { NewHistoryEntry(at: when, kind: $0, data: #"{"state":"\#(state)"}"#, actor: "user:ann") },
            processedEventId: eventId)
    }

    static func effect(_ instanceId: String, _ effectId: String, at: Instant = t0, attempts: Int = 0) -> OutboxRecord {
        OutboxRecord(effectId: effectId, instanceId: instanceId, action: "send_email",
                     arguments: #"{"to":"ap@example.com"}"#, attempts: attempts, nextAttemptAt: at, createdAt: at)
    }
}

/// Everything the store holds, as one comparable value: "nothing was written" means this
/// did not change.
struct Dump: Equatable {
    var tables: [String: [[String]]]

    init(_ store: SQLiteStore) throws {
        tables = try store.writer.read { db in
            var result: [String: [[String]]] = [:]
            for table in ["definition", "instance", "timer", "outbox", "history", "processedEvent", "grdb_migrations"] {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table)")
                result[table] = rows.map { row in row.databaseValues.map(\.description) }
                    .sorted { $0.lexicographicallyPrecedes($1) }
            }
            return result
        }
    }
}

/// A fresh directory under the system temp dir, removed when the test ends.
struct TempDir: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("o2c-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
