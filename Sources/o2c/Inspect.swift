import ArgumentParser
import Foundation
import O2CCore
import O2CLoader
import O2CRuntime
import O2CStore

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an instance: state, status, context, timers, pending effects.")
    @OptionGroup var options: RuntimeOptions
    @Argument(help: "Instance id.") var instance: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let store = try options.openStore(readOnly: true)
            let record = try options.record(instance, in: store)
            let snapshot = try engine { () throws(RuntimeError) in
                do throws(SnapshotCodec.DecodeError) { return try SnapshotCodec.decode(record.snapshot) } catch { throw .corrupt(error.description) }
            }
            let pending = try store.undeliveredOutbox(instanceId: instance)
            if json {
                Console.out(JSON.object([
                    ("id", .string(record.id)), ("workflow", .string(record.workflow)), ("business_key", record.businessKey.map(JSON.string) ?? .null),
                    ("state", .string(record.state)), ("status", .string(record.status.rawValue)), ("outcome", record.outcome.map(JSON.string) ?? .null),
                    ("definition", .string(record.definitionHash)), ("version", .number(ExactDecimal(record.version))),
                    ("created_at", .string(record.createdAt.description)), ("updated_at", .string(record.updatedAt.description)),
                    ("inputs", Value.object(snapshot.inputs).plainJSON), ("context", Value.object(snapshot.context).plainJSON),
                    ("timers", .array(snapshot.timers.map { .object([("key", .string($0.key)), ("due", .string($0.due.description))]) })),
                    ("failure", snapshot.failure.map(JSON.string) ?? .null),
                    ("effects", .array(pending.map { .object([("id", .string($0.effectId)), ("action", .string($0.action)), ("status", .string($0.status.rawValue))]) })),
                ]).serialized(pretty: true))
                return
            }
            var out = "instance  \(record.id)\(record.businessKey.map { "  (key \($0))" } ?? "")\n"
            out += "workflow  \(record.workflow)  definition \(record.definitionHash.prefix(12))\n"
            out += "state     \(record.state)  [\(record.status.rawValue)\(record.outcome.map { ": \($0)" } ?? "")]\n"
            out += "started   \(record.createdAt)   updated \(record.updatedAt)   version \(record.version)\n"
            if let f = snapshot.failure { out += "failure   \(f)\n" }
            if !snapshot.context.isEmpty {
                out += "context\n" + snapshot.context.keys.sorted().map { "  \($0) = \(snapshot.context[$0]!)" }.joined(separator: "\n") + "\n"
            }
            if !snapshot.timers.isEmpty {
                out += "timers\n" + snapshot.timers.map { "  \($0.due)  \($0.key)" }.joined(separator: "\n") + "\n"
            }
            if !pending.isEmpty {
                out += "effects not yet delivered\n" + pending.map { "  \($0.effectId)  \($0.action)  \($0.status.rawValue)  attempts \($0.attempts)\($0.lastError.map { "  last error: \($0)" } ?? "")" }.joined(separator: "\n") + "\n"
            }
            Console.out(out)
        }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List instances, newest last.")
    @OptionGroup var options: RuntimeOptions
    @Option(help: "Only this workflow.") var workflow: String?
    @Option(help: "Only instances in this state.") var state: String?
    @Option(help: "active, completed, failed or cancelled.") var status: String?
    @Option(help: "At most this many: the newest ones.") var limit: Int = 1000
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            var st: InstanceStatus?
            if let status {
                guard let s = InstanceStatus(rawValue: status) else {
                    throw CLIError(message: "--status must be one of active, completed, failed, cancelled", code: Exit.usage)
                }
                st = s
            }
            guard limit >= 1 else { throw CLIError(message: "--limit must be at least 1", code: Exit.usage) }
            let store = try options.openStore(readOnly: true)
            // Newest last, so a cut keeps the newest: the instances one is usually after.
            let (rows, total) = try store.newestInstances(filter: InstanceFilter(workflow: workflow, state: state, status: st), limit: limit)
            let cut = total > rows.count ? "the newest \(rows.count) of \(total) instances (--limit to see more)" : nil
            if rows.isEmpty, let workflow { options.warnIfUnknown(workflow: workflow, command: "list") }
            if json {
                if let cut { Console.error("o2c list: \(cut)") }
                Console.out(JSON.array(rows.map {
                    .object([("id", .string($0.id)), ("workflow", .string($0.workflow)), ("state", .string($0.state)),
                             ("status", .string($0.status.rawValue)), ("business_key", $0.businessKey.map(JSON.string) ?? .null),
                             ("updated_at", .string($0.updatedAt.description))])
                }).serialized(pretty: true))
                return
            }
            let table = TextTable(["ID", "WORKFLOW", "STATE", "STATUS", "UPDATED"])
            Console.out(table.render(rows.map { [$0.id, $0.workflow, $0.state, $0.status.rawValue, $0.updatedAt.description] })
                        + (cut ?? "\(rows.count) instance\(rows.count == 1 ? "" : "s")"))
        }
    }
}

/// Plain aligned columns for terminal tables.
struct TextTable {
    var headers: [String]
    init(_ headers: [String]) { self.headers = headers }

    func render(_ rows: [[String]]) -> String {
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ") + "\n"
        }
        return line(headers) + rows.map(line).joined()
    }
}
