import GRDB
import O2CCore

/// A store that can hand `tick` each due timer together with its instance in one read.
///
/// Why optional (not part of `InstanceStore`): it is a speed-up only; a store without it is
/// read timer by timer. On SQLite each separate read is a pooled read transaction (BEGIN,
/// SELECT, COMMIT), which cost as much as decoding the snapshot it fetched.
public protocol DueTimerBatchReading: Sendable {
    /// `dueTimers(at:limit:)`, each with its instance's row read in the same snapshot.
    /// Timers whose instance is missing are left out.
    func dueTimersWithInstances(at now: Instant, limit: Int) throws -> [(timer: TimerRecord, instance: InstanceRecord)]
}

extension SQLiteStore: DueTimerBatchReading {
    public func dueTimersWithInstances(at now: Instant, limit: Int) throws -> [(timer: TimerRecord, instance: InstanceRecord)] {
        try read { db in
            // Columns: the timer's three, then the instance's in `Columns.instance` order.
            let stmt = try db.cachedStatement(sql: """
                SELECT t.instanceId, t.key, t.dueAt,
                       i.id, i.businessKey, i.workflow, i.definitionHash, i.parentId, i.state, i.status, i.outcome,
                       i.snapshot, i.createdAt, i.updatedAt, i.version
                FROM (SELECT instanceId, key, dueAt FROM timer WHERE dueAt <= ? ORDER BY dueAt, instanceId, key LIMIT ?) AS t
                JOIN instance AS i ON i.id = t.instanceId
                ORDER BY t.dueAt, t.instanceId, t.key
                """)
            var result: [(timer: TimerRecord, instance: InstanceRecord)] = []
            result.reserveCapacity(limit)
            let rows = try Row.fetchCursor(stmt, arguments: [now.secondsSinceEpoch, limit])
            while let row = try rows.next() {
                let timer = TimerRecord(instanceId: row[0], key: row[1], dueAt: Instant(row[2] as Int64))
                let instance = try InstanceRecord(row: row, offset: 3)
                result.append((timer, instance))
            }
            return result
        }
    }
}
