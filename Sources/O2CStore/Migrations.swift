import GRDB

/// The schema, as an append-only list of migrations.
///
/// Why append-only: a database on disk is migrated by whichever binary opens it; editing a
/// shipped migration would leave old files and new files with different schemas under the same
/// identifier. Add "v2", "v3"… and never change "v1". Table and column names are literal SQL so
/// the schema reads the same here, in `docs/storage.md` and in `sqlite3 .schema`.
enum Migrations {
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in try db.execute(sql: v1) }
        m.registerMigration("v2") { db in try db.execute(sql: v2) }
        m.registerMigration("v3") { db in try db.execute(sql: v3) }
        return m
    }()

    /// Migrations that only add indexes. A reader sees the same rows without them (just
    /// slower), so a read-only open of a database last written by an older binary is not
    /// refused for lacking them: it must not write, so it could not add them anyway.
    static let optionalForReaders: Set<String> = ["v2", "v3"]

    static var known: [String] { migrator.migrations }

    /// Brings a read-write database to the current schema, refusing one from a newer binary.
    ///
    /// Why the re-check after a failure: GRDB reads the applied list before taking the write
    /// lock, so two processes opening a fresh file at once can both try "v1"; the loser fails on
    /// CREATE TABLE, and finds the work done when it looks again.
    static func migrate(_ writer: any DatabaseWriter) throws {
        if try check(writer).isEmpty { return }
        var attempt = 0
        while true {
            do {
                try migrator.migrate(writer)
                _ = try check(writer)
                return
            } catch let error as StoreError {
                throw error
            } catch {
                attempt += 1
                if try check(writer).isEmpty { return }
                if attempt >= 3 { throw error }
            }
        }
    }

    /// Refuses a database that needs migrating, for read-only opens that must not write.
    static func requireCurrent(_ writer: any DatabaseReader) throws {
        let missing = try check(writer).filter { !optionalForReaders.contains($0) }
        if !missing.isEmpty { throw StoreError.databaseNeedsMigration(missing: missing) }
    }

    /// Throws if the database knows migrations this binary does not; else returns the missing ones.
    private static func check(_ reader: any DatabaseReader) throws -> [String] {
        let applied = try reader.read { db in try migrator.appliedIdentifiers(db) }
        let known = migrator.migrations
        if !applied.isSubset(of: Set(known)) {
            throw StoreError.databaseNewerThanBinary(known: known, found: applied.sorted())
        }
        return known.filter { !applied.contains($0) }
    }

    // Notes on v1:
    // - Times are INTEGER epoch seconds (the engine's `Instant`), never text, so comparisons
    //   and the due scans are integer index lookups.
    // - timer and processedEvent are WITHOUT ROWID: their primary key is the only access path,
    //   so one b-tree instead of two per insert.
    // - Foreign keys have no cascades: nothing is ever deleted by the engine, and deleting an
    //   instance must not silently take its audit trail with it.
    // - outbox uses a CHECK tying status 'delivered' to deliveredAt so a half-updated row
    //   cannot exist.
    static let v1 = """
        CREATE TABLE definition (
            hash TEXT NOT NULL PRIMARY KEY CHECK (length(hash) > 0),
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            source TEXT NOT NULL,
            createdAt INTEGER NOT NULL
        );

        CREATE TABLE instance (
            id TEXT NOT NULL PRIMARY KEY CHECK (length(id) > 0),
            businessKey TEXT,
            workflow TEXT NOT NULL,
            definitionHash TEXT NOT NULL REFERENCES definition(hash),
            parentId TEXT,
            state TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'completed', 'failed', 'cancelled')),
            outcome TEXT,
            snapshot TEXT NOT NULL,
            createdAt INTEGER NOT NULL,
            updatedAt INTEGER NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1)
        );
        CREATE UNIQUE INDEX instance_businessKey ON instance(workflow, businessKey) WHERE businessKey IS NOT NULL;
        CREATE INDEX instance_created ON instance(createdAt, id);
        CREATE INDEX instance_workflow ON instance(workflow, createdAt);
        CREATE INDEX instance_state ON instance(state, createdAt);
        CREATE INDEX instance_status ON instance(status, createdAt);
        CREATE INDEX instance_parent ON instance(parentId) WHERE parentId IS NOT NULL;

        CREATE TABLE timer (
            instanceId TEXT NOT NULL REFERENCES instance(id),
            key TEXT NOT NULL,
            dueAt INTEGER NOT NULL,
            PRIMARY KEY (instanceId, key)
        ) WITHOUT ROWID;
        CREATE INDEX timer_due ON timer(dueAt, instanceId, key);

        CREATE TABLE outbox (
            effectId TEXT NOT NULL PRIMARY KEY CHECK (length(effectId) > 0),
            instanceId TEXT NOT NULL REFERENCES instance(id),
            action TEXT NOT NULL,
            arguments TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
            attempts INTEGER NOT NULL CHECK (attempts >= 0),
            nextAttemptAt INTEGER NOT NULL,
            lastError TEXT,
            createdAt INTEGER NOT NULL,
            deliveredAt INTEGER,
            answer TEXT,
            CHECK ((status = 'delivered') = (deliveredAt IS NOT NULL))
        );
        CREATE INDEX outbox_due ON outbox(status, nextAttemptAt, effectId);

        CREATE TABLE history (
            instanceId TEXT NOT NULL REFERENCES instance(id),
            seq INTEGER NOT NULL CHECK (seq >= 1),
            at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            actor TEXT NOT NULL,
            prevHash TEXT NOT NULL CHECK (length(prevHash) = 64),
            hash TEXT NOT NULL CHECK (length(hash) = 64),
            PRIMARY KEY (instanceId, seq)
        );

        CREATE TABLE processedEvent (
            instanceId TEXT NOT NULL REFERENCES instance(id),
            eventId TEXT NOT NULL,
            processedAt INTEGER NOT NULL,
            PRIMARY KEY (instanceId, eventId)
        ) WITHOUT ROWID;
        """

    // v2: `o2c show` lists one instance's undelivered effects; without this index that was a
    // scan of the whole outbox (465 ms at 100k instances). Only instanceId, not status: the
    // worker updates status on every delivery, and an instance has a handful of rows to filter.
    static let v2 = """
        CREATE INDEX outbox_instance ON outbox(instanceId);
        """

    // v3: the worker delivers due effects in the order they were written. Ordering by effect id
    // put `I:10:0` before `I:9:0` and `I:5:10` before `I:5:2` (text order), so an `emit` could
    // overtake the `start` of the child it was meant for. rowid is the insertion order (outbox
    // rows are never deleted); this index gives (status, nextAttemptAt, rowid) order without a sort.
    // `outbox_engine` lets `tick` find the `start` and `emit` effects it delivers between
    // deadlines without reading past a backlog of notices for the handlers.
    static let v3 = """
        CREATE INDEX outbox_pending ON outbox(status, nextAttemptAt);
        DROP INDEX outbox_due;
        CREATE INDEX outbox_engine ON outbox(nextAttemptAt) WHERE status = 'pending' AND action IN ('emit', 'start');
        """
}
