import O2CCore
import Testing
@testable import O2CStore

@Suite("timers")
struct TimerTests {
    @Test func aStepReplacesTheTimerSetExactly() throws {
        // Given an instance with timers keep, move and drop
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1", timers: [("keep", Fixture.at(100)), ("move", Fixture.at(200)),
                                                         ("drop", Fixture.at(300))]))

        // When a step lists keep unchanged, move at a new time, and a new timer add
        try store.commit(Fixture.step("inv-1", to: 2, state: "s",
                                      timers: [("keep", Fixture.at(100)), ("move", Fixture.at(250)), ("add", Fixture.at(50))]))

        // Then the stored set is exactly the listed one
        #expect(try store.timers(instanceId: "inv-1") == [
            TimerRecord(instanceId: "inv-1", key: "add", dueAt: Fixture.at(50)),
            TimerRecord(instanceId: "inv-1", key: "keep", dueAt: Fixture.at(100)),
            TimerRecord(instanceId: "inv-1", key: "move", dueAt: Fixture.at(250)),
        ])

        // And a step with no timers clears them
        try store.commit(Fixture.step("inv-1", to: 3, state: "done", status: .completed))
        #expect(try store.timers(instanceId: "inv-1").isEmpty)
    }

    @Test func dueTimersAreOrderedByTimeThenInstanceThenKey() throws {
        // Given timers across instances, with ties on dueAt
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("b", timers: [("z", Fixture.at(10)), ("a", Fixture.at(10)), ("late", Fixture.at(99))]))
        try store.commit(Fixture.start("a", timers: [("y", Fixture.at(10)), ("early", Fixture.at(5))]))

        // When scanning at t0+10
        let due = try store.dueTimers(at: Fixture.at(10), limit: 10)

        // Then only timers due by then come back, in dueAt, instanceId, key order
        #expect(due.map { "\($0.instanceId)/\($0.key)" } == ["a/early", "a/y", "b/a", "b/z"])

        // And the limit cuts the same order
        #expect(try store.dueTimers(at: Fixture.at(10), limit: 2).map(\.key) == ["early", "y"])
    }
}
