import O2CCore
@testable import O2CSim
import Testing

/// How a changed order is named in the report: what an analyst reads first.
@Suite struct ChangeClassifierTests {
    static let t0 = Instant(parsing: "2026-03-18T00:00:00Z")!
    static func item(_ what: TraceItem.What, state: String = "open", instance: String = "invoice-1", at: Instant = t0) -> TraceItem {
        TraceItem(at: at, instance: instance, workflow: "invoice", state: state, what: what)
    }
    static func journal(_ line: String) -> TraceItem { item(.effect(action: "journal", detail: .string(line))) }

    @Test("a move through a choice state is named by where the instance comes to rest")
    func restingState() {
        let base = [Self.item(.effect(action: "journal", detail: .string("100.00 EUR Dr cash Cr accounts_receivable"))), Self.item(.moved(to: "paid"))]
        let cand = [Self.item(.moved(to: "to_collections")), Self.item(.moved(to: "in_collections"), state: "to_collections")]
        #expect(ChangeClassifier.classify(baseline: base, candidate: cand).label == "paid → in_collections")
        // A later move at another moment is another step: the first one names the change.
        let later = [Self.item(.moved(to: "to_collections")),
                     Self.item(.moved(to: "in_collections"), state: "to_collections", at: Self.t0.adding(.days(1)))]
        #expect(ChangeClassifier.classify(baseline: base, candidate: later).label == "paid → to_collections")
    }

    @Test("statutory interest booked under one policy only is its own kind of change, by amount")
    func interest() {
        let moves = [Self.item(.moved(to: "to_collections")), Self.item(.moved(to: "in_collections"), state: "to_collections")]
        let charged = [Self.journal("15.22 EUR Dr accounts_receivable Cr interest_income")] + moves
        #expect(ChangeClassifier.classify(baseline: moves, candidate: charged).label == "no interest → interest charged")
        #expect(ChangeClassifier.classify(baseline: charged, candidate: moves).label == "interest charged → no interest")
        let more = [Self.journal("30.44 EUR Dr accounts_receivable Cr interest_income")] + moves
        #expect(ChangeClassifier.classify(baseline: charged, candidate: more).label == "interest → higher interest")
        // Taking interest back is not charging it.
        let credited = moves + [Self.journal("15.22 EUR Dr interest_income Cr accounts_receivable")]
        #expect(ChangeClassifier.interestCharged(credited).isZero)
    }

    @Test("journal lines group by their accounts, not their amounts")
    func journalsByAccounts() {
        let a = [Self.journal("40.00 EUR Dr cash Cr accounts_receivable")], b = [Self.journal("95.05 EUR Dr cash Cr accounts_receivable")]
        #expect(ChangeClassifier.classify(baseline: a, candidate: []).label == "`journal Dr cash Cr accounts_receivable` → none")
        #expect(ChangeClassifier.classify(baseline: b, candidate: []).label == ChangeClassifier.classify(baseline: a, candidate: []).label)
        // The same lines for other amounts (a VAT rate changed) are a change of amount, not of timing.
        let vat = [Self.journal("401.94 EUR Dr accounts_receivable Cr tax_payable")], more = [Self.journal("423.10 EUR Dr accounts_receivable Cr tax_payable")]
        #expect(ChangeClassifier.classify(baseline: vat, candidate: more).label == "`journal Dr accounts_receivable Cr tax_payable` → higher amount")
        #expect(ChangeClassifier.classify(baseline: more, candidate: vat).label == "`journal Dr accounts_receivable Cr tax_payable` → lower amount")
    }
}
