import Foundation
import Testing

/// `o2c test` on scenario files an analyst writes: a failure that can never pass says why.
@Suite struct TestCommandCLITests {
    /// A credit check of a blocked customer (rejected at once), with `steps` as its only steps.
    static func creditScenario(_ name: String, steps: String) -> String {
        """
        scenario: \(name)
        workflow: credit_check
        at: 2026-02-10T08:00:00Z
        input:
          order: {id: O-4, total: 100.00 EUR}
          customer: {id: C-4, name: Dodo Ltd, email: ap@dodo.example, segment: blocked, open_ar: 0.00 EUR, open_orders: 0.00 EUR, oldest_overdue_days: 0, dunning_level: 0}
        steps:
          \(steps)
        """
    }

    @Test("an expected state or variable the workflow does not have is named, with the closest one")
    func misspeltExpectations() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.write("tests/typo.yaml", Self.creditScenario("a typo in a state", steps: "- expect: {state: rejectd}"))
        try cli.write("tests/typo2.yaml", Self.creditScenario("a typo in a variable", steps: "- expect: {context: {exposur: 100.00 EUR}}"))
        let r = try cli.run("test", "tests/typo.yaml", "tests/typo2.yaml")
        #expect(r.status == 1)
        let out = r.stdout + r.stderr
        #expect(out.contains("`rejectd` is not a state of `credit_check` (did you mean `rejected`?)"), "\(out)")
        #expect(out.contains("has no variable `exposur`; did you mean `exposure`?"), "\(out)")
    }
}
