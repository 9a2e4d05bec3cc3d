import O2CCore
import Testing
@testable import O2CStore

@Suite("group commit")
struct BatchCommitTests {
    @Test func aConflictingItemIsSkippedAndTheOthersCommit() throws {
        // Given three instances at version 1, one of which another writer moved to version 2
        let store = try SQLiteStore.inMemory()
        for id in ["a", "b", "c"] { try store.commit(Fixture.start(id)) }
        try store.commit(Fixture.step("b", to: 2, state: "elsewhere"))

        // When a tick commits a step for each, computed from version 1, plus a duplicate event for a
        // and an item violating a CHECK
        let results = try store.commit(batch: [
            Fixture.step("a", to: 2, state: "fired", eventId: "timer-1", timers: [("next", Fixture.at(5))]),
            Fixture.step("b", to: 2, state: "fired", eventId: "timer-1"),
            Fixture.step("c", to: 2, state: "fired", eventId: "timer-1", outbox: [Fixture.effect("c", "fx-c")]),
            Fixture.step("a", to: 3, state: "again", eventId: "timer-1"),
            Fixture.step("c", to: 3, state: "bad", outbox: [Fixture.effect("c", "fx-bad", attempts: -1)]),
        ])

        // Then each item has its own result
        #expect(results.count == 5)
        #expect((try? results[0].get()) != nil)
        #expect(results[1].failure == .conflict(instanceId: "b"))
        #expect((try? results[2].get()) != nil)
        #expect(results[3].failure == .duplicateEvent(instanceId: "a", eventId: "timer-1"))
        if case .sqlite(19, _)? = results[4].failure {} else { Issue.record("expected a constraint failure, got \(results[4])") }

        // And the successful items are committed in full while the failed ones left nothing
        #expect(try store.instance(id: "a")?.state == "fired")
        #expect(try store.timers(instanceId: "a").map(\.key) == ["next"])
        #expect(try store.instance(id: "b")?.state == "elsewhere")
        #expect(try !store.isEventProcessed(instanceId: "b", eventId: "timer-1"))
        #expect(try store.instance(id: "c")?.version == 2)
        #expect(try store.outbox(status: .pending).map(\.effectId).sorted() == ["fx-c"])
        #expect(try store.history(instanceId: "c").map(\.seq) == [1, 2])
        #expect(try store.verifyHistory(instanceId: nil).isEmpty)
    }

    @Test func anEmptyBatchIsANoOp() throws {
        let store = try SQLiteStore.inMemory()
        #expect(try store.commit(batch: []).isEmpty)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
