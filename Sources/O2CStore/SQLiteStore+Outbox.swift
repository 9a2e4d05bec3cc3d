import GRDB
import O2CCore

// The delivery side of the outbox, used by the worker and by operators.
//
// Every update is guarded by the status it expects, so two workers racing on the same effect
// cannot both record an outcome: the loser sees `false` and does nothing further.

extension SQLiteStore {
    public func pendingOutbox(dueAt now: Instant, limit: Int) throws -> [OutboxRecord] {
        try read { db in
            let stmt = try db.cachedStatement(sql: """
                SELECT \(Columns.outbox) FROM outbox WHERE status = 'pending' AND nextAttemptAt <= ?
                ORDER BY nextAttemptAt, rowid LIMIT ?
                """)
            var result: [OutboxRecord] = []
            let rows = try Row.fetchCursor(stmt, arguments: [now.secondsSinceEpoch, limit])
            while let row = try rows.next() { result.append(try OutboxRecord(row: row)) }
            return result
        }
    }

    /// Through the partial index `outbox_engine`, named: a backlog of notices for the handlers
    /// must not make every round of a tick read past them, and without statistics the planner
    /// prefers `outbox_pending`. The WHERE repeats the index's own terms, as SQLite requires to use
    /// a partial index. Only read-write opens call this, and they have migrated to v3.
    public func pendingEngineEffects(dueAt now: Instant, limit: Int) throws -> [OutboxRecord] {
        try read { db in
            let stmt = try db.cachedStatement(sql: """
                SELECT \(Columns.outbox) FROM outbox INDEXED BY outbox_engine
                WHERE status = 'pending' AND action IN ('emit', 'start') AND nextAttemptAt <= ?
                ORDER BY nextAttemptAt, rowid LIMIT ?
                """)
            var result: [OutboxRecord] = []
            let rows = try Row.fetchCursor(stmt, arguments: [now.secondsSinceEpoch, limit])
            while let row = try rows.next() { result.append(try OutboxRecord(row: row)) }
            return result
        }
    }

    /// A dead effect may still be marked delivered: a late success is the truth. `attempts`
    /// counts this successful attempt too.
    @discardableResult
    public func markDelivered(effectId: String, at: Instant, answer: String?) throws -> Bool {
        try write { db in
            try db.cachedStatement(sql: """
                UPDATE outbox SET status = 'delivered', deliveredAt = ?, answer = ?, attempts = attempts + 1
                WHERE effectId = ? AND status <> 'delivered'
                """).execute(arguments: [at.secondsSinceEpoch, answer, effectId])
            return try Self.changedOrKnown(db, effectId)
        }
    }

    @discardableResult
    public func markFailed(effectId: String, attempts: Int, nextAttemptAt: Instant, error: String, dead: Bool) throws -> Bool {
        try write { db in
            try db.cachedStatement(sql: """
                UPDATE outbox SET status = ?, attempts = ?, nextAttemptAt = ?, lastError = ?
                WHERE effectId = ? AND status = 'pending'
                """).execute(arguments: [
                    (dead ? OutboxStatus.dead : .pending).rawValue, attempts, nextAttemptAt.secondsSinceEpoch, error, effectId,
                ])
            return try Self.changedOrKnown(db, effectId)
        }
    }

    /// Keeps `lastError`, so an operator can still see why the effect had died.
    public func retryDead(effectId: String, at: Instant) throws -> Bool {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox SET status = 'pending', attempts = 0, nextAttemptAt = ?
                WHERE effectId = ? AND status = 'dead'
                """, arguments: [at.secondsSinceEpoch, effectId])
            return try Self.changedOrKnown(db, effectId)
        }
    }

    public func outbox(status: OutboxStatus?) throws -> [OutboxRecord] {
        try read { db in
            let rows: [Row]
            if let status {
                rows = try Row.fetchAll(db, sql: "SELECT \(Columns.outbox) FROM outbox WHERE status = ? ORDER BY createdAt, effectId",
                                        arguments: [status.rawValue])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT \(Columns.outbox) FROM outbox ORDER BY createdAt, effectId")
            }
            return try rows.map(OutboxRecord.init(row:))
        }
    }

    /// An index search on `outbox_instance` (v2); on a database still at v1 (read-only opens
    /// may not add the index) the same rows come from a scan.
    public func undeliveredOutbox(instanceId: String) throws -> [OutboxRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Columns.outbox) FROM outbox WHERE instanceId = ? AND status <> 'delivered'
                ORDER BY createdAt, effectId
                """, arguments: [instanceId]).map(OutboxRecord.init(row:))
        }
    }

    /// True if the last UPDATE changed the row; false if the row exists in another status;
    /// `unknownEffect` if there is no such row (a typo should not look like "nothing to do").
    private static func changedOrKnown(_ db: Database, _ effectId: String) throws -> Bool {
        if db.changesCount > 0 { return true }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM outbox WHERE effectId = ?", arguments: [effectId]) != nil else {
            throw StoreError.unknownEffect(effectId: effectId)
        }
        return false
    }
}
