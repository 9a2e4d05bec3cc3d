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

    @Test("a policy override of the wrong type or currency is refused with the fix, as `o2c simulate` refuses it")
    func badOverrides() throws {
        let cli = try CLIHarness.withShippedLibrary()
        func scenario(_ override: String) -> String {
            Self.creditScenario("override", steps: "- expect: {state: rejected}").replacingOccurrences(of: "input:", with: "policy:\n  \(override)\ninput:")
        }
        try cli.write("tests/type.yaml", scenario("new_customer_limit: 3000"))
        try cli.write("tests/currency.yaml", scenario("new_customer_limit: 3000.00 USD"))
        try cli.write("tests/whole.yaml", scenario("max_dunning_level: 2.0"))
        let r = try cli.run("test", "tests/type.yaml", "tests/currency.yaml", "tests/whole.yaml")
        #expect(r.status == 1)
        let out = r.stdout + r.stderr
        #expect(out.contains("tests/type.yaml:5:23: policy override `new_customer_limit` must be a money constant; the current value is 5000.00 EUR"), "\(out)")
        #expect(out.contains("policy override `new_customer_limit` is in USD, the value it replaces in EUR; give it in EUR"), "\(out)")
        #expect(out.contains("policy override `max_dunning_level` must be an int constant; write it as a whole number: `2`"), "\(out)")
    }
}
