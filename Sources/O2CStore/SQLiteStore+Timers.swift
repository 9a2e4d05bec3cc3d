import GRDB
import O2CCore

/// A timer waiting to fire, with what an operator needs to read it: whose it is and where it waits.
public struct UpcomingTimer: Sendable, Equatable {
    public var timer: TimerRecord
    public var workflow: String
    public var state: String
    public var businessKey: String?
}

extension SQLiteStore {
    /// Timers due at or before `until`, in the order `tick` would fire them (due, instance, key),
    /// the first `limit` of them, and how many there are in all, from one snapshot.
    ///
    /// Why: "which invoices get a late fee tomorrow, and which reviews escalate on Monday?" is
    /// what operations ask before a tick, not after. An index range on `timer_due`, each
    /// instance by its key: `CROSS JOIN` keeps SQLite from starting at the instances of
    /// `--workflow` (every invoice ever made) and sorting all their timers.
    public func upcomingTimers(until: Instant, workflow: String?, limit: Int) throws -> (timers: [UpcomingTimer], total: Int) {
        let filter = workflow == nil ? "" : " AND i.workflow = ?"
        var arguments: StatementArguments = [until.secondsSinceEpoch]
        if let workflow { arguments += [workflow] }
        return try read { db in
            let total = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM timer AS t CROSS JOIN instance AS i ON i.id = t.instanceId WHERE t.dueAt <= ?\(filter)
                """, arguments: arguments) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.instanceId, t.key, t.dueAt, i.workflow, i.state, i.businessKey
                FROM timer AS t CROSS JOIN instance AS i ON i.id = t.instanceId
                WHERE t.dueAt <= ?\(filter)
                ORDER BY t.dueAt, t.instanceId, t.key LIMIT ?
                """, arguments: arguments + [limit])
            let timers = rows.map { row in
                UpcomingTimer(timer: TimerRecord(instanceId: row[0], key: row[1], dueAt: Instant(row[2] as Int64)),
                              workflow: row[3], state: row[4], businessKey: row[5])
            }
            return (timers, total)
        }
    }
}
