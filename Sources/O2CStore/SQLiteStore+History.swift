import GRDB

extension SQLiteStore {
    /// Streams rows in primary-key order (instanceId, seq), so verification needs no sort and
    /// holds one instance's chain state at a time. Rows are read in one snapshot, so a
    /// concurrent append cannot look like a break.
    public func verifyHistory(instanceId: String?) throws -> [ChainBreak] {
        try read { db in
            let rows: RowCursor
            if let instanceId {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM instance WHERE id = ?", arguments: [instanceId]) != nil else {
                    throw StoreError.unknownInstance(id: instanceId)
                }
                rows = try Row.fetchCursor(db, sql: "SELECT \(Columns.history) FROM history WHERE instanceId = ? ORDER BY seq",
                                           arguments: [instanceId])
            } else {
                rows = try Row.fetchCursor(db, sql: "SELECT \(Columns.history) FROM history ORDER BY instanceId, seq")
            }
            var breaks: [ChainBreak] = []
            var current: ChainVerifier?
            while let row = try rows.next() {
                let record = HistoryRecord(row: row)
                if current?.instanceId != record.instanceId {
                    if let done = current?.firstBreak { breaks.append(done) }
                    current = ChainVerifier(instanceId: record.instanceId)
                }
                current!.check(record)
            }
            if let done = current?.firstBreak { breaks.append(done) }
            return breaks
        }
    }
}
