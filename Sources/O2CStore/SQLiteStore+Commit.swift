import GRDB
import O2CCore

extension SQLiteStore {
    public func commit(_ c: StepCommit) throws {
        try write { db in try Self.apply(c, db) }
    }

    /// Why savepoints: one fsync for the whole tick is what makes a durable tick fast, but one
    /// stale instance must not throw away the work of the others. Constraint failures are
    /// per-item; anything else (I/O, disk full) aborts and rolls back the whole batch.
    ///
    /// The savepoint statements are cached rather than run through GRDB's `inSavepoint`, which
    /// parses them on every call: at one savepoint per step that parsing was a visible share
    /// of a tick.
    public func commit(batch: [StepCommit]) throws -> [Result<Void, StoreError>] {
        if batch.isEmpty { return [] }
        return try write { db in
            let begin = try db.cachedStatement(sql: "SAVEPOINT step")
            let release = try db.cachedStatement(sql: "RELEASE step")
            let undo = try db.cachedStatement(sql: "ROLLBACK TO step")
            var results: [Result<Void, StoreError>] = []
            results.reserveCapacity(batch.count)
            // A tick chains several timers of one instance: item k expects the version item k-1
            // writes. Once an item of an instance fails, its later items rest on a state that was
            // never written; one of them may still match the version a concurrent writer wrote
            // meanwhile and would overwrite that writer's step. They fail as conflicts instead.
            var failedInstances = Set<String>()
            for c in batch {
                if failedInstances.contains(c.instance.id) {
                    results.append(.failure(.conflict(instanceId: c.instance.id)))
                    continue
                }
                try begin.execute()
                do {
                    try Self.apply(c, db)
                    try release.execute()
                    results.append(.success(()))
                } catch let error where Self.isItemFailure(error) {
                    try undo.execute()
                    try release.execute()
                    failedInstances.insert(c.instance.id)
                    results.append(.failure(StoreError(error)))
                }
            }
            return results
        }
    }

    /// Errors that concern one item only; SQLite undid the failed statement and the
    /// transaction is still usable.
    private static func isItemFailure(_ error: any Error) -> Bool {
        if error is StoreError { return true }
        if let error = error as? DatabaseError { return error.resultCode == .SQLITE_CONSTRAINT }
        return false
    }

    /// Writes one step inside the caller's transaction or savepoint. Any throw leaves the
    /// rollback to the caller, so partial writes never survive.
    static func apply(_ c: StepCommit, _ db: Database) throws {
        let instance = c.instance
        try validate(c)

        // First, before any write: a duplicate event is the common retry case and must be cheap.
        if let eventId = c.processedEventId,
           try isEventProcessed(db, instanceId: instance.id, eventId: eventId) {
            throw StoreError.duplicateEvent(instanceId: instance.id, eventId: eventId)
        }

        if let d = c.definition {
            try db.cachedStatement(sql: """
                INSERT INTO definition (hash, name, version, source, createdAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (hash) DO NOTHING
                """).execute(arguments: [d.hash, d.name, d.version, d.source, d.createdAt.secondsSinceEpoch])
        }

        let isNew = c.expectedVersion == nil
        try writeInstance(c, db)
        try replaceTimers(c.timers, of: instance.id, isNew: isNew, db)

        if !c.outbox.isEmpty {
            // ON CONFLICT DO NOTHING, not INSERT OR IGNORE: OR IGNORE would also silently skip a
            // row that violates a CHECK or NOT NULL, losing an effect instead of failing the step.
            let stmt = try db.cachedStatement(sql: """
                INSERT INTO outbox (\(Columns.outbox)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (effectId) DO NOTHING
                """)
            for o in c.outbox {
                try stmt.execute(arguments: [
                    o.effectId, o.instanceId, o.action, o.arguments, o.status.rawValue, o.attempts,
                    o.nextAttemptAt.secondsSinceEpoch, o.lastError, o.createdAt.secondsSinceEpoch,
                    o.deliveredAt?.secondsSinceEpoch, o.answer,
                ])
            }
        }

        try appendHistory(c.history, to: instance.id, isNew: isNew, db)

        if let eventId = c.processedEventId {
            // processedAt is the step's own time, not the wall clock, so replays write identical rows.
            try db.cachedStatement(sql: "INSERT INTO processedEvent (instanceId, eventId, processedAt) VALUES (?, ?, ?)")
                .execute(arguments: [instance.id, eventId, instance.updatedAt.secondsSinceEpoch])
        }
    }

