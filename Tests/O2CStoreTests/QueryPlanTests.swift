import GRDB
import O2CCore
import Testing
@testable import O2CStore

/// `o2c show`, `history` and `explain` must cost the same on 100 instances as on 100,000:
/// every read they make for one instance has to be an index search, never a table scan.
@Suite("query plans")
struct QueryPlanTests {
    /// The SELECTs a body runs, captured with GRDB's trace on the store's one connection.
    private func selects(_ store: SQLiteStore, _ body: () throws -> Void) throws -> [String] {
        final class Box { var sql: [String] = [] }
        let box = Box()
        store.writer.writeWithoutTransaction { db in
            db.trace { event in
                if case .statement(let s) = event, s.sql.hasPrefix("SELECT") { box.sql.append(s.sql) }
            }
        }
        try body()
        store.writer.writeWithoutTransaction { db in db.trace(nil) }
        return box.sql
    }

    private func plan(_ store: SQLiteStore, _ sql: String) throws -> String {
        let placeholders = sql.filter { $0 == "?" }.count
        return try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql,
                             arguments: StatementArguments(Array(repeating: "x", count: placeholders)))
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
    }

    @Test func everyPerInstanceReadOfShowHistoryAndExplainIsAnIndexSearch() throws {
        // Given a store with an instance that has history, a timer and effects
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1", outbox: ["fx-1", "fx-2"]))
        try store.commit(Fixture.start("inv-2", outbox: ["fx-3"]))

        // When running the reads the three commands make
        let sql = try selects(store) {
            _ = try store.instance(id: "inv-1")
            _ = try store.history(instanceId: "inv-1")
            _ = try store.timers(instanceId: "inv-1")
            _ = try store.undeliveredOutbox(instanceId: "inv-1")
        }

        // Then each one is planned as a SEARCH on a key or index, none as a SCAN
        #expect(sql.count == 4)
        for statement in sql {
            let detail = try plan(store, statement)
            #expect(detail.contains("SEARCH"), "\(statement): \(detail)")
            #expect(!detail.contains("SCAN"), "\(statement): \(detail)")
        }
        #expect(try plan(store, sql[3]).contains("outbox_instance"))
    }

    @Test func upcomingTimersReadARangeOfTheDueIndexNotEveryTimer() throws {
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1", outbox: []))
        let sql = try selects(store) {
            _ = try store.upcomingTimers(until: Instant(secondsSinceEpoch: 1_000_000), workflow: "invoice", limit: 10)
        }
        #expect(sql.count == 2)
        for statement in sql {
            let detail = try plan(store, statement)
            #expect(detail.contains("SEARCH t USING") && detail.contains("timer_due"), "\(statement): \(detail)")
            #expect(!detail.contains("SCAN"), "\(statement): \(detail)")
        }
    }
}
