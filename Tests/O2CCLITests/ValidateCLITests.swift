import Foundation
import Testing

/// `o2c validate` on a project: the cross-check between the library and `o2c.yaml`.
@Suite struct ValidateCLITests {
    @Test("an action with no handler in o2c.yaml is E0206 at the action, with the entry to add")
    func missingHandler() throws {
        // Given the shipped project whose o2c.yaml lost its `credit_hold` entry
        let cli = try CLIHarness.withShippedLibrary()
        let config = try String(contentsOf: cli.folder.appendingPathComponent("o2c.yaml"), encoding: .utf8)
        let lines = config.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.hasPrefix("  credit_hold: {kind: log}") }, "the shipped o2c.yaml no longer maps credit_hold to log")
        try cli.write("o2c.yaml", lines.filter { !$0.hasPrefix("  credit_hold:") }.joined(separator: "\n"))

        // When the project is validated
        let r = try cli.run("validate")

        // Then the ladder step that uses it is named, with the fix, and validation fails
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let out = r.stdout + r.stderr
        #expect(out.contains("error[E0206]: no handler is configured for action `credit_hold`"), "\(out)")
        #expect(out.contains("--> rules/dunning-b2b.yaml:"))
        #expect(out.contains("help: map it in o2c.yaml, e.g. `handlers: {credit_hold: {kind: log}}`"))
        #expect(out.contains("1 error, 0 warnings"))

        // and with the entry back, the project is clean
        try cli.write("o2c.yaml", config)
        #expect(try cli.run("validate").status == 0)
    }
}
