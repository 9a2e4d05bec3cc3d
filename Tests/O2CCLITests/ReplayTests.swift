import Foundation
import O2CCore
import O2CEngine
import O2CLoader
import Testing

/// Temporal's "full replay" guard: the inputs recorded in the database, re-run on a fresh
/// interpreter, give the identical history — the interpreter is deterministic and pure.
@Suite struct ReplayTests {
    @Test("re-running an instance's recorded inputs on a fresh engine gives the identical history")
    func replayGivesIdenticalHistory() throws {
        // Given an invoice walked through its ladder, a partial payment and a full payment, via the real CLI and SQLite
        let cli = try CLIHarness.withShippedLibrary()
        try cli.run("start", "invoice", "--id", "R-1", "--input", "-", "--now", "2026-01-01", stdin: InvoiceSessionTests.invoice)
        try cli.run("tick", "--now", "2026-02-10")
        try cli.run("advance", "R-1", "payment_received", "--data", #"{"amount": "200.00 EUR"}"#, "--event-id", "p1", "--now", "2026-02-11")
        try cli.run("tick", "--now", "2026-03-05")
        try cli.run("advance", "R-1", "payment_received", "--data", #"{"amount": "1040.00 EUR"}"#, "--event-id", "p2", "--now", "2026-03-06")
        let stored = try JSON.parse(try cli.run("history", "R-1", "--json").stdout)
        guard case .array(let rows) = stored else { Issue.record("history is not a list"); return }

        // When the recorded inputs (start, events, timers) are fed to a fresh interpreter
        let paths = ["workflows", "rules"].map { cli.folder.appendingPathComponent($0).path }
        let prefix = cli.folder.path + "/"
        let sources = try SourceFiles.read(paths).0.map { LibraryLoader.Source(path: String($0.path.dropFirst(prefix.count)), text: $0.text) }
        let (library, _) = LibraryLoader.load(sources)
        let interpreter = try Interpreter(library: library, workflowName: "invoice")
        let invoiceType = library.workflow("invoice")!.inputs
        var snapshot: Snapshot?
        var replayed: [HistoryEntry] = []
        for row in rows {
            guard case .string(let kind)? = row["kind"], case .string(let at)? = row["at"], let now = Instant(parsing: at),
                  let data = row["data"] else { continue }
            switch kind {
            case "started":
                guard case .object(let pairs)? = data["inputs"] else { continue }
                let inputs = try TypedValues.object(pairs, as: invoiceType, path: "")
                let step = try interpreter.start(StartRequest(instanceId: "R-1", inputs: inputs), now: now)
                snapshot = step.snapshot
                replayed += step.history
            case "event":
                guard case .string(let name)? = data["name"], case .object(let pairs)? = data["payload"], let s = snapshot else { continue }
                let payload = try TypedValues.object(pairs, as: library.workflow("invoice")!.event(name)!.payload, path: "")
                var id: String?
                if case .string(let e)? = data["id"] { id = e }
                let step = try interpreter.step(s, .event(name: name, payload: payload, id: id), now: now)
                snapshot = step.snapshot
                replayed += step.history
            case "timer":
                guard case .string(let key)? = data["key"], let s = snapshot else { continue }
                let step = try interpreter.step(s, .timer(key: key), now: now)
                snapshot = step.snapshot
                replayed += step.history
            default:
                continue
            }
        }

        // Then every history entry is the same, in the same order, with the same data
        let recorded: [String] = rows.map { row in
            guard case .string(let kind)? = row["kind"], case .string(let at)? = row["at"] else { return "?" }
            return "\(at) \(kind) \(row["data"]?.serialized(sortedKeys: true) ?? "")"
        }
        let again: [String] = replayed.map { "\($0.at) \($0.kind) \(Value.object($0.data).plainJSON.serialized(sortedKeys: true))" }
        #expect(again == recorded)
        #expect(rows.count > 20)
        #expect(snapshot?.status == .completed)
    }
}
