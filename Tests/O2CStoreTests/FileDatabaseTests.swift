import Foundation
import Synchronization
import GRDB
import O2CCore
import Testing
@testable import O2CStore

@Suite("file databases")
struct FileDatabaseTests {
    @Test func aFileDatabaseUsesWALWithTheChosenDurability() throws {
        // Given a new file database opened with the default (full) durability, and another with normal
        let dir = try TempDir()
        let full = try SQLiteStore.open(path: dir.path("full.sqlite"))
        let normal = try SQLiteStore.open(path: dir.path("normal.sqlite"), synchronous: .normal)

        // When reading the connection settings of the writer
        func pragma(_ store: SQLiteStore, _ name: String) throws -> String? {
            try store.writer.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
        }

        // Then the journal is WAL, synchronous is FULL (2) or NORMAL (1), and foreign keys are enforced
        #expect(try pragma(full, "journal_mode") == "wal")
        #expect(try pragma(full, "synchronous") == "2")
        #expect(try pragma(normal, "synchronous") == "1")
        #expect(try pragma(full, "foreign_keys") == "1")
        #expect(try dir.files().contains("full.sqlite-wal"))
    }

    @Test func twoStoresOnOneFileSeeEachOthersCommits() throws {
        // Given two stores on the same file, as two processes would have
        let dir = try TempDir()
        let path = dir.path("shared.sqlite")
        let writerA = try SQLiteStore.open(path: path)
        let writerB = try SQLiteStore.open(path: path)

        // When A starts an instance and B, having read it, steps it, and A then commits a stale step
        try writerA.commit(Fixture.start("inv-1"))
        let seen = try #require(try writerB.instance(id: "inv-1"))
        try writerB.commit(Fixture.step("inv-1", to: seen.version + 1, state: "by-b"))

        // Then A's stale step is a conflict and both see B's row
        #expect(throws: StoreError.conflict(instanceId: "inv-1")) {
            try writerA.commit(Fixture.step("inv-1", to: 2, state: "by-a"))
        }
        #expect(try writerA.instance(id: "inv-1")?.state == "by-b")
    }

    @Test func concurrentWritersInTwoConnectionsSerializeInsteadOfFailing() throws {
        // Given two stores on one file (two processes' worth of connections), each with its own instances
        let dir = try TempDir()
        let path = dir.path("busy.sqlite")
        let stores = [try SQLiteStore.open(path: path, synchronous: .normal), try SQLiteStore.open(path: path, synchronous: .normal)]
        let perWriter = 40

        // When both commit as fast as they can at the same time
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            do {
                for i in 0..<perWriter {
                    let id = "w\(w)-\(i)"
                    try stores[w].commit(Fixture.start(id))
                    try stores[w].commit(Fixture.step(id, to: 2, state: "s", eventId: "e"))
                }
            } catch {
                failures.record(error)
            }
        }

        // Then no writer saw "database is locked" and every commit landed
        #expect(failures.all.isEmpty)
        #expect(try stores[0].countInstances(filter: InstanceFilter()) == 2 * perWriter)
        #expect(try stores[1].verifyHistory(instanceId: nil).isEmpty)
    }

    @Test func readOnlyOpenRefusesWritesAndLeavesTheFileByteIdentical() throws {
        // Given a database file with data, closed cleanly
        let dir = try TempDir()
        let path = dir.path("o2c.sqlite")
        do {
            let store = try SQLiteStore.open(path: path)
            try store.commit(Fixture.start("inv-1", timers: [("remind", Fixture.at(60))], outbox: ["fx-1"]))
        }
        let bytesBefore = try Data(contentsOf: URL(fileURLWithPath: path))
        let filesBefore = try dir.files()

        // When it is opened read-only, read from, and written to
        do {
            let store = try SQLiteStore.open(path: path, readOnly: true)
            #expect(store.isReadOnly)
            #expect(try store.instance(id: "inv-1")?.version == 1)
            #expect(try store.dueTimers(at: Fixture.at(60), limit: 10).count == 1)
            #expect(try store.verifyHistory(instanceId: nil).isEmpty)

            // Then every kind of write is refused by SQLite
            #expect {
                try store.commit(Fixture.step("inv-1", to: 2, state: "x"))
            } throws: { error in
                guard case .sqlite(let code, let message) = error as? StoreError else { return false }
                return code == 8 && message.contains("readonly")
            }
            #expect(throws: StoreError.self) { try store.markDelivered(effectId: "fx-1", at: Fixture.t0, answer: nil) }
        }

        // And the main file has the same bytes; SQLite may have created the WAL index files it
        // needs to read safely beside writers, but they hold no data (the -wal is empty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytesBefore)
        let created = Set(try dir.files()).subtracting(filesBefore)
        #expect(created.isSubset(of: ["o2c.sqlite-wal", "o2c.sqlite-shm"]))
        if created.contains("o2c.sqlite-wal") {
            let size = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
            #expect(size == 0)
        }

        // And the next read-write open and close removes them again
        do { _ = try SQLiteStore.open(path: path) }
        #expect(try dir.files() == filesBefore)
    }
}

/// Errors collected from several threads.
final class Failures: Sendable {
    private let errors = Mutex<[String]>([])

    func record(_ error: any Error) { errors.withLock { $0.append("\(error)") } }
    var all: [String] { errors.withLock { $0 } }
}
