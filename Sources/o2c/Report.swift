import ArgumentParser
import Foundation
import O2CCore
import O2CRuntime

/// `o2c report`: O2C KPIs and the reconciliation from what the database holds.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print DSO, countback DSO, best possible DSO, days delinquent, CEI, cycle time, dunning recovery and the reconciliation.",
        discussion: """
        Reads instances, history and the outbox (read-only). The period runs from --from up to (not \
        including) its end, printed as `from → end`; a date for --to includes that whole day, so \
        `--to 2026-05-04` prints `→ 2026-05-05`. Defaults: the 90 days up to the end of the last recorded \
        day (from the first instance's day if that is later). `o2c demo` prints the command that shows its \
        own period. Money and the reconciliation are as of the end; the KPIs are over the period. Formulas \
        in docs/kpis.md; CEI uses N = months in the period.
        """
    )

    @OptionGroup var options: RuntimeOptions
    @Option(help: "First day of the period (ISO date or datetime).") var from: String?
    @Option(help: "Last day of the period, included (ISO date), or an exact end (datetime).") var to: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let store = try options.openStore(readOnly: true)
            let schema = (try? LibraryLoading.load(options.project.defaultPaths)).map(ReportSchema.init(library:)) ?? ReportSchema()
            let input: ReportInput
            do { input = try ReportInput.read(store, historyOf: schema.historyWorkflows) } catch {
                throw CLIError(message: "cannot read the database: \(error)", code: Exit.invalid)
            }
            let (start, end) = try period(input)
            let report = O2CReport(input, schema: schema, from: start, to: end)
            Console.out(json ? report.json.serialized(pretty: true) : "O2C report \(start.day) → \(end.day) (\(options.databasePath))\n\n" + report.text)
        }
    }

    func period(_ input: ReportInput) throws -> (Instant, Instant) {
        let first = input.instances.map(\.createdAt).min() ?? Instant(secondsSinceEpoch: 0)
        let last = (input.instances.map(\.updatedAt) + input.effects.map(\.at)).max() ?? first
        var end = Day(daysSinceEpoch: last.day.daysSinceEpoch + 1).startInstant
        if let to {
            if let d = Day(parsing: to) { end = Day(daysSinceEpoch: d.daysSinceEpoch + 1).startInstant } else if let t = Instant(parsing: to) { end = t } else {
                throw CLIError(message: "--to `\(to)` is not a date or datetime", code: Exit.usage)
            }
        }
        var start = max(first.day.startInstant, end.adding(.days(-90)))
        if let from {
            guard let t = Instant(parsing: from) else { throw CLIError(message: "--from `\(from)` is not a date or datetime", code: Exit.usage) }
            start = t
        }
        guard start < end else { throw CLIError(message: "--from must be before --to", code: Exit.usage) }
        return (start, end)
    }
}
