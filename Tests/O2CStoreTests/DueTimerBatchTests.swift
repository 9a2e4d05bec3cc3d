import O2CCore
import Testing
@testable import O2CStore

/// `tick` reads due timers and their instances in one query when the store offers it; it must
/// see exactly what reading them one by one sees.
@Suite("due timers with their instances")
struct DueTimerBatchTests {
    @Test func theJoinedReadIsTheDueScanPlusEachInstance() throws {
        // Given timers across instances, ties on dueAt, one instance advanced to version 2
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("b", timers: [("z", Fixture.at(10)), ("a", Fixture.at(10)), ("late", Fixture.at(99))]))
        try store.commit(Fixture.start("a", timers: [("y", Fixture.at(10)), ("early", Fixture.at(5))]))
        try store.commit(Fixture.step("a", to: 2, state: "s", timers: [("y", Fixture.at(10)), ("early", Fixture.at(5))]))

        for limit in [1, 3, 10] {
            // When scanning at t0+10 both ways
            let joined = try store.dueTimersWithInstances(at: Fixture.at(10), limit: limit)
            let due = try store.dueTimers(at: Fixture.at(10), limit: limit)

            // Then the same timers come back in the same order, each with its current row
            #expect(joined.map(\.timer) == due)
            for (timer, instance) in joined {
                #expect(try instance == store.instance(id: timer.instanceId))
            }
        }
    }
}
