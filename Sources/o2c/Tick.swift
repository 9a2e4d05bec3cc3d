import ArgumentParser
import Foundation
import O2CCore
import O2CRuntime
import Synchronization

struct Tick: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick",
        abstract: "Fire every timer due at or before --now (default: the real clock), then dispatch the outbox.",
        discussion: "Timers fire in due order; each step runs at its timer's own deadline, so one tick far ahead walks a whole dunning ladder."
    )

    @OptionGroup var options: RuntimeOptions
    @OptionGroup var clock: ClockOption
    @Option(help: "Timers per transaction (group commit).") var batch: Int = 256
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let runtime = try options.runtime()
            let now = try clock.instant()
            let r = try engine { () throws(RuntimeError) in try runtime.tick(now: now, batchSize: batch) }
            if json {
                Console.out(JSON.object([
                    ("now", .string(now.description)), ("fired", .number(ExactDecimal(r.fired))), ("cleaned", .number(ExactDecimal(r.cleaned))), ("conflicts", .number(ExactDecimal(r.conflicts))),
                    ("failed", .number(ExactDecimal(r.failedInstances))), ("delivered", .number(ExactDecimal(r.dispatch.delivered))),
                    ("retried", .number(ExactDecimal(r.dispatch.retried))), ("dead", .number(ExactDecimal(r.dispatch.dead))),
                ]).serialized(pretty: true))
            } else {
                Console.out("tick \(now): \(r.fired) timers fired, \(r.dispatch.delivered) effects delivered, \(r.dispatch.retried) retried, \(r.dispatch.dead) dead-lettered\(r.failedInstances > 0 ? ", \(r.failedInstances) instances failed" : "")")
            }
        }
    }
}

/// Set by SIGINT/SIGTERM; the worker finishes its current transaction, then exits.
let stopRequested = Atomic<Bool>(false)

struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Tick continuously until SIGINT or SIGTERM, then finish the current transaction and exit."
    )

    @OptionGroup var options: RuntimeOptions
    @Option(help: "Time between ticks (e.g. 1s, 500ms is not supported: whole seconds).") var poll: String = "1s"
    @Option(help: "Stop after this many ticks (for tests; default: run until signalled).") var maxTicks: Int?

    func run() throws {
        try Console.run {
            guard let interval = Duration(parsing: poll), interval.seconds > 0 else {
                throw CLIError(message: "--poll `\(poll)` is not a positive duration like 1s", code: Exit.usage)
            }
            // Before the database and the library are opened, which can take a while on a busy
            // machine: a stop asked for meanwhile ends the worker cleanly, not by the default action.
            signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
            signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }
            let runtime = try options.runtime()
            var ticks = 0
            Console.error("worker: polling every \(interval) on \(options.databasePath); stop with Ctrl-C")
            while !stopRequested.load(ordering: .relaxed) {
                let now = Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
                let r = try engine { () throws(RuntimeError) in try runtime.tick(now: now) }
                if r.fired + r.dispatch.delivered + r.dispatch.dead > 0 {
                    Console.error("worker \(now): \(r.fired) fired, \(r.dispatch.delivered) delivered, \(r.dispatch.dead) dead-lettered")
                }
                ticks += 1
                if let maxTicks, ticks >= maxTicks { break }
                var waited: Int64 = 0
                while waited < interval.seconds * 10, !stopRequested.load(ordering: .relaxed) {
                    usleep(100_000)
                    waited += 1
                }
            }
            Console.error("worker: stopped")
        }
    }
}
