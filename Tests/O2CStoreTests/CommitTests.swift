import GRDB
import O2CCore
import Testing
@testable import O2CStore

@Suite("commit: one input, one transaction")
struct CommitTests {
    @Test func insertThenUpdateAdvancesTheVersion() throws {
        // Given an empty store
        let store = try SQLiteStore.inMemory()

        // When an instance starts and then takes one step from version 1
        try store.commit(Fixture.start("inv-1", businessKey: "INV-1"))
        try store.commit(Fixture.step("inv-1", to: 2, state: "reminded", eventId: "e1"))

        // Then the row is the new one, with version 2, the original createdAt and the pinned definition
        let row = try #require(try store.instance(id: "inv-1"))
        #expect(row.version == 2)
        #expect(row.state == "reminded")
        #expect(row.createdAt == Fixture.t0)
        #expect(row.updatedAt == Fixture.at(120))
        #expect(row.snapshot == #"{"state":"reminded","v":2}"#)
        #expect(try store.instance(workflow: "invoice", businessKey: "INV-1")?.id == "inv-1")
        #expect(try store.definition(hash: Fixture.definition.hash) == Fixture.definition)
        #expect(try store.isEventProcessed(instanceId: "inv-1", eventId: "e1"))
        #expect(try store.isEventProcessed(instanceId: "inv-1", eventId: "start-inv-1"))
        #expect(try !store.isEventProcessed(instanceId: "inv-1", eventId: "e2"))
    }

    @Test func staleExpectedVersionIsAConflictAndWritesNothing() throws {
        // Given an instance already moved to version 2 by another writer
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1"))
        try store.commit(Fixture.step("inv-1", to: 2, state: "reminded", eventId: "e1"))
        let before = try Dump(store)

        // When a writer that read version 1 commits its own step, with history, timers and effects
        var stale = Fixture.step("inv-1", to: 2, state: "paid", eventId: "e2", timers: [("t", Fixture.at(999))],
                                 outbox: [Fixture.effect("inv-1", "fx-stale")])
        stale.definition = DefinitionRecord(hash: "other", name: "x", version: "2", source: "{}", createdAt: Fixture.t0)

        // Then it is refused as a conflict and nothing at all was written
        #expect(throws: StoreError.conflict(instanceId: "inv-1")) { try store.commit(stale) }
        #expect(try Dump(store) == before)
    }

