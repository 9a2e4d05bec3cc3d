import ArgumentParser
import Foundation
import O2CCore
import O2CRuntime
import O2CStore

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show an instance's history: every input, transition, decision and effect.")
    @OptionGroup var options: RuntimeOptions
    @Argument(help: "Instance id.") var instance: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let store = try options.openStore(readOnly: true)
            _ = try options.record(instance, in: store)
            let rows = try store.history(instanceId: instance)
            if json {
                Console.out(JSON.array(rows.map { r in
                    let data = (try? JSON.parse(r.data)).flatMap { Value(taggedJSON: $0) }?.plainJSON ?? .null
                    return .object([("seq", .number(ExactDecimal(r.seq))), ("at", .string(r.at.description)), ("kind", .string(r.kind)),
                                    ("actor", .string(r.actor)), ("data", data), ("hash", .string(r.hash))])
                }).serialized(pretty: true))
                return
            }
            var out = ""
            for r in rows { out += String(format: "%4d  ", r.seq) + "\(r.at)  \(r.kind.padding(toLength: 10, withPad: " ", startingAt: 0))  \(HistoryText.summary(r))\n" }
            Console.out(out + "\(rows.count) entries")
        }
    }
}

/// One readable line per history entry.
enum HistoryText {
    static func data(_ r: HistoryRecord) -> [String: Value] {
        if let j = try? JSON.parse(r.data), case .object(let o)? = Value(taggedJSON: j) { return o }
        return [:]
    }

    static func summary(_ r: HistoryRecord) -> String {
        let d = data(r)
        func s(_ k: String) -> String { d[k]?.plainText ?? "" }
        switch r.kind {
        case "started": return "started in `\(s("state"))` by \(r.actor) with \(d["inputs"]?.description ?? "{}")"
        case "event": return "event `\(s("name"))` \(d["payload"]?.description ?? "")\(d["id"].map { " (id \($0.plainText))" } ?? "") by \(r.actor)"
        case "timer": return "timer `\(s("key"))` due \(s("due"))"
        case "transition": return "\(s("from")) → \(s("to")) (\(s("trigger")))"
        case "decision": return "table `\(s("table"))` matched rows \(d["matched"]?.description ?? "[]") → \(d["outputs"]?.description ?? "")"
        case "effect": return "\(s("action")) \(d["arguments"]?.description ?? "") [\(s("id"))]"
        case "assigned": return d.keys.sorted().map { "\($0) = \(d[$0]!)" }.joined(separator: ", ")
        case "ladder": return "ladder `\(s("ladder"))` step `\(s("step"))` \(s("result"))\(d["reason"].map { " (\($0.plainText))" } ?? "")"
        case "completed": return "completed: \(s("outcome"))"
        case "failed": return "FAILED: \(s("message"))"
        case "cancelled": return "cancelled by \(r.actor): \(s("reason"))"
        case "ignored": return "ignored: \(s("reason"))"
        default: return r.data
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Say why an instance is where it is: the path it took and every decision, with table, rows and values.")
    @OptionGroup var options: RuntimeOptions
    @Argument(help: "Instance id.") var instance: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let store = try options.openStore(readOnly: true)
            let record = try options.record(instance, in: store)
            let rows = try store.history(instanceId: instance)
            let decisions = rows.filter { $0.kind == "decision" }
            // Dunning is the other "why": which ladder steps fired or were skipped, and the fees.
            let ladder = rows.filter { $0.kind == "ladder" || ($0.kind == "effect" && HistoryText.data($0)["action"]?.plainText == "fee") }
            if json {
                Console.out(JSON.object([
                    ("id", .string(record.id)), ("state", .string(record.state)), ("status", .string(record.status.rawValue)),
                    ("definition", .string(record.definitionHash)),
                    ("path", .array(rows.filter { $0.kind == "transition" }.map { Value.object(HistoryText.data($0)).plainJSON })),
                    ("decisions", .array(decisions.map { Value.object(HistoryText.data($0)).plainJSON })),
                    ("ladder", .array(ladder.map { Value.object(HistoryText.data($0).merging(["at": .string($0.at.description)]) { a, _ in a }).plainJSON })),
                ]).serialized(pretty: true))
                return
            }
            var out = "`\(record.id)` is in state `\(record.state)` [\(record.status.rawValue)\(record.outcome.map { ": \($0)" } ?? "")], workflow `\(record.workflow)`, definition \(record.definitionHash.prefix(12))\n\nPath:\n"
            for r in rows where ["started", "transition", "completed", "failed", "cancelled"].contains(r.kind) {
                out += "  \(r.at)  \(HistoryText.summary(r))\n"
            }
            if !ladder.isEmpty {
                out += "\nLadder steps and fees:\n"
                for r in ladder { out += "  \(r.at)  \(HistoryText.summary(r))\n" }
            }
            if decisions.isEmpty { out += "\nNo decision tables were evaluated.\n" }
            for r in decisions {
                let d = HistoryText.data(r)
                out += "\nDecision at \(r.at): table `\(d["table"]?.plainText ?? "")` (\(d["file"]?.plainText ?? ""), hit policy \(d["hit"]?.plainText ?? ""))\n"
                if case .object(let inputs)? = d["inputs"] {
                    out += "  inputs:  " + inputs.keys.sorted().map { "\($0) = \(inputs[$0]!)" }.joined(separator: ", ") + "\n"
                }
                out += "  matched rows: \(d["matched"]?.description ?? "[]"); used: \(d["selected"]?.description ?? "[]")\n"
                if case .object(let outputs)? = d["outputs"] {
                    out += "  outputs: " + outputs.keys.sorted().filter { $0 != "matched" }.map { "\($0) = \(outputs[$0]!)" }.joined(separator: ", ") + "\n"
                }
            }
            Console.out(out)
        }
    }
}
