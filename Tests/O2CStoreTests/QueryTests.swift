import O2CCore
import Testing
@testable import O2CStore

@Suite("queries")
struct QueryTests {
    private func populated() throws -> SQLiteStore {
        let store = try SQLiteStore.inMemory()
        // Created out of id order, with a createdAt tie between i-3 and i-2.
        try store.commit(Fixture.start("i-3", createdAt: Fixture.at(20)))
        try store.commit(Fixture.start("i-1", createdAt: Fixture.at(10)))
        try store.commit(Fixture.start("i-2", createdAt: Fixture.at(20)))
        try store.commit(Fixture.start("o-1", workflow: "order", createdAt: Fixture.at(5)))
        try store.commit(Fixture.step("i-2", to: 2, state: "paid", status: .completed))
        return store
    }

    @Test func listingIsOrderedByCreatedAtThenId() throws {
        // Given instances of two workflows with a createdAt tie
        let store = try populated()

        // When listing without a filter
        // Then the order is createdAt, then id
        #expect(try store.instances(filter: InstanceFilter()).map(\.id) == ["o-1", "i-1", "i-2", "i-3"])
        #expect(try store.countInstances(filter: InstanceFilter()) == 4)
    }

    @Test func filtersCombineAndPage() throws {
        // Given instances of two workflows in several states
        let store = try populated()

        // When filtering by workflow, state, status, and paging
        let invoices = InstanceFilter(workflow: "invoice")
        let active = InstanceFilter(workflow: "invoice", status: .active)

        // Then each filter narrows, and limit/offset cut the ordered list without changing the count
        #expect(try store.instances(filter: invoices).map(\.id) == ["i-1", "i-2", "i-3"])
        #expect(try store.instances(filter: active).map(\.id) == ["i-1", "i-3"])
        #expect(try store.instances(filter: InstanceFilter(state: "paid")).map(\.id) == ["i-2"])
        #expect(try store.instances(filter: InstanceFilter(workflow: "invoice", limit: 1, offset: 1)).map(\.id) == ["i-2"])
        #expect(try store.instances(filter: InstanceFilter(offset: 3)).map(\.id) == ["i-3"])
        #expect(try store.countInstances(filter: InstanceFilter(workflow: "invoice", limit: 1)) == 3)
        #expect(try store.countInstances(filter: InstanceFilter(status: .completed)) == 1)
        #expect(try store.countInstances(filter: InstanceFilter(workflow: "nope")) == 0)
        #expect(try store.allInstanceIds() == ["i-1", "i-2", "i-3", "o-1"])
    }

    @Test("the newest N and the count of all matches come from one read, the store's and the two-read default alike")
    func newestKeepsTheLastAndCountsAll() throws {
        let store = try populated()
        let one = try store.newestInstances(filter: InstanceFilter(workflow: "invoice"), limit: 2)
        #expect(one.instances.map(\.id) == ["i-2", "i-3"] && one.total == 3)
        let all = try store.newestInstances(filter: InstanceFilter(), limit: 10)
        #expect(all.instances.map(\.id) == ["o-1", "i-1", "i-2", "i-3"] && all.total == 4)
        let none = try store.newestInstances(filter: InstanceFilter(workflow: "nope"), limit: 1)
        #expect(none.instances.isEmpty && none.total == 0)
    }

    @Test func missingRowsAreNil() throws {
        let store = try SQLiteStore.inMemory()
        #expect(try store.instance(id: "x") == nil)
        #expect(try store.instance(workflow: "invoice", businessKey: "x") == nil)
        #expect(try store.history(instanceId: "x").isEmpty)
        #expect(try store.timers(instanceId: "x").isEmpty)
    }
}
