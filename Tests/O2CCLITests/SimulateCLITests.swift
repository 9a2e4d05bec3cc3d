import Foundation
import Testing

/// `o2c simulate` through the real binary: git baselines, byte-identical reports across
/// processes, and a replay that leaves the database and every handler untouched.
@Suite struct SimulateCLITests {
    /// A small invoice library (one late fee at day 30) and a config whose handlers only log.
    static let invoiceLibrary = """
    policy:
      late_fee_percent: 2
      late_fee_minimum: 40.00 EUR
    ---
    ladder: b2b
    inputs: {balance: money, due_date: date}
    anchor: due_date
    stop_when: amount(balance) <= 0
    steps:
      - name: first_notice
        offset: 7d
        do: [{notify: {template: first_notice, channel: email, to: '"ap@example.com"'}}]
      - name: late_fee
        offset: 30d
        fee: {of: balance, percent: policy.late_fee_percent, minimum: policy.late_fee_minimum}
      - name: credit_hold
        offset: 35d
        do: [{credit_hold: {reason: '"overdue"'}}]
    """

    static let invoiceWorkflow = """
    workflow: invoice
    version: "1"
    inputs:
      invoice: {id: string, total: money, due_date: date}
    context:
      balance: invoice.total
    events:
      payment_received: {amount: money}
    start: open
    states:
      open:
        ladder:
          use: b2b
          with: {balance: balance, due_date: invoice.due_date}
          fees_to: [balance]
        on:
          payment_received:
            - when: event.amount >= balance
              goto: paid
              set: {balance: balance - event.amount}
            - set: {balance: balance - event.amount}
      paid:
        final: true
    """

    static let logConfig = "handlers:\n  notify: log\n  credit_hold: log\n"

    /// Every action goes to a program that writes `spy.log`: if the simulator ever performed an
    /// effect, the file would exist.
    static let spyConfig = """
    handlers:
      notify: {kind: exec, command: [sh, spy.sh]}
      credit_hold: {kind: exec, command: [sh, spy.sh]}
      fee: {kind: exec, command: [sh, spy.sh]}
    """

    static func invoiceProject() throws -> CLIHarness {
        let cli = try CLIHarness.empty()
        try cli.write("rules/dunning.yaml", invoiceLibrary)
        try cli.write("workflows/invoice.yaml", invoiceWorkflow)
        try cli.write("o2c.yaml", logConfig)
        try cli.write("spy.sh", "cat > /dev/null\necho called >> spy.log\n")
        return cli
    }

    static func invoiceInput(_ id: String, _ total: String, due: String) -> String {
        #"{"invoice": {"id": "\#(id)", "total": "\#(total) EUR", "due_date": "\#(due)"}}"#
    }

