import Foundation
import GRDB
import O2CCore
import Testing
@testable import O2CStore

@Suite("migrations")
struct MigrationTests {
    @Test func aFreshDatabaseHasEveryKnownMigration() throws {
        // Given a new in-memory store
        let store = try SQLiteStore.inMemory()

        // When reading the applied migrations
        let applied = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }

        // Then they are exactly the ones this binary knows
        #expect(applied == SQLiteStore.knownMigrations)
        #expect(SQLiteStore.knownMigrations == ["v1", "v2", "v3"])
    }

    @Test func aDatabaseFromANewerBinaryIsRefusedUntouched() throws {
        // Given a database file that a newer binary migrated to "v99"
        let dir = try TempDir()
        let path = dir.path("newer.sqlite")
        do {
            let store = try SQLiteStore.open(path: path)
            try store.commit(Fixture.start("inv-1"))
            try store.writer.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
                try db.execute(sql: "CREATE TABLE futureThing (x INTEGER)")
            }
        }
        let before = try Dump(SQLiteStore(writer: DatabaseQueue(path: path), isReadOnly: true))

        // When this binary opens it, read-write or read-only
        // Then both are refused with the known and found identifiers, and nothing changed
        let expected = StoreError.databaseNewerThanBinary(known: ["v1", "v2", "v3"], found: ["v1", "v2", "v3", "v99"])
        #expect(throws: expected) { try SQLiteStore.open(path: path) }
        #expect(throws: expected) { try SQLiteStore.open(path: path, readOnly: true) }
        #expect(try Dump(SQLiteStore(writer: DatabaseQueue(path: path), isReadOnly: true)) == before)
        #expect(expected.description.contains("`v99`"))
    }

    @Test func readOnlyOpenOfAnUnmigratedDatabaseIsRefused() throws {
        // Given an empty SQLite file that no o2c has migrated yet
        let dir = try TempDir()
        let path = dir.path("empty.sqlite")
        _ = try DatabaseQueue(path: path)

        // When it is opened read-only
        // Then it is refused instead of migrated, naming only what readers need (v2 is an index)
        #expect(throws: StoreError.databaseNeedsMigration(missing: ["v1"])) {
            try SQLiteStore.open(path: path, readOnly: true)
        }
    }

    @Test func severalConnectionsCreatingTheSameFileAtOnceAllSucceed() throws {
        // Given paths where no database exists yet (many, because the collision this guards
        // against, two connections converting a fresh file to WAL at once, is a matter of timing:
        // without the retry about 1 round in 30 failed on a loaded 2-core machine, so 150 rounds)
        let dir = try TempDir()
        for round in 0..<150 {
            let path = dir.path("race-\(round).sqlite")

            // When four connections open (and so convert and migrate) it at the same moment (threads
            // of one process: SQLite locks the file the same way for connections of several)
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do { _ = try SQLiteStore.open(path: path) } catch { failures.record(error) }
            }

            // Then every open succeeded and the schema was applied once
            #expect(failures.all.isEmpty, "round \(round)")
            let store = try SQLiteStore.open(path: path)
            #expect(try store.writer.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") } == ["v1", "v2", "v3"])
        }
    }

    @Test func reopeningAMigratedFileKeepsItsData() throws {
        // Given a file database with one instance
        let dir = try TempDir()
        let path = dir.path("o2c.sqlite")
        do { try SQLiteStore.open(path: path).commit(Fixture.start("inv-1")) }

        // When it is reopened by the same binary
        let store = try SQLiteStore.open(path: path)

        // Then nothing is migrated again and the data is there
        #expect(try store.instance(id: "inv-1")?.version == 1)
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM grdb_migrations") } == 3)
    }

    @Test func aDatabaseFromTheV1BinaryOpensReadOnlyAndGainsItsIndexOnTheFirstWrite() throws {
        // Given a file as the v1 binary left it: v1 applied, no outbox_instance index
        let dir = try TempDir()
        let path = dir.path("v1.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                try db.execute(sql: Migrations.v1)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v1')")
            }
            try SQLiteStore(writer: queue, isReadOnly: false).commit(Fixture.start("inv-1", outbox: ["fx-1"]))
        }
        func indexes(_ store: SQLiteStore) throws -> [String] {
            try store.writer.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL ORDER BY name") }
        }

        // When a read-only command (show, history) opens it
        let reader = try SQLiteStore.open(path: path, readOnly: true)

        // Then it is not refused, and the undelivered effects come from the unindexed table
        #expect(try indexes(reader) == ["outbox_due"])
        #expect(try reader.undeliveredOutbox(instanceId: "inv-1").map(\.effectId) == ["fx-1"])

        // When a read-write command opens it
        let writer = try SQLiteStore.open(path: path)

        // Then v2 and v3 are applied and the data is intact
        #expect(try writer.writer.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") } == ["v1", "v2", "v3"])
        #expect(try indexes(writer) == ["outbox_engine", "outbox_instance", "outbox_pending"])
        #expect(try writer.undeliveredOutbox(instanceId: "inv-1").map(\.effectId) == ["fx-1"])
    }
}
