import ArgumentParser
import Foundation
import O2CCore
import O2CRuntime
import O2CStore

struct Outbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List effects waiting for (or dead after) delivery; retry dead ones.",
        subcommands: [OutboxList.self, OutboxRetry.self],
        defaultSubcommand: OutboxList.self
    )
}

struct OutboxList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List pending effects (or dead ones with --dead).")
    @OptionGroup var options: RuntimeOptions
    @Flag(help: "Only dead-lettered effects.") var dead = false
    @Flag(help: "Every effect, delivered ones too.") var all = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let store = try options.openStore(readOnly: true)
            let rows = try store.outbox(status: dead ? .dead : all ? nil : .pending)
            if json {
                Console.out(JSON.array(rows.map {
                    .object([("id", .string($0.effectId)), ("instance", .string($0.instanceId)), ("action", .string($0.action)),
                             ("status", .string($0.status.rawValue)), ("attempts", .number(ExactDecimal($0.attempts))),
                             ("next_attempt", $0.status == .pending ? .string($0.nextAttemptAt.description) : .null), ("last_error", $0.lastError.map(JSON.string) ?? .null)])
                }).serialized(pretty: true))
                return
            }
            let table = TextTable(["EFFECT", "ACTION", "STATUS", "ATTEMPTS", "NEXT", "LAST ERROR"])
            Console.out(table.render(rows.map { [$0.effectId, $0.action, $0.status.rawValue, String($0.attempts), $0.status == .pending ? $0.nextAttemptAt.description : "—", $0.lastError ?? ""] })
                        + "\(rows.count) effect\(rows.count == 1 ? "" : "s")")
        }
    }
}

struct OutboxRetry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Put a dead effect back in the queue and deliver it now.")
    @OptionGroup var options: RuntimeOptions
    @OptionGroup var clock: ClockOption
    @Argument(help: "Effect id (from `o2c outbox --dead`).") var effect: String

    func run() throws {
        try Console.run {
            let runtime = try options.runtime()
            let now = try clock.instant()
            guard try runtime.store.retryDead(effectId: effect, at: now) else {
                // Unknown effect: the store throws (exit 2). Known but pending or delivered: not accepted.
                throw CLIError(message: "effect `\(effect)` is not dead-lettered (see `o2c outbox --dead`)", code: Exit.notAccepted)
            }
            let r = try engine { () throws(RuntimeError) in try runtime.dispatch(now: now) }
            Console.out("effect \(effect) requeued: \(r.delivered) delivered, \(r.retried) to retry, \(r.dead) dead")
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check the tamper-evident hash chains of history; report the first broken link.")
    @OptionGroup var options: RuntimeOptions
    @Argument(help: "Instance id (default: every instance).") var instance: String?

    func run() throws {
        try Console.run {
            let store = try options.openStore(readOnly: true)
            let breaks = try store.verifyHistory(instanceId: instance)
            if breaks.isEmpty {
                let n = instance == nil ? try store.allInstanceIds().count : 1
                Console.out("history verified: \(n) instance\(n == 1 ? "" : "s"), no broken link")
                return
            }
            for b in breaks { Console.out("broken: \(b)") }
            throw ExitCode(Exit.invalid)
        }
    }
}
