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

    @Test("a holiday calendar about to run out is a warning with its last date (W0406); with time to spare, nothing")
    func calendarRunsOut() throws {
        let cli = try CLIHarness.withShippedLibrary()
        // The shipped calendar lists the TARGET2 closing days of 2026 and 2027.
        let early = try cli.run("validate", "--now", "2027-09-01")
        #expect(early.status == 0 && early.stdout.contains("0 errors, 0 warnings"), "\(early.stdout)\(early.stderr)")

        let soon = try cli.run("validate", "--now", "2027-10-15")
        #expect(soon.status == 0, "a warning does not fail validation")
        #expect(soon.stdout.contains("warning[W0406]: the calendar `policy.business_holidays` ends on 2027-12-26, 72 days from 2027-10-15"), "\(soon.stdout)")
        #expect(soon.stdout.contains("--> rules/calendar.yaml:"))
        #expect(soon.stdout.contains("help: add the next year's dates to `business_holidays` in rules/calendar.yaml"))
        #expect(try cli.run("validate", "--now", "2027-10-15", "--strict").status == 1)

        let past = try cli.run("validate", "--now", "2028-02-01")
        #expect(past.stdout.contains("the calendar `policy.business_holidays` ended on 2027-12-26"), "\(past.stdout)")
    }

    @Test("a notify with a misspelt template or channel, or none, is E0210 at validation, not a dead letter later")
    func notifyTemplates() throws {
        // Given the shipped ladder with its first notice's template and channel misspelt
        let cli = try CLIHarness.withShippedLibrary()
        let path = cli.folder.appendingPathComponent("rules/dunning-b2b.yaml")
        let ladder = try String(contentsOf: path, encoding: .utf8)
        let broken = ladder.replacingOccurrences(of: "template: first_notice, channel: email", with: "template: first_notise, channel: email")
            .replacingOccurrences(of: "template: payment_reminder, channel: email", with: "template: payment_reminder, channel: emial")
        #expect(broken != ladder)
        try broken.write(to: path, atomically: true, encoding: .utf8)

        // When the project is validated
        let r = try cli.run("validate")

        // Then both are errors with the closest name
        let out = r.stdout + r.stderr
        #expect(r.status == 1, "\(out)")
        #expect(out.contains("error[E0210]: no template `first_notise` for channel email in templates/"), "\(out)")
        #expect(out.contains("help: did you mean `first_notice`?"))
        #expect(out.contains("error[E0210]: unknown channel `emial` for template `payment_reminder`"))
        #expect(out.contains("help: did you mean `email`?"))

        // and with notify mapped to another handler (which renders nothing here), templates are not checked
        let config = try String(contentsOf: cli.folder.appendingPathComponent("o2c.yaml"), encoding: .utf8)
        try cli.write("o2c.yaml", config.replacingOccurrences(of: "  notify: {kind: notify}", with: "  notify: {kind: log}"))
        #expect(!(try cli.run("validate").stdout).contains("E0210"))
    }
}
