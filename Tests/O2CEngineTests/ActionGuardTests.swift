import O2CCore
import O2CEngine
import O2CLoader
import O2CModel
import Testing

/// `when:` beside an action: a transition books only the lines that apply, and the effects that
/// do run keep consecutive ids.
@Suite struct ActionGuardTests {
    static let yaml = """
    workflow: credit_note
    inputs:
      fee: money
      tax: money
    events:
      credited: {}
    start: open
    states:
      open:
        on:
          credited:
            goto: done
            do:
              - when: amount(fee) > 0
                journal: {debit: '"late_fee_income"', amount: fee}
              - when: amount(tax) > 0
                journal: {debit: '"tax_payable"', amount: tax}
              - notify: credit_note_issued
      done: {final: true}
    """

    static let t0 = Instant(parsing: "2026-01-05T09:00:00Z")!
    static func eur(_ s: String) -> Value { .money(Money(ExactDecimal(s)!, Currency("EUR")!)) }

    static func effects(fee: String, tax: String) throws -> [Effect] {
        let (library, ds) = LibraryLoader.load([.init(path: "credit_note.yaml", text: yaml)])
        #expect(!ds.hasErrors, "\(DiagnosticRenderer(sources: library.sources).render(ds))")
        let interp = try Interpreter(library: library, workflowName: "credit_note")
        let started = try interp.start(StartRequest(instanceId: "N-1", inputs: ["fee": eur(fee), "tax": eur(tax)]), now: t0)
        return try interp.step(started.snapshot, .event(name: "credited", payload: [:], id: "e1"), now: t0).effects
    }

    @Test("an action whose `when` fails is skipped; the next effect takes its id")
    func skipped() throws {
        let effects = try Self.effects(fee: "0.00", tax: "19.00")
        #expect(effects == [
            Effect(id: "N-1:2:0", action: "journal", arguments: ["debit": .string("tax_payable"), "amount": Self.eur("19.00")], state: "open"),
            Effect(id: "N-1:2:1", action: "notify", arguments: ["template": .string("credit_note_issued")], state: "open"),
        ])
    }

    @Test("every action whose `when` holds runs, in order")
    func allRun() throws {
        let effects = try Self.effects(fee: "40.00", tax: "19.00")
        #expect(effects.map(\.id) == ["N-1:2:0", "N-1:2:1", "N-1:2:2"])
        #expect(effects.map { $0.arguments["debit"] } == [.string("late_fee_income"), .string("tax_payable"), nil])
    }

    @Test("a `when` that is not a condition, or a second action in the item, is reported at its line")
    func diagnostics() {
        let bad = Self.yaml.replacingOccurrences(of: "- when: amount(fee) > 0", with: "- when: fee")
            .replacingOccurrences(of: "- notify: credit_note_issued", with: "- notify: credit_note_issued\n            log: {}")
        let (library, ds) = LibraryLoader.load([.init(path: "credit_note.yaml", text: bad)])
        let text = DiagnosticRenderer(sources: library.sources).render(ds)
        #expect(text.contains("error[E0504]: expected `bool`, found `money`\n  --> credit_note.yaml:14:19"), "\(text)")
        #expect(text.contains("is one `name: {arguments}` item, with an optional `when:`\n  --> credit_note.yaml:18:13"), "\(text)")
    }
}
