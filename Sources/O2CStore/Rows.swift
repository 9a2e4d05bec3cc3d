import GRDB
import O2CCore

// Row decoding, by column position against the fixed SELECT lists below.
//
// Why positions and not GRDB's `FetchableRecord` by column name: the due scans and commit run
// on the hot path, and a name lookup per column per row is measurable; positions are checked
// against the column lists in one place. Why internal: no GRDB type leaks into the facade.

enum Columns {
    static let definition = "hash, name, version, source, createdAt"
    static let instance = "id, businessKey, workflow, definitionHash, parentId, state, status, outcome, snapshot, createdAt, updatedAt, version"
    static let timer = "instanceId, key, dueAt"
    static let outbox = "effectId, instanceId, action, arguments, status, attempts, nextAttemptAt, lastError, createdAt, deliveredAt, answer"
    static let history = "instanceId, seq, at, kind, data, actor, prevHash, hash"
}

extension Instant {
    init(_ dbValue: Int64) { self.init(secondsSinceEpoch: dbValue) }
}

/// A value the schema's CHECKs should have made impossible: the file was edited or damaged.
private func corrupt(_ what: String) -> StoreError {
    StoreError.sqlite(code: 11, message: "database disk image is malformed: \(what)")
}

extension DefinitionRecord {
    init(row: Row) {
        self.init(hash: row[0], name: row[1], version: row[2], source: row[3], createdAt: Instant(row[4] as Int64))
    }
}

extension InstanceRecord {
    init(row: Row) throws { try self.init(row: row, offset: 0) }

    /// `offset`: where the `Columns.instance` list starts in a row that joins other columns first.
    init(row: Row, offset o: Int) throws {
        let rawStatus: String = row[o + 6]
        guard let status = InstanceStatus(rawValue: rawStatus) else { throw corrupt("instance status `\(rawStatus)`") }
        self.init(id: row[o], businessKey: row[o + 1], workflow: row[o + 2], definitionHash: row[o + 3], parentId: row[o + 4],
                  state: row[o + 5], status: status, outcome: row[o + 7], snapshot: row[o + 8],
                  createdAt: Instant(row[o + 9] as Int64), updatedAt: Instant(row[o + 10] as Int64), version: row[o + 11])
    }
}

extension TimerRecord {
    init(row: Row) {
        self.init(instanceId: row[0], key: row[1], dueAt: Instant(row[2] as Int64))
    }
}

extension OutboxRecord {
    init(row: Row) throws {
        let rawStatus: String = row[4]
        guard let status = OutboxStatus(rawValue: rawStatus) else { throw corrupt("outbox status `\(rawStatus)`") }
        self.init(effectId: row[0], instanceId: row[1], action: row[2], arguments: row[3], status: status,
                  attempts: row[5], nextAttemptAt: Instant(row[6] as Int64), lastError: row[7],
                  createdAt: Instant(row[8] as Int64), deliveredAt: (row[9] as Int64?).map { Instant($0) }, answer: row[10])
    }
}

extension HistoryRecord {
    init(row: Row) {
        self.init(instanceId: row[0], seq: row[1], at: Instant(row[2] as Int64), kind: row[3], data: row[4],
                  actor: row[5], prevHash: row[6], hash: row[7])
    }
}

extension StoreError {
    /// Maps any error from GRDB to the facade's error, keeping SQLite's own message.
    init(_ error: any Error) {
        if let e = error as? StoreError {
            self = e
        } else if let e = error as? DatabaseError {
            var message = e.message ?? "\(e.resultCode)"
            if e.resultCode == .SQLITE_BUSY {
                message += " (another process held the write lock longer than the busy timeout)"
            }
            self = .sqlite(code: e.resultCode.rawValue, message: message)
        } else {
            self = .sqlite(code: 1, message: "\(error)")
        }
    }
}