    @Test("replay leaves the database byte-identical, calls no handler, and finds no difference in unchanged definitions")
    func replay() throws {
        let cli = try Self.invoiceProject()
        func ok(_ args: String..., stdin: String? = nil) throws {
            let r = try cli.run(args, stdin: stdin)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        try ok("start", "invoice", "--id", "INV-1", "--input", "-", "--now", "2026-01-01", stdin: Self.invoiceInput("INV-1", "1200.00", due: "2026-01-31"))
        try ok("start", "invoice", "--id", "INV-2", "--input", "-", "--now", "2026-01-01", stdin: Self.invoiceInput("INV-2", "800.00", due: "2026-01-31"))
        try ok("start", "invoice", "--id", "INV-3", "--input", "-", "--now", "2026-01-15", stdin: Self.invoiceInput("INV-3", "500.00", due: "2026-02-15"))
        try ok("tick", "--now", "2026-02-25")
        try ok("advance", "INV-1", "payment_received", "--data", #"{"amount": "1200.00 EUR"}"#, "--event-id", "bank-1", "--now", "2026-02-25T10:00:00Z")
        try ok("tick", "--now", "2026-03-05")
        try ok("advance", "INV-2", "payment_received", "--data", #"{"amount": "840.00 EUR"}"#, "--event-id", "bank-2", "--now", "2026-03-06")
        try ok("tick", "--now", "2026-04-01")

        try cli.write("o2c.yaml", Self.spyConfig)
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        let filesBefore = try Self.files(cli)

        let same = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--replay", "o2c.sqlite", "--format", "json")
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains(#""compared": 3"#), "\(same.stdout)")
        #expect(same.stdout.contains(#""changed": 0"#))
        #expect(!same.stdout.contains("not accepted"))
        #expect(!same.stdout.contains("unknown outcome"))
        #expect(same.stdout.contains(#""name": "fee amount""#))
        #expect(same.stdout.contains("the baseline replay ends 3 of 3 orders as recorded"))

        // The late fee moved to day 21: INV-1 (paid in full on day 25) is charged and stays open;
        // INV-2 and INV-3 are charged the same fee, earlier.
        let text = try String(contentsOf: cli.folder.appendingPathComponent("rules/dunning.yaml"), encoding: .utf8)
        try cli.write("cand/rules/dunning.yaml", text.replacingOccurrences(of: "offset: 30d", with: "offset: 21d"))
        try cli.write("cand/workflows/invoice.yaml", Self.invoiceWorkflow)
        let changed = try cli.run("simulate", "--baseline", ".", "--candidate", "cand", "--replay", "o2c.sqlite", "--out", "impact.md", "--format", "markdown")
        #expect(changed.status == 0, "\(changed.stderr)")
        let report = try String(contentsOf: cli.folder.appendingPathComponent("impact.md"), encoding: .utf8)
        #expect(report.contains("rules/dunning.yaml: ladder `b2b` step `late_fee`: day 30 → 21"))
        #expect(report.contains("Orders whose path changed: 3 of 3"), "\(report)")
        #expect(report.contains("| paid → stays in `open` | 1 | 1200.00 EUR | +40.00 EUR |"), "\(report)")
        #expect(report.contains("| `fee` earlier | 2 | 1300.00 EUR |  |"), "\(report)")
        #expect(report.contains("- INV-1 at 2026-02-21T00:00:00Z in invoice.open: baseline → paid (invoice.open, 2026-02-25T10:00:00Z); candidate fee 40.00 EUR"))

        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.db)) == before, "the replayed database changed")
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("spy.log").path), "a handler was called")
        #expect(try Self.files(cli).subtracting(filesBefore) == ["cand", "cand/rules", "cand/rules/dunning.yaml", "cand/workflows", "cand/workflows/invoice.yaml", "impact.md"])
    }

    @Test("a database driven by one long tick replays as recorded: the collections case it started mid-tick included")
    func replayAfterOneLongTick() throws {
        let cli = try CLIHarness.withShippedLibrary()
        let start = try cli.run("start", "invoice", "--id", "INV-1", "--input", "-", "--now", "2026-01-01", stdin: """
            {"invoice": {"id": "INV-1", "customer_id": "C-1", "customer_email": "ap@acme.example",
                         "total": "1200.00 EUR", "issue_date": "2026-01-01", "due_date": "2026-01-31"}}
            """)
        #expect(start.status == 0, "\(start.stderr)")
        // Eight months in one tick: the ladder, the hand-off to collections on day 90 (a child
        // started mid-tick), the child's own call timers and its agency hand-off, the write-off review.
        #expect(try cli.run("tick", "--now", "2026-09-01").status == 0)
        let replay = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--replay", "o2c.sqlite")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("the baseline replay ends 1 of 1 order as recorded"), "\(replay.stdout)")
        // The hand-off happened in the recording and happens again in both replays.
        #expect(replay.stdout.range(of: #"agency hand-offs +1 +1 +0\n"#, options: .regularExpression) != nil, "\(replay.stdout)")
        #expect(replay.stdout.range(of: #"suspensions +1 +1 +0\n"#, options: .regularExpression) != nil)
        #expect(!replay.stdout.contains("unknown outcome"))
    }

    @Test("an operator's cancellation is replayed at its time: the order ends cancelled, as recorded")
    func replayOperatorCancel() throws {
        let cli = try CLIHarness.withShippedLibrary()
        for id in ["INV-1", "INV-2"] {
            let start = try cli.run("start", "invoice", "--id", id, "--input", "-", "--now", "2026-01-01", stdin: """
                {"invoice": {"id": "\(id)", "customer_id": "C-1", "customer_email": "ap@acme.example",
                             "total": "1200.00 EUR", "issue_date": "2026-01-01", "due_date": "2026-01-31"}}
                """)
            #expect(start.status == 0, "\(start.stderr)")
        }
        try cli.run("tick", "--now", "2026-02-10")
        #expect(try cli.run("cancel", "INV-1", "--reason", "raised in error", "--now", "2026-02-10T09:00:00Z").status == 0)
        try cli.run("tick", "--now", "2026-04-01")
        let replay = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--replay", "o2c.sqlite")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("replay: 2 orders replayed"), "\(replay.stdout)")
        #expect(replay.stdout.contains("the baseline replay ends 2 of 2 orders as recorded"))
        #expect(replay.stdout.range(of: #"ended `cancelled` +1 +1 +0\n"#, options: .regularExpression) != nil)
        #expect(!replay.stdout.contains("not replayable"))
    }

    @Test("replaying a database made by `o2c demo` under unchanged definitions reports zero differences")
    func demoReplay() throws {
        let cli = try CLIHarness.withShippedLibrary()
        let demo = try cli.run("demo", "--db", "demo.sqlite", "--orders", "40", "--out", "none", "--quiet")
        #expect(demo.status == 0, "\(demo.stderr)")
        let db = cli.folder.appendingPathComponent("demo.sqlite")
        let before = try Data(contentsOf: db)

        let same = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--replay", "demo.sqlite", "--format", "json")
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains(#""compared": 40"#), "\(same.stdout)")
        #expect(same.stdout.contains(#""changed": 0"#))
        #expect(same.stdout.contains("the baseline replay ends 40 of 40 orders as recorded"))
        // Counts are JSON numbers, money stays exact text
        let kpis = try #require((try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [String: Any])?["kpis"] as? [[String: Any]])
        #expect(kpis.first { $0["name"] as? String == "orders" }?["baseline"] as? Int == 40)
        #expect((kpis.first { $0["name"] as? String == "fee amount" }?["baseline"] as? String)?.hasSuffix(" EUR") == true)
        #expect(kpis.allSatisfy { row in
            ["baseline", "candidate", "delta"].allSatisfy { key in
                switch row["kind"] as? String {
                case "money": row[key] is String
                case "count", "decimal": row[key] is NSNumber || row[key] is NSNull
                default: false
                }
            }
        }, "a figure's JSON type follows its kind")
        #expect(!same.stdout.contains("unknown outcome"))
        #expect(!same.stdout.contains("not accepted"))

        // Stopped early, it says how many orders it ran and does not hold them to the recording's endings
        let early = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--replay", "demo.sqlite", "--until", "2026-02-01")
        #expect(early.status == 0, "\(early.stderr)")
        #expect(early.stdout.contains(" of 40 recorded orders replayed from "), "\(early.stdout)")
        #expect(early.stdout.contains("the baseline replay is not checked against the recording"))
        #expect(!early.stdout.contains("replay ends"))
        #expect(try cli.run("simulate", "--until", "2026-02-01").status == 64, "--until without --replay is ignored silently")
        // A stop after the recording's end stops at the end: nothing is invented past it
        let late = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--replay", "demo.sqlite", "--until", "2030-01-01")
        #expect(late.stdout.contains("is after the recording's last moment: stopped there"), "\(late.stdout)")
        #expect(late.stdout.contains("the baseline replay ends 40 of 40 orders as recorded"))

        // The late fee at day 21 instead of 30: some recorded invoices are charged earlier or anew.
        let text = try String(contentsOf: cli.folder.appendingPathComponent("rules/dunning-b2b.yaml"), encoding: .utf8)
        let moved = text.replacingOccurrences(of: "- name: late_fee\n    offset: 30d", with: "- name: late_fee\n    offset: 21d")
        #expect(moved != text, "the shipped ladder no longer has `late_fee` at `offset: 30d`")
        try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent("cand"), withIntermediateDirectories: true)
        for item in ["workflows", "rules"] {
            try FileManager.default.copyItem(at: cli.folder.appendingPathComponent(item), to: cli.folder.appendingPathComponent("cand/\(item)"))
        }
        try cli.write("cand/rules/dunning-b2b.yaml", moved)
        let changed = try cli.run("simulate", "--baseline", ".", "--candidate", "cand", "--replay", "demo.sqlite")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("rules/dunning-b2b.yaml: ladder `b2b` step `late_fee`: day 30 → 21"))
        #expect(!changed.stdout.contains("Orders whose path changed: none"), "\(changed.stdout)")
        #expect(try Data(contentsOf: db) == before, "the replayed database changed")
    }

    @Test("the baseline can be a git revision; the working tree and the repository are left untouched")
    func gitBaseline() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try Self.git(cli, "init", "-q")
        try Self.git(cli, "add", "workflows", "rules")
        try Self.git(cli, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "policy v1")
        let path = cli.folder.appendingPathComponent("rules/credit-policy.yaml")
        let original = try String(contentsOf: path, encoding: .utf8)
        let edited = original.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.contains("new_customer_limit:"), let r = line.range(of: #"[0-9]+\.[0-9]{2} EUR"#, options: .regularExpression) else { return String(line) }
            return line.replacingCharacters(in: r, with: "3000.00 EUR")
        }.joined(separator: "\n")
        try edited.write(to: path, atomically: true, encoding: .utf8)
        let head = try Self.git(cli, "rev-parse", "HEAD")

        let r = try cli.run("simulate", "--baseline", "HEAD", "--orders", "120")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("against baseline HEAD ("), "\(r.stdout)")
        #expect(r.stdout.contains("rules/credit-policy.yaml: `policy.new_customer_limit`"), "\(r.stdout)")
        #expect(r.stdout.contains("→ 3000.00 EUR"))

        #expect(try String(contentsOf: path, encoding: .utf8) == edited)
        #expect(try Self.git(cli, "rev-parse", "HEAD") == head)
        #expect(try Self.git(cli, "status", "--porcelain", "--untracked-files=no") == " M rules/credit-policy.yaml\n")

        let bad = try cli.run("simulate", "--baseline", "no-such-revision")
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("neither a folder nor a git revision"))
    }

    @Test("folders holding only rules files are laid over the working tree's workflows")
    func rulesOnlyFolders() throws {
        // Given rules-v1/ with the shipped credit policy as a bare file, and rules-v2/ with the
        // new-customer limit lowered (in rules/, as in the project)
        let cli = try CLIHarness.withShippedLibrary()
        let policy = try String(contentsOf: cli.folder.appendingPathComponent("rules/credit-policy.yaml"), encoding: .utf8)
        let lowered = policy.replacingOccurrences(of: "new_customer_limit: {value: 5000.00 EUR", with: "new_customer_limit: {value: 1000.00 EUR")
        #expect(lowered != policy, "the shipped credit policy no longer has a 5000.00 EUR new-customer limit")
        try cli.write("rules-v1/credit-policy.yaml", policy)
        try cli.write("rules-v2/rules/credit-policy.yaml", lowered)
        // and the same change as whole libraries
        for (folder, text) in [("full-v1", policy), ("full-v2", lowered)] {
            try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent(folder), withIntermediateDirectories: true)
            for item in ["workflows", "rules"] {
                try FileManager.default.copyItem(at: cli.folder.appendingPathComponent(item), to: cli.folder.appendingPathComponent("\(folder)/\(item)"))
            }
            try cli.write("\(folder)/rules/credit-policy.yaml", text)
        }

        // When both are simulated over the same orders
        let rules = try cli.run("simulate", "--baseline", "rules-v1", "--candidate", "rules-v2", "--orders", "120", "--format", "json")
        let full = try cli.run("simulate", "--baseline", "full-v1", "--candidate", "full-v2", "--orders", "120", "--format", "json")

        // Then the rules-only run is the whole-library run, orders moved to review included,
        // and its header says what the rules were laid over
        #expect(rules.status == 0, "\(rules.stderr)")
        #expect(full.status == 0, "\(full.stderr)")
        #expect(rules.stdout.contains("rules-v2 over the working tree"), "\(rules.stdout)")
        #expect(rules.stdout.contains("rules/credit-policy.yaml"), "the changed file keeps the project's path")
        #expect(!full.stdout.contains(#""changed": 0"#), "the change moved no order: \(full.stdout)")
        let relabelled = rules.stdout.replacingOccurrences(of: "rules-v1 over the working tree", with: "full-v1")
            .replacingOccurrences(of: "rules-v2 over the working tree", with: "full-v2")
        #expect(relabelled == full.stdout)
    }

    @Test("a scenario naming an unknown workflow is an error at its line, not a report of zeros")
    func scenarioWorkflowTypo() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.write("typo.yaml", "population: typo\nseed: 1\nstart: 2026-01-05\ndays: 10\norders: 20\nworkflow: ordr\n")

        let simulate = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--scenario", "typo.yaml")
        #expect(simulate.status == 1)
        #expect(simulate.stderr.contains("error[E0209]: unknown workflow `ordr` in `workflow:`"), "\(simulate.stderr)")
        #expect(simulate.stderr.contains("typo.yaml:6:11"))
        #expect(simulate.stderr.contains("did you mean `order`?"))
        #expect(simulate.stdout.isEmpty)

        let demo = try cli.run("demo", "--scenario", "typo.yaml", "--db", "demo.sqlite", "--out", "none", "--quiet")
        #expect(demo.status == 1)
        #expect(demo.stderr.contains("error[E0209]"), "\(demo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("demo.sqlite").path), "the demo created its database anyway")
    }

    @Test("every problem of a scenario file is reported in one run: population and policy overrides")
    func scenarioProblemsTogether() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.write("bad.yaml", "population: bad\nseeds: 1\nstart: 2026-01-05\ndays: ninety\norders: 20\npolicy:\n  new_customer_limt: 3000.00 EUR\n")
        let r = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--scenario", "bad.yaml")
        #expect(r.status == 1)
        for message in ["unknown key `seeds`", "`days` must be a whole number", "unknown policy value `new_customer_limt`", "(4 errors, 0 warnings)"] {
            #expect(r.stderr.contains(message), "\(message): \(r.stderr)")
        }
    }

    @Test("--set tries a value without editing a file: reported as a policy change, winning over the scenario's, and a bad one is located in what was typed")
    func setOverrides() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try cli.write("small.yaml", "population: small\nseed: 3\nstart: 2026-01-05\ndays: 30\norders: 60\npolicy:\n  late_fee_percent: 5.0\n  new_customer_limit: 2000.00 EUR\n")
        let r = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--scenario", "small.yaml",
                            "--set", "late_fee_percent=2.5", "--set", "statutory_interest_percent=10.15")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("candidate policy overridden by the scenario: `new_customer_limit` = 2000.00 EUR; by --set: `late_fee_percent` = 2.5, `statutory_interest_percent` = 10.15"), "\(r.stdout)")
        #expect(r.stdout.contains("`policy.late_fee_percent` 2 → 2.5"), "--set wins over the scenario's 5.0")
        #expect(r.stdout.contains("`policy.statutory_interest_percent` 0 → 10.15"))
        // What charging interest brings is in the key figures, and its orders group as one change.
        let counted = r.stdout.split(separator: "\n").first { $0.contains("statutory interest charged") }.map(String.init) ?? ""
        #expect(counted.hasSuffix("0               6              +6  *"), "\(r.stdout)")
        #expect(r.stdout.contains("interest amount                                     0.00 EUR      181.92 EUR     +181.92 EUR  *"))
        #expect(r.stdout.contains("written off (bad debt)"))
        #expect(r.stdout.contains("no interest → interest charged: 2 orders"))

        let bad = try cli.run("simulate", "--baseline", ".", "--candidate", ".", "--scenario", "small.yaml", "--set", "late_fee_percent=2,5", "--set", "late_fe_minimum=30")
        #expect(bad.status == 1)
        #expect(bad.stdout.isEmpty)
        for message in ["error[E0105]: policy override `late_fee_percent` must be a decimal constant", "--> (--set):1:19",
                        "unknown policy value `late_fe_minimum`", "did you mean `late_fee_minimum`?", "--set has errors (2 errors, 0 warnings)"] {
            #expect(bad.stderr.contains(message), "\(message): \(bad.stderr)")
        }
        #expect(try cli.run("simulate", "--set", "late_fee_percent").status == 64, "no `=`: a usage error")
    }

    @Test("two runs with the same seed print byte-identical reports, in every format")
    func deterministic() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent("cand"), withIntermediateDirectories: true)
        for item in ["workflows", "rules"] {
            try FileManager.default.copyItem(at: cli.folder.appendingPathComponent(item), to: cli.folder.appendingPathComponent("cand/\(item)"))
        }
        for format in ["text", "json", "markdown", "html"] {
            let args = ["simulate", "--baseline", ".", "--candidate", "cand", "--orders", "150", "--seed", "11", "--format", format]
            let a = try cli.run(args), b = try cli.run(args)
            #expect(a.status == 0, "\(a.stderr)")
            #expect(!a.stdout.isEmpty)
            #expect(a.stdout == b.stdout, "\(format) differs between two runs")
        }
        let html = try cli.run("simulate", "--baseline", ".", "--candidate", "cand", "--orders", "50", "--format", "html", "--out", "impact.html")
        #expect(html.status == 0, "\(html.stderr)")
        let page = try String(contentsOf: cli.folder.appendingPathComponent("impact.html"), encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("http://") || page.components(separatedBy: "http://").count - 1 == page.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
    }

    static func files(_ cli: CLIHarness) throws -> Set<String> {
        let e = FileManager.default.enumerator(atPath: cli.folder.path)
        var out: Set<String> = []
        while let f = e?.nextObject() as? String {
            if !f.hasSuffix("-wal") && !f.hasSuffix("-shm") { out.insert(f) }
        }
        return out
    }

    @discardableResult
    static func git(_ cli: CLIHarness, _ args: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        p.currentDirectoryURL = cli.folder
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "git \(args.joined(separator: " ")) failed")
        return String(decoding: data, as: UTF8.self)
    }
}

extension CLIHarness {
    /// A fresh, empty project folder.
    static func empty() throws -> CLIHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("o2c-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return CLIHarness(folder: folder)
    }
}
