import ArgumentParser
import O2CCore
import O2CStore

/// `o2c timers`: what the engine will do next, before `tick` does it.
struct Timers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timers",
        abstract: "List the timers due by a time (default: the next 7 days), in the order tick fires them.",
        discussion: """
            Which invoices get a late fee tomorrow, which reviews escalate on Monday: every waiting \
            timer due at or before --until (or within --within of --now), with its instance, workflow \
            and state. Timers already due (at or before --now) are marked `due now`: the next tick \
            fires them. Read-only.
            """)
    @OptionGroup var options: RuntimeOptions
    @OptionGroup var clock: ClockOption
    @Option(help: "List timers due at or before this date or datetime (default: --now plus --within).") var until: String?
    @Option(help: "List timers due within this duration of --now, e.g. 7d or 36h.") var within: String = "7d"
    @Option(help: "Only this workflow.") var workflow: String?
    @Option(help: "At most this many: the first to fire.") var limit: Int = 1000
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let now = try clock.instant()
            guard limit >= 1 else { throw CLIError(message: "--limit must be at least 1", code: Exit.usage) }
            let end: Instant
            if let until {
                guard let t = Instant(parsing: until) else {
                    throw CLIError(message: "--until `\(until)` is not a date or datetime (e.g. 2026-03-01 or 2026-03-01T09:00:00Z)", code: Exit.usage)
                }
                end = t
            } else {
                guard let d = Duration(parsing: within), d.seconds >= 0 else {
                    throw CLIError(message: "--within `\(within)` is not a duration (e.g. 7d, 36h)", code: Exit.usage)
                }
                end = now.adding(d)
            }
            let store = try options.openStore(readOnly: true)
            let (timers, total) = try store.upcomingTimers(until: end, workflow: workflow, limit: limit)
            if timers.isEmpty, let workflow { options.warnIfUnknown(workflow: workflow, command: "timers") }
            let cut = total > timers.count ? "the first \(timers.count) of \(total) timers (--limit to see more)" : nil
            if json {
                if let cut { Console.error("o2c timers: \(cut)") }
                Console.out(JSON.array(timers.map { t in
                    .object([("due", .string(t.timer.dueAt.description)), ("due_now", .bool(t.timer.dueAt <= now)),
                             ("instance", .string(t.timer.instanceId)), ("workflow", .string(t.workflow)), ("state", .string(t.state)),
                             ("business_key", t.businessKey.map(JSON.string) ?? .null), ("key", .string(t.timer.key))])
                }).serialized(pretty: true))
                return
            }
            let table = TextTable(["DUE", "", "INSTANCE", "WORKFLOW", "STATE", "TIMER"])
            let rows = timers.map { t in
                [t.timer.dueAt.description, t.timer.dueAt <= now ? "due now" : "", t.timer.instanceId, t.workflow, t.state, t.timer.key]
            }
            Console.out(table.render(rows) + (cut ?? "\(timers.count) timer\(timers.count == 1 ? "" : "s") due by \(end)"))
        }
    }
}