    private static func validate(_ c: StepCommit) throws {
        let id = c.instance.id
        let version = c.instance.version
        if let expected = c.expectedVersion {
            guard version == expected + 1 else {
                throw StoreError.invalidCommit("instance `\(id)` version \(version) does not follow expected version \(expected)")
            }
        } else if version != 1 {
            throw StoreError.invalidCommit("new instance `\(id)` must have version 1, not \(version)")
        }
        var keys = Set<String>()
        for t in c.timers {
            guard t.instanceId == id else {
                throw StoreError.invalidCommit("timer `\(t.key)` belongs to `\(t.instanceId)`, not to the committed instance `\(id)`")
            }
            guard keys.insert(t.key).inserted else {
                throw StoreError.invalidCommit("timer `\(t.key)` of `\(id)` is listed twice")
            }
        }
    }

    /// Insert, or update guarded by the version.
    ///
    /// An update writes only what a step can change (state, status, outcome, snapshot,
    /// updatedAt, version). Identity columns (workflow, businessKey, definitionHash, parentId,
    /// createdAt) are fixed at insert: the definition stays pinned and a business key lookup
    /// keeps finding the same instance, whatever a caller passes later.
    private static func writeInstance(_ c: StepCommit, _ db: Database) throws {
        let i = c.instance
        do {
            if let expected = c.expectedVersion {
                try db.cachedStatement(sql: """
                    UPDATE instance SET state = ?, status = ?, outcome = ?, snapshot = ?, updatedAt = ?, version = ?
                    WHERE id = ? AND version = ?
                    """).execute(arguments: [
                        i.state, i.status.rawValue, i.outcome, i.snapshot, i.updatedAt.secondsSinceEpoch, i.version,
                        i.id, expected,
                    ])
                if db.changesCount == 0 {
                    let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM instance WHERE id = ?", arguments: [i.id]) != nil
                    throw exists ? StoreError.conflict(instanceId: i.id) : StoreError.unknownInstance(id: i.id)
                }
            } else {
                try db.cachedStatement(sql: "INSERT INTO instance (\(Columns.instance)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .execute(arguments: [
                        i.id, i.businessKey, i.workflow, i.definitionHash, i.parentId, i.state, i.status.rawValue,
                        i.outcome, i.snapshot, i.createdAt.secondsSinceEpoch, i.updatedAt.secondsSinceEpoch, i.version,
                    ])
            }
        } catch let error as DatabaseError {
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_PRIMARYKEY:
                throw StoreError.duplicateInstance(id: i.id)
            case .SQLITE_CONSTRAINT_UNIQUE where i.businessKey != nil:
                throw StoreError.duplicateBusinessKey(workflow: i.workflow, businessKey: i.businessKey!)
            default:
                throw error
            }
        }
    }

    /// Makes the stored timer set equal `timers`, touching only rows that change, so an
    /// unchanged timer is not rewritten (nor its index entry moved) on every step.
    private static func replaceTimers(_ timers: [TimerRecord], of instanceId: String, isNew: Bool, _ db: Database) throws {
        var existing: [String: Int64] = [:]
        if !isNew {
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT key, dueAt FROM timer WHERE instanceId = ?"), arguments: [instanceId])
            while let row = try rows.next() { existing[row[0]] = row[1] }
        }
        if existing.isEmpty && timers.isEmpty { return }

        let wanted = Set(timers.map(\.key))
        let delete = existing.keys.filter { !wanted.contains($0) }
        if !delete.isEmpty {
            let stmt = try db.cachedStatement(sql: "DELETE FROM timer WHERE instanceId = ? AND key = ?")
            for key in delete.sorted() { try stmt.execute(arguments: [instanceId, key]) }
        }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO timer (instanceId, key, dueAt) VALUES (?, ?, ?)
            ON CONFLICT (instanceId, key) DO UPDATE SET dueAt = excluded.dueAt
            """)
        for t in timers where existing[t.key] != t.dueAt.secondsSinceEpoch {
            try upsert.execute(arguments: [instanceId, t.key, t.dueAt.secondsSinceEpoch])
        }
    }

    /// Reads the chain head inside the same transaction as the append, so two writers can
    /// never both link to the same predecessor.
    private static func appendHistory(_ entries: [NewHistoryEntry], to instanceId: String, isNew: Bool, _ db: Database) throws {
        if entries.isEmpty { return }
        var seq = 0
        var prevHash = HistoryChain.genesis
        if !isNew, let head = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT seq, hash FROM history WHERE instanceId = ? ORDER BY seq DESC LIMIT 1"),
            arguments: [instanceId]) {
            seq = head[0]
            prevHash = head[1]
        }
        let stmt = try db.cachedStatement(sql: "INSERT INTO history (\(Columns.history)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for e in entries {
            seq += 1
            let hash = HistoryChain.hash(prevHash: prevHash, instanceId: instanceId, seq: seq, at: e.at,
                                         kind: e.kind, actor: e.actor, data: e.data)
            try stmt.execute(arguments: [instanceId, seq, e.at.secondsSinceEpoch, e.kind, e.data, e.actor, prevHash, hash])
            prevHash = hash
        }
    }
}
