import ArgumentParser

/// The `o2c` command: one subcommand per file, all thin over the library layers.
///
/// Every subcommand spells out its `commandName`. Why: without it ArgumentParser derives the
/// name with `String(describing: Self.self)` for each subcommand on every start, and each call
/// scans every protocol conformance record in the process (the metatype is a cache miss):
/// 23 M of the 70 M instructions of `o2c --help` went there.
@main
struct O2C: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "o2c",
        abstract: "Order-to-cash workflow and rules engine.",
        discussion: "Workflows live in workflows/*.yaml, rules in rules/*.yaml. See docs/cli.md.",
        version: "0.1.0",
        subcommands: [
            Validate.self, Graph.self, Decide.self, Eval.self,
            Start.self, Advance.self, Tick.self, Worker.self, Show.self, List.self, History.self, Explain.self,
            Timers.self, Cancel.self, Outbox.self, Verify.self, TestCommand.self, Simulate.self, DemoCommand.self, ReportCommand.self,
        ]
    )
}

/// Documented exit codes (docs/cli.md).
enum Exit {
    static let ok: Int32 = 0
    static let invalid: Int32 = 1
    static let unknownInstance: Int32 = 2
    static let notAccepted: Int32 = 3
    static let badInput: Int32 = 4
    static let unknownWorkflow: Int32 = 5
    static let databaseNewer: Int32 = 6
    static let conflict: Int32 = 7
    static let usage: Int32 = 64
}
