import ArgumentParser
import Foundation
import O2CCore
import O2CEngine
import O2CRuntime

struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start an instance of a workflow; prints its id and the state it rests in.",
        discussion: #"Example: o2c start invoice --id INV-1 --input invoice.json --set invoice.total="1200.00 EUR""#
    )

    @OptionGroup var options: RuntimeOptions
    @OptionGroup var clock: ClockOption
    @Argument(help: "Workflow name.") var workflow: String
    @Option(help: "Instance id (default: derived from --key, else generated).") var id: String?
    @Option(help: "Business key, unique per workflow (e.g. the invoice number).") var key: String?
    @Option(help: "Inputs as a JSON file, or - for stdin.") var input: String?
    @Option(name: .customLong("set"), help: "An input field as path=value (value is JSON, or text). Repeatable.") var sets: [String] = []
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let runtime = try options.runtime()
            var inputs = try JSONInput.read(input)
            for assignment in sets { inputs = try JSONInput.set(assignment, in: inputs) }
            let now = try clock.instant()
            let s = try engine { () throws(RuntimeError) in
                let snapshot = try runtime.start(workflow: workflow, instanceId: id, businessKey: key, inputs: inputs, now: now)
                _ = try runtime.dispatch(now: now)
                return snapshot
            }
            let rest = Settled(s, runtime)
            if json {
                Console.out(JSON.object([("id", .string(s.instanceId)), ("state", .string(rest.state)), ("status", .string(rest.status))]).serialized(pretty: true))
            } else {
                Console.out("\(s.instanceId) \(rest)")
            }
        }
    }
}

struct Advance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance",
        abstract: "Deliver an event to an instance (\"advance\" it).",
        discussion: #"Example: o2c advance INV-1 payment_received --data '{"amount": "500.00 EUR"}' --event-id bank-7731"#
    )

    @OptionGroup var options: RuntimeOptions
    @OptionGroup var clock: ClockOption
    @Argument(help: "Instance id.") var instance: String
    @Argument(help: "Event name.") var event: String
    @Option(help: "Event data as JSON.") var data: String?
    @Option(help: "Event data from a JSON file, or - for stdin.") var dataFile: String?
    @Option(help: "An id for this event; delivering the same id again changes nothing.") var eventId: String?
    @Flag(help: "Print JSON.") var json = false

    /// Largest event payload accepted, in bytes of JSON text: refused (exit 4) before anything is read or written.
    static let maxPayloadBytes = 65_536

    func validate() throws {
        // Both would leave one silently unread.
        if data != nil && dataFile != nil { throw ValidationError("give the event data with --data or with --data-file, not both") }
    }

    func run() throws {
        try Console.run {
            let runtime = try options.runtime()
            let payload: JSON = try data.map { try JSONInput.parse($0, what: "--data", limit: Self.maxPayloadBytes) }
                ?? JSONInput.read(dataFile, limit: Self.maxPayloadBytes)
            let now = try clock.instant()
            try clock.requireNotBefore(instance, in: runtime, now)
            let result = try engine { () throws(RuntimeError) in
                let r = try runtime.advance(instance, event: event, payload: payload, eventId: eventId, now: now)
                _ = try runtime.dispatch(now: now)
                return r
            }
            let s = result.snapshot
            var duplicate = false
            if case .duplicate = result { duplicate = true }
            let rest = Settled(s, runtime)
            if json {
                Console.out(JSON.object([("id", .string(s.instanceId)), ("state", .string(rest.state)), ("status", .string(rest.status)),
                                         ("duplicate", .bool(duplicate)), ("ignored", result.ignored.map { .string($0) } ?? .null)]).serialized(pretty: true))
            } else {
                Console.out("\(s.instanceId) \(rest)\(duplicate ? " (event already processed; nothing changed)" : "")")
            }
            // Handled by the state, but no transition's condition held: say so, or an analyst takes
            // a refused zero or negative payment for an accepted one.
            if let why = result.ignored { Console.error("o2c advance: `\(event)` ignored: \(why); recorded in history, nothing else changed") }
        }
    }
}

struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel an instance: it stops, its timers are dropped.")
    @OptionGroup var options: RuntimeOptions
    @OptionGroup var clock: ClockOption
    @Argument(help: "Instance id.") var instance: String
    @Option(help: "Why, recorded in history.") var reason: String = "cancelled by operator"

    func run() throws {
        try Console.run {
            let runtime = try options.runtime()
            let now = try clock.instant()
            try clock.requireNotBefore(instance, in: runtime, now)
            let s = try engine { () throws(RuntimeError) in try runtime.cancel(instance, reason: reason, now: now) }
            Console.out("\(s.instanceId) \(s.state) (cancelled)")
        }
    }
}

/// JSON from files, stdin and `--set path=value`.
enum JSONInput {
    static func read(_ path: String?, limit: Int? = nil) throws -> JSON {
        guard let path else { return .object([]) }
        let data: Data
        if path == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else {
            guard let d = FileManager.default.contents(atPath: path) else { throw CLIError(message: "cannot read `\(path)`", code: Exit.badInput) }
            data = d
        }
        return try parse(String(decoding: data, as: UTF8.self), what: path == "-" ? "stdin" : path, limit: limit)
    }

    static func parse(_ text: String, what: String, limit: Int? = nil) throws -> JSON {
        if let limit, text.utf8.count > limit {
            throw CLIError(message: "\(what) is \(text.utf8.count) bytes; event data may be at most \(limit / 1024) KiB", code: Exit.badInput)
        }
        do { return try JSON.parse(text) } catch { throw CLIError(message: "\(what) is not valid JSON: \(error)", code: Exit.badInput) }
    }

    /// `order.total=1200.00 EUR` or `customer={"segment":"new"}`: JSON when it parses, else text.
    static func set(_ assignment: String, in json: JSON) throws -> JSON {
        guard let eq = assignment.firstIndex(of: "=") else {
            throw CLIError(message: "--set `\(assignment)` must be path=value", code: Exit.usage)
        }
        let path = assignment[..<eq].split(separator: ".").map(String.init)
        let raw = String(assignment[assignment.index(after: eq)...])
        let value = (try? JSON.parse(raw)) ?? .string(raw)
        return setting(path[...], to: value, in: json)
    }

    private static func setting(_ path: ArraySlice<String>, to value: JSON, in json: JSON) -> JSON {
        guard let key = path.first else { return value }
        var pairs: [(String, JSON)] = []
        if case .object(let o) = json { pairs = o }
        let existing = pairs.first { $0.0 == key }?.1 ?? .object([])
        let updated = setting(path.dropFirst(), to: value, in: existing)
        if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = updated } else { pairs.append((key, updated)) }
        return .object(pairs)
    }
}

/// Where an instance rests once the command's outbox was dispatched: a handler that answers at
/// once (an `exec` replying with an event) may already have moved it past the state its own step
/// ended in, and "the state it rests in" is what the user asked for.
struct Settled: CustomStringConvertible {
    var state: String
    var status: String

    init(_ s: Snapshot, _ runtime: Runtime) {
        if let record = try? runtime.store.instance(id: s.instanceId) {
            (state, status) = (record.state, record.status.rawValue)
        } else {
            (state, status) = (s.state, s.status.rawValue)
        }
    }

    /// `paid (completed)`, or just the state while active.
    var description: String { status == "active" ? state : "\(state) (\(status))" }
}
