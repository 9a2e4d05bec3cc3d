import Foundation
import Testing

/// Subcommand names are spelled out in each `CommandConfiguration` (see `O2C`); a typo there
/// would silently rename a documented command, so every name in docs/cli.md is tried here.
@Suite("command names")
struct CommandNameTests {
    @Test(arguments: [
        "validate", "graph", "decide", "eval", "start", "advance", "tick", "worker", "show", "list", "history", "explain",
        "cancel", "outbox", "verify", "test", "simulate", "demo", "report",
    ])
    func everyDocumentedCommandAnswersToItsName(_ name: String) throws {
        // Given the built binary
        let cli = try CLIHarness.withShippedLibrary()

        // When asking a subcommand for its help by name
        let r = try cli.run(name, "--help")

        // Then it is found and prints its own usage line
        #expect(r.status == 0, "\(name): \(r.stderr)")
        #expect(r.stdout.contains("USAGE: o2c \(name)"), "\(name): \(r.stdout.prefix(200))")
    }
}
