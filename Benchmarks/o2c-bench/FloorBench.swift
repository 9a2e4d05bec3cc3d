import Foundation
import GRDB
import O2CStore

/// Figure 7: the same machine's raw SQLite rate for the same row shapes — GRDB cached
/// (prepared) statements in a tight loop on the real schema, no interpreter, no JSON, no hashing.
enum Floor {
    /// A database with the store's schema and `instances` instances, each with `timers` timers.
    static func prepare(_ path: String, instances: Int, timers: Int, shapes: Fixtures.Shapes, sync: SQLiteStore.Synchronous) throws -> DatabaseQueue {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        _ = try SQLiteStore.open(path: path, synchronous: .normal) // creates and migrates (WAL)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA temp_store = MEMORY") }
        let q = try DatabaseQueue(path: path, configuration: config)
        let snapshot = String(repeating: "s", count: shapes.snapshotBytes)
        try q.write { db in
            try db.execute(sql: "INSERT INTO definition (hash, name, version, source, createdAt) VALUES ('floor', 'floor', '1', '{}', 0)")
            let ins = try db.cachedStatement(sql: "INSERT INTO instance (id, businessKey, workflow, definitionHash, parentId, state, status, outcome, snapshot, createdAt, updatedAt, version) VALUES (?, ?, 'invoice', 'floor', NULL, 'open', 'active', NULL, ?, 0, 0, 1)")
            let tim = try db.cachedStatement(sql: "INSERT INTO timer (instanceId, key, dueAt) VALUES (?, ?, ?)")
            for i in 0..<instances {
                try ins.execute(arguments: ["invoice-\(i)", "INV-\(i)", snapshot])
                for k in 0..<timers { try tim.execute(arguments: ["invoice-\(i)", "ladder.step\(k)", 1_000_000 + k]) }
            }
        }
        try q.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            try db.execute(sql: sync == .full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
        }
        return q
    }

    /// Steps of the given shape per second: one instance update, `history` history inserts,
    /// `outbox` outbox inserts, `timerDeletes` timer deletes, `processed` processed-event inserts.
    /// `grouped`: 256 steps per transaction (as tick does), else one transaction per step.
    static func run(steps: Int, instances: Int, shape: DurableBench.Shape, shapes: Fixtures.Shapes, sync: SQLiteStore.Synchronous,
                    grouped: Bool, dir: TempDir) -> Double {
        let path = dir.file("floor.sqlite")
        defer { DurableBench.removeDatabase(path) }
        let timerDeletes = Int(shape.timerDeletes.rounded(.up))
        do {
            let q = try prepare(path, instances: instances, timers: max(timerDeletes, 1), shapes: shapes, sync: sync)
            let snapshot = String(repeating: "u", count: shapes.snapshotBytes)
            let data = String(repeating: "h", count: shapes.historyBytes)
            let args = String(repeating: "o", count: shapes.outboxBytes)
            let hash = String(repeating: "0", count: 64)
            let history = Int(shape.history.rounded()), outbox = Int(shape.outbox.rounded()), processed = Int(shape.processed.rounded())
            let perCommit = grouped ? 256 : 1
            var done = 0
            let seconds = try Clock.seconds {
                while done < steps {
                    try q.writeWithoutTransaction { db in
                        try db.inTransaction(.immediate) {
                            let upd = try db.cachedStatement(sql: "UPDATE instance SET state = ?, status = ?, outcome = ?, snapshot = ?, updatedAt = ?, version = ? WHERE id = ? AND version = ?")
                            let del = try db.cachedStatement(sql: "DELETE FROM timer WHERE instanceId = ? AND key = ?")
                            let out = try db.cachedStatement(sql: "INSERT INTO outbox (effectId, instanceId, action, arguments, status, attempts, nextAttemptAt, lastError, createdAt, deliveredAt, answer) VALUES (?, ?, 'notify', ?, 'pending', 0, 0, NULL, 0, NULL, NULL)")
                            let his = try db.cachedStatement(sql: "INSERT INTO history (instanceId, seq, at, kind, data, actor, prevHash, hash) VALUES (?, ?, 0, 'effect', ?, 'bench', ?, ?)")
                            let pro = try db.cachedStatement(sql: "INSERT INTO processedEvent (instanceId, eventId, processedAt) VALUES (?, ?, 0)")
                            for _ in 0..<min(perCommit, steps - done) {
                                let i = done % instances, round = done / instances
                                let id = "invoice-\(i)"
                                try upd.execute(arguments: ["open", "active", nil as String?, snapshot, done, round + 2, id, round + 1])
                                for k in 0..<timerDeletes { try del.execute(arguments: [id, "ladder.step\(k)"]) }
                                for k in 0..<outbox { try out.execute(arguments: ["\(id):\(round):\(k)", id, args]) }
                                for k in 0..<history { try his.execute(arguments: [id, 10 + round * 100 + k, data, hash, hash]) }
                                for k in 0..<processed { try pro.execute(arguments: [id, "e-\(round)-\(k)"]) }
                                done += 1
                            }
                            return .commit
                        }
                    }
                }
            }
            return Double(done) / seconds
        } catch {
            Report.info("floor: \(error)")
            return 0
        }
    }

    /// History-shaped rows per second, one row per transaction.
    static func oneRowPerCommit(rows: Int, sync: SQLiteStore.Synchronous, shapes: Fixtures.Shapes, dir: TempDir) -> Double {
        let path = dir.file("floor-rows.sqlite")
        defer { DurableBench.removeDatabase(path) }
        do {
            let q = try prepare(path, instances: 1, timers: 0, shapes: shapes, sync: sync)
            let data = String(repeating: "h", count: shapes.historyBytes)
            let hash = String(repeating: "0", count: 64)
            let seconds = try Clock.seconds {
                for r in 0..<rows {
                    try q.writeWithoutTransaction { db in
                        try db.inTransaction(.immediate) {
                            try db.cachedStatement(sql: "INSERT INTO history (instanceId, seq, at, kind, data, actor, prevHash, hash) VALUES (?, ?, 0, 'effect', ?, 'bench', ?, ?)")
                                .execute(arguments: ["invoice-0", r + 1, data, hash, hash])
                            return .commit
                        }
                    }
                }
            }
            return Double(rows) / seconds
        } catch {
            Report.info("floor: \(error)")
            return 0
        }
    }
}