    @Test func updatingAMissingInstanceIsUnknownInstance() throws {
        // Given an empty store
        let store = try SQLiteStore.inMemory()

        // When a step updates an instance that was never started
        // Then the error names the missing instance rather than a conflict
        #expect(throws: StoreError.unknownInstance(id: "ghost")) {
            try store.commit(Fixture.step("ghost", to: 2, state: "x"))
        }
    }

    @Test func duplicateEventIsRefusedAndWritesNothing() throws {
        // Given an instance that processed event e1
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1"))
        try store.commit(Fixture.step("inv-1", to: 2, state: "reminded", eventId: "e1"))
        let before = try Dump(store)

        // When the same event is delivered again (with a version that would otherwise be valid)
        let again = Fixture.step("inv-1", to: 3, state: "reminded-twice", eventId: "e1",
                                 outbox: [Fixture.effect("inv-1", "fx-dup")])

        // Then it is a duplicate and the database is untouched
        #expect(throws: StoreError.duplicateEvent(instanceId: "inv-1", eventId: "e1")) { try store.commit(again) }
        #expect(try Dump(store) == before)
    }

    @Test func eventIdsAreScopedPerInstance() throws {
        // Given two instances
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("a"))
        try store.commit(Fixture.start("b"))

        // When both process an event with the same id
        try store.commit(Fixture.step("a", to: 2, state: "s", eventId: "same"))
        try store.commit(Fixture.step("b", to: 2, state: "s", eventId: "same"))

        // Then both steps committed
        #expect(try store.instance(id: "a")?.version == 2)
        #expect(try store.instance(id: "b")?.version == 2)
    }

    @Test func insertingAnExistingIdOrBusinessKeyIsRefused() throws {
        // Given an instance with a business key
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1", businessKey: "INV-1"))
        let before = try Dump(store)

        // When another start reuses the id, or the business key in the same workflow
        // Then each is refused with its own error and nothing is written
        var sameId = Fixture.start("inv-1")
        sameId.processedEventId = "other-start"
        #expect(throws: StoreError.duplicateInstance(id: "inv-1")) { try store.commit(sameId) }
        #expect(throws: StoreError.duplicateBusinessKey(workflow: "invoice", businessKey: "INV-1")) {
            try store.commit(Fixture.start("inv-2", businessKey: "INV-1"))
        }
        #expect(try Dump(store) == before)

        // And the same business key in another workflow, or no key at all, is fine
        try store.commit(Fixture.start("ord-1", businessKey: "INV-1", workflow: "order"))
        try store.commit(Fixture.start("inv-3"))
        try store.commit(Fixture.start("inv-4"))
        #expect(try store.allInstanceIds() == ["inv-1", "inv-3", "inv-4", "ord-1"])
    }

    @Test func aCommitFailingMidwayLeavesTheDatabaseAsBefore() throws {
        // Given an instance with a timer, an effect and history
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1", timers: [("remind", Fixture.at(86_400))], outbox: ["fx-1"]))
        let before = try Dump(store)

        // When a step whose instance update, timer change, first effect and history are all valid
        // carries a second effect that violates the outbox CHECK (negative attempts)
        let step = Fixture.step("inv-1", to: 2, state: "reminded", eventId: "e1", timers: [("escalate", Fixture.at(10))],
                                outbox: [Fixture.effect("inv-1", "fx-2"), Fixture.effect("inv-1", "fx-bad", attempts: -1)])

        // Then the commit fails with the SQLite constraint error and nothing of it remains
        #expect {
            try store.commit(step)
        } throws: { error in
            guard case .sqlite(let code, let message) = error as? StoreError else { return false }
            return code == 19 && message.contains("CHECK constraint failed")
        }
        #expect(try Dump(store) == before)
    }

    @Test func definitionsArePinnedNotReplaced() throws {
        // Given an instance started with a definition
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1"))

        // When a later start carries a record with the same hash but different content
        var changed = Fixture.start("inv-2")
        changed.definition?.source = "tampered"
        try store.commit(changed)

        // Then the first stored definition is kept
        #expect(try store.definition(hash: Fixture.definition.hash)?.source == Fixture.definition.source)
        #expect(try store.definition(hash: "nope") == nil)
    }

    @Test func anInstanceWithoutItsDefinitionViolatesTheForeignKey() throws {
        // Given an empty store
        let store = try SQLiteStore.inMemory()

        // When a start omits the definition its instance points at
        var start = Fixture.start("inv-1")
        start.definition = nil

        // Then the foreign key refuses it
        #expect {
            try store.commit(start)
        } throws: { error in
            guard case .sqlite(19, let message) = error as? StoreError else { return false }
            return message.contains("FOREIGN KEY")
        }
        #expect(try store.instance(id: "inv-1") == nil)
    }

    @Test func selfContradictingCommitsAreRejectedBeforeWriting() throws {
        // Given an instance
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1"))
        let before = try Dump(store)

        // When a step skips a version, a start is not version 1, or a timer names another instance
        var skip = Fixture.step("inv-1", to: 3, state: "x")
        skip.expectedVersion = 1
        var badStart = Fixture.start("inv-2")
        badStart.instance.version = 5
        var foreignTimer = Fixture.step("inv-1", to: 2, state: "x")
        foreignTimer.timers = [TimerRecord(instanceId: "other", key: "k", dueAt: Fixture.t0)]
        var twice = Fixture.step("inv-1", to: 2, state: "x", timers: [("k", Fixture.t0), ("k", Fixture.at(1))])
        twice.processedEventId = nil

        // Then each is an invalid commit and nothing is written
        for bad in [skip, badStart, foreignTimer, twice] {
            #expect {
                try store.commit(bad)
            } throws: { error in
                if case .invalidCommit = error as? StoreError { return true } else { return false }
            }
        }
        #expect(try Dump(store) == before)
    }
}
