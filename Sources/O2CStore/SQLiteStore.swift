import Foundation
import GRDB
import O2CCore

/// The SQLite implementation of `InstanceStore`, on GRDB.
///
/// A value type holding the connection: copies share the same pool, and GRDB serializes
/// access to it, so the store is `Sendable` without locks of its own.
public struct SQLiteStore: InstanceStore {
    /// How hard a commit waits for the disk (PRAGMA synchronous).
    public enum Synchronous: String, Sendable, Hashable {
        /// WAL is synced at checkpoints only: survives a process crash, but a power loss can
        /// drop the last commits. For tests, simulations and bulk imports.
        case normal
        /// WAL is synced at every commit: an acknowledged commit survives a power loss.
        case full
    }

    let writer: any DatabaseWriter
    /// True when opened with `readOnly: true`; every write then fails with SQLITE_READONLY.
    public let isReadOnly: Bool

    init(writer: any DatabaseWriter, isReadOnly: Bool) {
        self.writer = writer
        self.isReadOnly = isReadOnly
    }

    /// Opens (creating and migrating if needed) a database file in WAL mode.
    ///
    /// Why WAL and a pool: `list` and `tick` read while `advance` or the worker writes, and WAL
    /// lets readers proceed without blocking the single writer. Why a busy timeout: several
    /// o2c processes share the file, and a short wait beats "database is locked".
    ///
    /// `readOnly: true` is for the dry-run simulator, which must leave the database
    /// byte-identical: one read-only connection (a queue, not a pool: a sequential replay has
    /// nothing to run in parallel), no migration, no journal-mode change, no checkpoint. A
    /// database that would need migrating is refused with `databaseNeedsMigration` instead.
    /// SQLite may still create an empty `-wal` and a `-shm` beside the file if absent (see
    /// docs/storage.md); the main file is never written.
    public static func open(path: String, synchronous: Synchronous = .full, readOnly: Bool = false) throws -> SQLiteStore {
        do {
            var config = Configuration()
            config.label = "o2c"
            config.foreignKeysEnabled = true
            config.busyMode = .timeout(5)
            config.prepareDatabase(Self.prepareConnection)
            if readOnly {
                config.readonly = true
                let queue = try DatabaseQueue(path: path, configuration: config)
                try Migrations.requireCurrent(queue)
                return SQLiteStore(writer: queue, isReadOnly: true)
            }
            let pool = try openPool(path: path, configuration: config)
            // After the pool exists: GRDB's WAL setup sets synchronous = NORMAL on the writer.
            // fullfsync matters on Apple platforms only, where fsync does not flush the drive cache.
            try pool.writeWithoutTransaction { db in
                switch synchronous {
                case .full: try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA fullfsync = ON")
                case .normal: try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
            }
            try Migrations.migrate(pool)
            return SQLiteStore(writer: pool, isReadOnly: false)
        } catch {
            throw StoreError(error)
        }
    }

    /// How long opening waits for other processes, as the busy timeout does for writes.
    static let busyBudget: Swift.Duration = .seconds(5)

    /// Opens the pool, retrying while another process converts a fresh file to WAL.
    ///
    /// Why: the pool's first statement is `PRAGMA journal_mode = WAL`, which needs an exclusive
    /// lock, and SQLite does not call the busy handler for it. Two processes opening a new file
    /// at once could then fail at once with "database is locked" (about 1 open in 30 under load,
    /// four at a time), whatever the busy timeout. WAL is a property of the file, so a retry a
    /// few milliseconds later finds the conversion done and takes no lock at all.
    static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let clock = ContinuousClock()
        let deadline = clock.now + busyBudget
        var pause = 0.001
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && clock.now < deadline {
                // Jittered so that the processes that collided do not collide again.
                Thread.sleep(forTimeInterval: pause * Double.random(in: 0.5...1.5))
                pause = min(pause * 2, 0.1)
            }
        }
    }

    /// A private in-memory database, for tests and dry runs.
    public static func inMemory() throws -> SQLiteStore {
        do {
            var config = Configuration()
            config.label = "o2c.memory"
            config.foreignKeysEnabled = true
            config.prepareDatabase(Self.prepareConnection)
            let queue = try DatabaseQueue(configuration: config)
            try Migrations.migrate(queue)
            return SQLiteStore(writer: queue, isReadOnly: false)
        } catch {
            throw StoreError(error)
        }
    }

    /// Per-connection settings.
    ///
    /// Why temp_store = MEMORY: group commit opens a savepoint per item, and SQLite keeps each
    /// savepoint's undo pages in a sub-journal; as a temp file (the default on Debian's build)
    /// that was ~50 small writes per step and dominated a durable tick. Nothing in a
    /// sub-journal needs to survive a crash: the WAL is the durable record.
    @Sendable static func prepareConnection(_ db: Database) throws {
        try db.execute(sql: "PRAGMA temp_store = MEMORY")
    }

    /// The migration identifiers this binary knows, oldest first.
    public static var knownMigrations: [String] { Migrations.known }

    // MARK: - Access helpers

    /// One IMMEDIATE transaction: the write lock is taken at BEGIN, so two processes that both
    /// read-then-write queue up on the busy timeout instead of deadlocking on lock upgrade.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw StoreError(error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch {
            throw StoreError(error)
        }
    }

    // MARK: - Reads

    public func definition(hash: String) throws -> DefinitionRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Columns.definition) FROM definition WHERE hash = ?", arguments: [hash])
                .map(DefinitionRecord.init(row:))
        }
    }

    public func instance(id: String) throws -> InstanceRecord? {
        try read { db in
            let stmt = try db.cachedStatement(sql: "SELECT \(Columns.instance) FROM instance WHERE id = ?")
            return try Row.fetchOne(stmt, arguments: [id]).map(InstanceRecord.init(row:))
        }
    }

    public func instance(workflow: String, businessKey: String) throws -> InstanceRecord? {
        try read { db in
            let stmt = try db.cachedStatement(
                sql: "SELECT \(Columns.instance) FROM instance WHERE workflow = ? AND businessKey = ?")
            return try Row.fetchOne(stmt, arguments: [workflow, businessKey]).map(InstanceRecord.init(row:))
        }
    }

    public func instances(filter: InstanceFilter) throws -> [InstanceRecord] {
        let (whereClause, arguments) = Self.whereClause(filter)
        var sql = "SELECT \(Columns.instance) FROM instance\(whereClause) ORDER BY createdAt, id"
        var allArguments = arguments
        if filter.limit != nil || filter.offset > 0 {
            sql += " LIMIT ? OFFSET ?"
            allArguments += [filter.limit ?? -1, filter.offset]
        }
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: allArguments).map(InstanceRecord.init(row:))
        }
    }

    public func countInstances(filter: InstanceFilter) throws -> Int {
        let (whereClause, arguments) = Self.whereClause(filter)
        return try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM instance\(whereClause)", arguments: arguments) ?? 0
        }
    }

    public func newestInstances(filter: InstanceFilter, limit: Int) throws -> (instances: [InstanceRecord], total: Int) {
        let (whereClause, arguments) = Self.whereClause(filter)
        return try read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM instance\(whereClause)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT \(Columns.instance) FROM instance\(whereClause) ORDER BY createdAt, id LIMIT ? OFFSET ?",
                                        arguments: arguments + [limit, max(0, total - limit)])
            return (try rows.map(InstanceRecord.init(row:)), total)
        }
    }

    private static func whereClause(_ filter: InstanceFilter) -> (String, StatementArguments) {
        var terms: [String] = []
        var arguments = StatementArguments()
        if let workflow = filter.workflow { terms.append("workflow = ?"); arguments += [workflow] }
        if let state = filter.state { terms.append("state = ?"); arguments += [state] }
        if let status = filter.status { terms.append("status = ?"); arguments += [status.rawValue] }
        return (terms.isEmpty ? "" : " WHERE " + terms.joined(separator: " AND "), arguments)
    }

    public func history(instanceId: String) throws -> [HistoryRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Columns.history) FROM history WHERE instanceId = ? ORDER BY seq",
                             arguments: [instanceId]).map(HistoryRecord.init(row:))
        }
    }

    public func timers(instanceId: String) throws -> [TimerRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Columns.timer) FROM timer WHERE instanceId = ? ORDER BY key",
                             arguments: [instanceId]).map(TimerRecord.init(row:))
        }
    }

    public func dueTimers(at now: Instant, limit: Int) throws -> [TimerRecord] {
        try read { db in
            let stmt = try db.cachedStatement(
                sql: "SELECT \(Columns.timer) FROM timer WHERE dueAt <= ? ORDER BY dueAt, instanceId, key LIMIT ?")
            var result: [TimerRecord] = []
            let rows = try Row.fetchCursor(stmt, arguments: [now.secondsSinceEpoch, limit])
            while let row = try rows.next() { result.append(TimerRecord(row: row)) }
            return result
        }
    }

    public func isEventProcessed(instanceId: String, eventId: String) throws -> Bool {
        try read { db in
            try Self.isEventProcessed(db, instanceId: instanceId, eventId: eventId)
        }
    }

    static func isEventProcessed(_ db: Database, instanceId: String, eventId: String) throws -> Bool {
        let stmt = try db.cachedStatement(sql: "SELECT 1 FROM processedEvent WHERE instanceId = ? AND eventId = ?")
        return try Bool.fetchOne(stmt, arguments: [instanceId, eventId]) != nil
    }

    public func allInstanceIds() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT id FROM instance ORDER BY id") }
    }
}
