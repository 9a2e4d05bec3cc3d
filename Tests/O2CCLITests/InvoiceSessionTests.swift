import Foundation
import Testing

/// End-to-end: the shipped invoice workflow driven through the real binary and SQLite.
@Suite struct InvoiceSessionTests {
    static let invoice = """
    {"invoice": {"id": "INV-1", "customer_id": "C-1", "customer_email": "ap@acme.example",
                 "total": "1200.00 EUR", "issue_date": "2026-01-01", "due_date": "2026-01-31"}}
    """

    @Test("an invoice walks the dunning ladder with --now, pays, and stops dunning")
    func ladderThenPayment() throws {
        let cli = try CLIHarness.withShippedLibrary()
        let started = try cli.run("start", "invoice", "--id", "INV-1", "--input", "-", "--now", "2026-01-01", stdin: Self.invoice)
        #expect(started.status == 0, "\(started.stderr)")
        #expect(started.stdout == "INV-1 open\n")

        // Day 33 after the due date: reminder, two notices and exactly one late fee (2% of 1200 = 24 → minimum 40).
        let tick = try cli.run("tick", "--now", "2026-03-05")
        #expect(tick.status == 0, "\(tick.stderr)")
        let show = try cli.run("show", "INV-1", "--json")
        #expect(show.stdout.contains("\"balance\": \"1240.00 EUR\""))
        #expect(show.stdout.contains("\"fees\": \"40.00 EUR\""))

        let paid = try cli.run("advance", "INV-1", "payment_received", "--data", #"{"amount": "1240.00 EUR"}"#,
                               "--event-id", "bank-1", "--now", "2026-03-06")
        #expect(paid.status == 0, "\(paid.stderr)")
        #expect(paid.stdout == "INV-1 paid (completed)\n")

        // Nothing else fires: dunning stopped with the payment.
        let later = try cli.run("tick", "--now", "2026-06-01", "--json")
        #expect(later.stdout.contains("\"fired\": 0"))

        let history = try cli.run("history", "INV-1")
        #expect(history.stdout.components(separatedBy: "fee {").count - 1 == 1)
        #expect(history.stdout.contains("ladder `b2b` step `late_fee` fired"))
        let explain = try cli.run("explain", "INV-1").stdout
        #expect(explain.contains("Ladder steps and fees:") && explain.contains("step `late_fee` fired") && explain.contains("fee {amount: 40.00 EUR"), "\(explain)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("timers lists what the next ticks will fire, in their order, and the tick then fires exactly those")
    func upcomingTimers() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.run("start", "invoice", "--id", "INV-1", "--input", "-", "--now", "2026-01-01", stdin: Self.invoice)
        let soon = try cli.run("timers", "--now", "2026-01-29")
        #expect(soon.status == 0, "\(soon.stderr)")
        #expect(soon.stdout == """
            DUE                            INSTANCE  WORKFLOW  STATE  TIMER
            2026-01-28T00:00:00Z  due now  INV-1     invoice   open   ladder.001.friendly_reminder
            2026-02-01T00:00:00Z           INV-1     invoice   open   ladder.002.first_notice
            2 timers due by 2026-02-05T00:00:00Z

            """, "\(soon.stdout)")
        // Up to the late fee: the four steps before it, then the fee itself; a cut says how many more.
        let feeDay = try cli.run("timers", "--now", "2026-01-29", "--until", "2026-03-02", "--json", "--limit", "5")
        #expect(feeDay.stdout.components(separatedBy: "\"key\"").count - 1 == 5)
        #expect(feeDay.stdout.contains("ladder.005.late_fee"))
        #expect(feeDay.stderr.contains("the first 5 of 6 timers"), "\(feeDay.stderr)")
        let tick = try cli.run("tick", "--now", "2026-03-02", "--json")
        #expect(tick.stdout.contains("\"fired\": 6"), "\(tick.stdout)")
        #expect(try cli.run("timers", "--now", "2026-03-02", "--within", "0s").stdout.hasSuffix("0 timers due by 2026-03-02T00:00:00Z\n"))
        let typo = try cli.run("timers", "--workflow", "invoce", "--now", "2026-01-29")
        #expect(typo.stderr.contains("did you mean `invoice`?"))
        #expect(try cli.run("timers", "--within", "soon").status == 64)
    }

    @Test("one tick far ahead starts children at the deadline that starts them and fires their deadlines too")
    func tickRunsChildrenOnTime() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.run("start", "invoice", "--id", "INV-K", "--input", "-", "--now", "2026-01-01", stdin: Self.invoice)
        // Day 46 (18 March) opens the collections case; its day-90 deadline (1 May) hands the debt
        // to the agency, and the case tells the invoice: all within this one tick.
        let tick = try cli.run("tick", "--now", "2026-05-02")
        #expect(tick.status == 0, "\(tick.stderr)")
        let list = try cli.run("list").stdout
        #expect(list.contains("INV-K              invoice      with_agency  active"), "\(list)")
        #expect(list.contains("collections-INV-1  collections  with_agency  completed"), "\(list)")
        let history = try cli.run("history", "collections-INV-1").stdout
        #expect(history.hasPrefix("   1  2026-03-18T00:00:00Z  started "), "\(history)")
        #expect(try cli.run("history", "INV-K").stdout.contains("2026-05-01T00:00:00Z  transition  in_collections → with_agency"))
    }

    @Test("one tick over five months writes the same history as a tick every ten days")
    func oneTickEqualsManyTicks() throws {
        func histories(ticks: [String]) throws -> String {
            let cli = try CLIHarness.withShippedLibrary()
            try cli.run("start", "invoice", "--id", "INV-M", "--input", "-", "--now", "2026-01-01", stdin: Self.invoice)
            for t in ticks { #expect(try cli.run("tick", "--now", t).status == 0) }
            let ids = try cli.run("list").stdout.split(separator: "\n").dropFirst().dropLast().map { String($0.split(separator: " ")[0]) }
            return try ids.map { try cli.run("history", $0).stdout }.joined(separator: "\n")
        }
        let format = ISO8601DateFormatter()
        let tenDays = stride(from: 0, through: 150, by: 10).map { format.string(from: Date(timeIntervalSince1970: 1_767_312_000 + Double($0) * 86_400)) }
        let many = try histories(ticks: tenDays)
        let one = try histories(ticks: [tenDays.last!])
        // The collections case calls the customer every 7 days until the agency takes it (1 May).
        #expect(many.components(separatedBy: "call_customer").count - 1 >= 7, "\(many)")
        #expect(one == many)
    }

    @Test("a redelivered event id changes nothing")
    func duplicateEvent() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.run("start", "invoice", "--id", "INV-2", "--input", "-", "--now", "2026-01-01", stdin: Self.invoice)
        let first = try cli.run("advance", "INV-2", "payment_received", "--data", #"{"amount": "100.00 EUR"}"#, "--event-id", "b-9", "--now", "2026-01-10")
        let second = try cli.run("advance", "INV-2", "payment_received", "--data", #"{"amount": "100.00 EUR"}"#, "--event-id", "b-9", "--now", "2026-01-11")
        #expect(first.status == 0 && second.status == 0)
        #expect(second.stdout.contains("already processed"))
        let show = try cli.run("show", "INV-2", "--json")
        #expect(show.stdout.contains("\"balance\": \"1100.00 EUR\""))
    }

    @Test("an event the state handles but no condition takes (a zero or negative payment) is said to be ignored, not taken for accepted")
    func ignoredEvent() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.run("start", "invoice", "--id", "INV-4", "--input", "-", "--now", "2026-01-01", stdin: Self.invoice)
        let r = try cli.run("advance", "INV-4", "payment_received", "--data", #"{"amount": "-10.00 EUR"}"#, "--now", "2026-01-02", "--json")
        #expect(r.status == 0, "ignoring is a documented outcome, recorded in history")
        #expect(r.stderr.contains("o2c advance: `payment_received` ignored: no guard held in state `open`; recorded in history, nothing else changed"), "\(r.stderr)")
        #expect(r.stdout.contains(#""ignored": "no guard held in state `open`""#), "\(r.stdout)")
        #expect(try cli.run("show", "INV-4", "--json").stdout.contains("\"balance\": \"1200.00 EUR\""))
        let paid = try cli.run("advance", "INV-4", "payment_received", "--data", #"{"amount": "10.00 EUR"}"#, "--now", "2026-01-03")
        #expect(!paid.stderr.contains("ignored"))
    }

    @Test("bad input is refused with its documented exit code and changes nothing", arguments: [
        (["advance", "NOPE", "payment_received"], Int32(2), "unknown instance `NOPE`"),
        (["advance", "INV-3", "dispute_resolved", "--data", #"{"upheld": true}"#], Int32(3), "not accepted in state `open` (accepted: payment_received, dispute_opened)"),
        (["advance", "INV-3", "payment_recieved"], Int32(3), "did you mean `payment_received`?"),
        (["advance", "INV-3", "payment_received", "--data", #"{"amount": "ten"}"#], Int32(4), "field `amount` must be money"),
        (["advance", "INV-3", "payment_received", "--data", "{}"], Int32(4), "field `amount` is required"),
        (["start", "invoise"], Int32(5), "did you mean `invoice`?"),
        (["advance", "INV-3", "payment_received", "--data", "{}", "--data-file", "-"], Int32(64), "--data or with --data-file, not both"),
        (["advance", "INV-3", "payment_received", "--data", #"{"amount": "1.00 EUR"}"#, "--now", "2025-12-31"], Int32(4),
         "--now 2025-12-31T00:00:00Z is before the last change of `INV-3` (2026-01-01T00:00:00Z)"),
        (["cancel", "INV-3", "--now", "2025-12-31"], Int32(4), "history is kept in time order"),
        (["advance", "INV-3", "payment_received", "--data", #"{"amount": "10.00 USD"}"#], Int32(4), "is in USD, but `INV-3` holds its amounts in EUR"),
        (["advance", "INV-3", "payment_received", "--data", #"{"amount": "10.005 EUR"}"#], Int32(4), "has more decimals than EUR allows (2)"),
        (["verify", "NOPE"], Int32(2), "no instance `NOPE`"),
        (["outbox", "retry", "NOPE"], Int32(2), "no outbox effect `NOPE`"),
    ])
    func refusals(arguments: [String], status: Int32, message: String) throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.run("start", "invoice", "--id", "INV-3", "--input", "-", "--now", "2026-01-01", stdin: Self.invoice)
        let before = try cli.run("history", "INV-3").stdout
        let r = try cli.run(arguments + (["advance", "start"].contains(arguments[0]) && !arguments.contains("--now") ? ["--now", "2026-01-02"] : []))
        #expect(r.status == status, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(try cli.run("history", "INV-3").stdout == before)
    }

    @Test("`list` cut by --limit keeps the newest instances and says how many there are")
    func listLimit() throws {
        let cli = try CLIHarness.withShippedLibrary()
        for (id, day) in [("INV-A", "2026-01-01"), ("INV-B", "2026-01-02"), ("INV-C", "2026-01-03")] {
            try cli.run("start", "invoice", "--id", id, "--input", "-", "--now", day, stdin: Self.invoice)
        }
        let cut = try cli.run("list", "--limit", "2")
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(!cut.stdout.contains("INV-A") && cut.stdout.contains("INV-B") && cut.stdout.contains("INV-C"), "\(cut.stdout)")
        #expect(cut.stdout.hasSuffix("the newest 2 of 3 instances (--limit to see more)\n"))
        let all = try cli.run("list")
        #expect(all.stdout.hasSuffix("\n3 instances\n"), "\(all.stdout)")
        let typo = try cli.run("list", "--workflow", "invoce")
        #expect(typo.stdout.hasSuffix("0 instances\n") && typo.stderr.contains("did you mean `invoice`?"), "\(typo.stderr)")
    }

    @Test("with no --actor and no $USER or $LOGNAME, history names the account running o2c")
    func actorFromAccount() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.run(["start", "invoice", "--id", "INV-U", "--input", "-", "--now", "2026-01-01"], stdin: Self.invoice,
                    environment: ["USER": "", "LOGNAME": ""])
        let history = try cli.run("history", "INV-U")
        #expect(history.stdout.contains("started in `issued` by \(ProcessInfo.processInfo.userName) with"), "\(history.stdout)")
        #expect(!ProcessInfo.processInfo.userName.isEmpty)
    }

    /// A project whose `ping` workflow asks a program at once, and the program's answer.
    static func pingProject(answer: String) throws -> CLIHarness {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.write("workflows/ping.yaml", """
        workflow: ping
        version: "1"
        events:
          pong: {}
        start: asking
        states:
          asking:
            entry:
              - ask: {}
            on:
              pong: {goto: answered}
          answered:
            final: true
        """)
        try cli.write("answer.sh", "#!/bin/sh\ncat >/dev/null\necho '\(answer)'\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.folder.appendingPathComponent("answer.sh").path)
        let config = try String(contentsOf: cli.folder.appendingPathComponent("o2c.yaml"), encoding: .utf8)
        try cli.write("o2c.yaml", config.replacingOccurrences(of: "handlers:\n", with: "handlers:\n  ask: {kind: exec, command: [./answer.sh]}\n"))
        return cli
    }

    @Test("`start` prints where the instance rests after a handler that answers at once has moved it")
    func startPrintsTheSettledState() throws {
        // Given a workflow whose first state asks a program, and the program answers at once
        let cli = try Self.pingProject(answer: #"{"event": "pong", "data": {}}"#)

        // When an instance is started
        let r = try cli.run("start", "ping", "--id", "p-1", "--now", "2026-01-01")

        // Then it prints the state the answer moved it to, as `show` does
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "p-1 answered (completed)\n", "\(r.stdout)")
        #expect(try cli.run("show", "p-1").stdout.contains("state     answered  [completed: answered]"))
        // Its effect was delivered: retrying it is refused as not accepted (exit 3), not as unknown (exit 2)
        let retry = try cli.run("outbox", "retry", "p-1:1:0")
        #expect(retry.status == 3 && retry.stderr.contains("is not dead-lettered"), "\(retry.stderr)")
    }

    @Test("an answer the workflow cannot take (a misspelt event) dead-letters its effect instead of vanishing")
    func refusedAnswerIsDeadLettered() throws {
        let cli = try Self.pingProject(answer: #"{"event": "pongg", "data": {}}"#)
        #expect(try cli.run("start", "ping", "--id", "p-2", "--now", "2026-01-01").stdout == "p-2 asking\n")
        let dead = try cli.run("outbox", "--dead")
        #expect(dead.stdout.contains("answer `pongg` was refused"), "\(dead.stdout)")
        #expect(dead.stdout.contains("did you mean `pong`?"))
        #expect(!dead.stdout.contains("2026-01-01T00:00:30Z"), "a dead letter shows no next attempt")
    }

    @Test("running instances keep the definition they started with")
    func pinnedDefinition() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.run("start", "invoice", "--id", "OLD", "--input", "-", "--now", "2026-01-01", stdin: Self.invoice)
        // Raise the late fee minimum in the files: only new instances see it.
        let path = cli.folder.appendingPathComponent("rules/dunning-b2b.yaml")
        let text = try String(contentsOf: path, encoding: .utf8).replacingOccurrences(of: "value: 40.00 EUR", with: "value: 90.00 EUR")
        try text.write(to: path, atomically: true, encoding: .utf8)
        try cli.run("start", "invoice", "--id", "NEW", "--input", "-", "--now", "2026-01-01", stdin: Self.invoice)
        try cli.run("tick", "--now", "2026-03-05")
        #expect(try cli.run("show", "OLD", "--json").stdout.contains("\"fees\": \"40.00 EUR\""))
        #expect(try cli.run("show", "NEW", "--json").stdout.contains("\"fees\": \"90.00 EUR\""))
    }
}
