import GRDB
import O2CCore
import Testing
@testable import O2CStore

@Suite("history hash chain")
struct HistoryChainTests {
    /// Three steps: seq 1 (start), 2 and 3 (one step with two entries), 4.
    private func storeWithHistory() throws -> SQLiteStore {
        let store = try SQLiteStore.inMemory()
        try store.commit(Fixture.start("inv-1"))
        try store.commit(Fixture.step("inv-1", to: 2, state: "reminded", history: ["reminder-sent", "moved"]))
        try store.commit(Fixture.step("inv-1", to: 3, state: "paid"))
        try store.commit(Fixture.start("inv-2"))
        return store
    }

    @Test func appendedEntriesFormAVerifiedChain() throws {
        // Given an instance with history written over three commits
        let store = try storeWithHistory()

        // When reading it back
        let rows = try store.history(instanceId: "inv-1")

        // Then seqs are consecutive, each row links to its predecessor, and hashes follow the documented rule
        #expect(rows.map(\.seq) == [1, 2, 3, 4])
        #expect(rows[0].prevHash == String(repeating: "0", count: 64))
        for (prev, row) in zip(rows, rows.dropFirst()) { #expect(row.prevHash == prev.hash) }
        #expect(rows[1].kind == "reminder-sent")
        #expect(rows[1].actor == "user:ann")
        #expect(try store.verifyHistory(instanceId: nil).isEmpty)
        #expect(try store.verifyHistory(instanceId: "inv-1").isEmpty)
    }

    @Test func hashRuleIsStable() {
        // Given the first entry of an instance
        // When hashing it
        let hash = HistoryChain.hash(prevHash: HistoryChain.genesis, instanceId: "i-1", seq: 1,
                                     at: Fixture.t0, kind: "started", actor: "system", data: "{}")

        // Then it equals `sha256sum` of "<64 zeros>\ni-1\n1\n1767225600\nstarted\nsystem\n{}",
        // computed outside Swift: the rule in docs/storage.md, byte for byte
        #expect(hash == "63d7f25dbb88a836fe8e5ac17d862d7ed567e89c9fa715b3f25c440901d840f9")
    }

    @Test func aHandEditedRowIsDetectedAtItsSeq() throws {
        // Given a verified history
        let store = try storeWithHistory()

        // When someone edits entry 3's data with raw SQL
        try store.writer.write { db in
            try db.execute(sql: #"UPDATE history SET data = '{"state":"written-off"}' WHERE instanceId = 'inv-1' AND seq = 3"#)
        }

        // Then verification reports exactly that instance at seq 3, as a content/hash mismatch
        let breaks = try store.verifyHistory(instanceId: nil)
        #expect(breaks.count == 1)
        #expect(breaks.first?.instanceId == "inv-1")
        #expect(breaks.first?.seq == 3)
        if case .hashMismatch = breaks.first?.reason {} else { Issue.record("expected a hash mismatch, got \(breaks)") }
    }

    @Test func aRehashedEditBreaksTheNextLink() throws {
        // Given a verified history
        let store = try storeWithHistory()

        // When someone edits entry 2 and also recomputes its hash to hide the edit
        let row = try #require(try store.history(instanceId: "inv-1").first { $0.seq == 2 })
        var forged = row
        forged.data = #"{"state":"forged"}"#
        let forgedHash = HistoryChain.hash(of: forged)
        try store.writer.write { db in
            try db.execute(sql: "UPDATE history SET data = ?, hash = ? WHERE instanceId = 'inv-1' AND seq = 2",
                           arguments: [forged.data, forgedHash])
        }

        // Then the break shows at seq 3, whose prevHash no longer matches
        let breaks = try store.verifyHistory(instanceId: "inv-1")
        #expect(breaks.map(\.seq) == [3])
        if case .prevHashMismatch = breaks.first?.reason {} else { Issue.record("expected a link mismatch, got \(breaks)") }
    }

    @Test func aDeletedRowIsASeqGap() throws {
        // Given a verified history
        let store = try storeWithHistory()

        // When entry 2 is deleted
        try store.writer.write { db in try db.execute(sql: "DELETE FROM history WHERE instanceId = 'inv-1' AND seq = 2") }

        // Then verification reports the gap where entry 2 should be
        let breaks = try store.verifyHistory(instanceId: nil)
        #expect(breaks == [ChainBreak(instanceId: "inv-1", seq: 3, reason: .seqGap(expected: 2, found: 3))])
    }

    @Test func verifyingAMissingInstanceIsAnError() throws {
        let store = try SQLiteStore.inMemory()
        #expect(throws: StoreError.unknownInstance(id: "nope")) { try store.verifyHistory(instanceId: "nope") }
    }
}
