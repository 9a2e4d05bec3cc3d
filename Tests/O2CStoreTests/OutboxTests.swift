import GRDB
import O2CCore
import Testing
@testable import O2CStore

@Suite("outbox")
struct OutboxTests {
    @Test func effectsAreInsertedOnceAndDeliveredOnce() throws {
        // Given a start that enqueues one effect
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1", outbox: ["fx-1"]))

        // When a later step enqueues the same effect id again (a retried step) and a new one
        try store.commit(Fixture.step("inv-1", to: 2, state: "s", outbox: [
            Fixture.effect("inv-1", "fx-1", at: Fixture.at(999)), Fixture.effect("inv-1", "fx-2", at: Fixture.at(60)),
        ]))

        // Then the first row is untouched and both are pending in due order
        let pending = try store.pendingOutbox(dueAt: Fixture.at(60), limit: 10)
        #expect(pending.map(\.effectId) == ["fx-1", "fx-2"])
        #expect(pending[0].nextAttemptAt == Fixture.t0)
        #expect(try store.pendingOutbox(dueAt: Fixture.at(59), limit: 10).map(\.effectId) == ["fx-1"])

        // When fx-1 is delivered with an answer, and a racing worker delivers it again
        #expect(try store.markDelivered(effectId: "fx-1", at: Fixture.at(5), answer: #"{"ok":true}"#))
        #expect(try !store.markDelivered(effectId: "fx-1", at: Fixture.at(6), answer: #"{"ok":"late"}"#))

        // Then the first answer is kept and the effect is no longer pending
        let delivered = try store.outbox(status: .delivered)
        #expect(delivered.count == 1)
        #expect(delivered[0].answer == #"{"ok":true}"#)
        #expect(delivered[0].deliveredAt == Fixture.at(5))
        #expect(delivered[0].attempts == 1)
        #expect(try store.pendingOutbox(dueAt: Fixture.at(1000), limit: 10).map(\.effectId) == ["fx-2"])
    }

    @Test("effects due at the same moment are delivered in the order they were written, not in text order of their ids")
    func dueEffectsKeepTheirWrittenOrder() throws {
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("i", outbox: []))
        let ids = ["i:9:0", "i:10:0", "i:10:2", "i:10:10"]
        try store.commit(Fixture.step("i", to: 2, state: "s", outbox: ids.map { Fixture.effect("i", $0, at: Fixture.at(5)) }))
        #expect(try store.pendingOutbox(dueAt: Fixture.at(5), limit: 10).map(\.effectId) == ids)
        // Selected by action, in the same order (tick delivers the engine's own `start` and `emit` between deadlines).
        var emit = Fixture.effect("i", "i:11:0", at: Fixture.at(5))
        emit.action = "emit"
        try store.commit(Fixture.step("i", to: 3, state: "s", outbox: [emit]))
        #expect(try store.pendingEngineEffects(dueAt: Fixture.at(5), limit: 10).map(\.effectId) == ["i:11:0"])
        #expect(try store.pendingEngineEffects(dueAt: Fixture.at(4), limit: 10).isEmpty)
        let enginePlan = try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT effectId FROM outbox INDEXED BY outbox_engine WHERE status = 'pending' AND action IN ('emit', 'start') AND nextAttemptAt <= 5 ORDER BY nextAttemptAt, rowid")
                .map { $0["detail"] as String }
        }.joined(separator: "; ")
        #expect(enginePlan.contains("outbox_engine") && !enginePlan.contains("TEMP B-TREE"), "\(enginePlan)")
        // An index search, not a sort of every pending effect.
        let plan = try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT effectId FROM outbox WHERE status = 'pending' AND nextAttemptAt <= 5 ORDER BY nextAttemptAt, rowid")
                .map { $0["detail"] as String }
        }.joined(separator: "; ")
        #expect(plan.contains("outbox_pending") && !plan.contains("TEMP B-TREE"), "\(plan)")
    }

    @Test func failuresRetryThenDieThenAreRevivedByAnOperator() throws {
        // Given a pending effect
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1", outbox: ["fx-1"]))

        // When one attempt fails with a retry scheduled
        #expect(try store.markFailed(effectId: "fx-1", attempts: 1, nextAttemptAt: Fixture.at(30), error: "timeout", dead: false))

        // Then it waits for its next attempt
        #expect(try store.pendingOutbox(dueAt: Fixture.at(29), limit: 10).isEmpty)
        let retried = try #require(try store.pendingOutbox(dueAt: Fixture.at(30), limit: 10).first)
        #expect(retried.attempts == 1)
        #expect(retried.lastError == "timeout")

        // When the last attempt fails for good
        #expect(try store.markFailed(effectId: "fx-1", attempts: 2, nextAttemptAt: Fixture.at(90), error: "HTTP 500", dead: true))

        // Then it is dead, no longer pending, and further failures do not touch it
        #expect(try store.pendingOutbox(dueAt: Fixture.at(10_000), limit: 10).isEmpty)
        #expect(try store.outbox(status: .dead).map(\.effectId) == ["fx-1"])
        #expect(try !store.markFailed(effectId: "fx-1", attempts: 3, nextAttemptAt: Fixture.at(1), error: "x", dead: false))

        // When an operator retries it, twice
        #expect(try store.retryDead(effectId: "fx-1", at: Fixture.at(500)))
        #expect(try !store.retryDead(effectId: "fx-1", at: Fixture.at(600)))

        // Then it is pending again from that time, with attempts reset and the last error kept
        let revived = try #require(try store.outbox(status: .pending).first)
        #expect(revived.attempts == 0)
        #expect(revived.nextAttemptAt == Fixture.at(500))
        #expect(revived.lastError == "HTTP 500")
        #expect(try store.outbox(status: nil).count == 1)
    }

    @Test func unknownEffectIdsAreReported() throws {
        // Given an empty store
        let store = try SQLiteStore.inMemory()

        // When an outbox operation names a missing effect
        // Then it says so instead of returning "nothing to do"
        #expect(throws: StoreError.unknownEffect(effectId: "nope")) { try store.retryDead(effectId: "nope", at: Fixture.t0) }
        #expect(throws: StoreError.unknownEffect(effectId: "nope")) {
            try store.markDelivered(effectId: "nope", at: Fixture.t0, answer: nil)
        }
    }

    @Test func undeliveredOutboxOfOneInstanceIsItsPendingAndDeadEffectsOnly() throws {
        // Given two instances with effects, one of them delivered and one dead
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1", outbox: ["fx-1", "fx-2", "fx-3"]))
        try store.commit(Fixture.start("inv-2", outbox: ["fx-9"]))
        #expect(try store.markDelivered(effectId: "fx-1", at: Fixture.at(5), answer: nil))
        #expect(try store.markFailed(effectId: "fx-3", attempts: 5, nextAttemptAt: Fixture.at(9), error: "HTTP 500", dead: true))

        // When asking for inv-1's undelivered effects
        let rows = try store.undeliveredOutbox(instanceId: "inv-1")

        // Then they are its pending and dead ones, in the order the protocol's default gives
        #expect(rows.map(\.effectId) == ["fx-2", "fx-3"])
        #expect(rows.map(\.status) == [.pending, .dead])
        let fallback = try store.outbox(status: nil).filter { $0.instanceId == "inv-1" && $0.status != .delivered }
        #expect(rows.map(\.effectId) == fallback.map(\.effectId))
        #expect(try store.undeliveredOutbox(instanceId: "nobody").isEmpty)
    }
}
