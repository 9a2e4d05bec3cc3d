import Foundation
import GRDB
import O2CCore
import O2CExpr
import O2CLoader
import Testing

/// Hostile input, tamper evidence, actors and secrets, through the real binary
/// (docs/reliability.md, points 5–7).
@Suite struct ReliabilityCLITests {
    static let payWorkflow = """
    workflow: pay
    version: "1"
    inputs:
      id: string
      iban: {type: string, sensitive: true}
    context:
      balance: {type: money, initial: 100.00 EUR}
    events:
      pay: {amount: money, card: {type: string, sensitive: true}, note: string?}
      close: {}
    start: open
    states:
      open:
        on:
          pay:
            set: {balance: balance - event.amount}
            do: [{charge: {card: event.card, amount: event.amount, refund_to: iban}}]
          close: closed
      closed:
        final: true
    """

    /// A project with the `pay` workflow; `charge` goes to `extra` (default: the log handler).
    static func project(handlers extra: String = "charge: {kind: log}") throws -> CLIHarness {
        let cli = try CLIHarness.withShippedLibrary()
        try FileManager.default.removeItem(at: cli.folder.appendingPathComponent("workflows"))
        try FileManager.default.removeItem(at: cli.folder.appendingPathComponent("rules"))
        try cli.write("workflows/pay.yaml", payWorkflow)
        try cli.write("o2c.yaml", "retry: {max_attempts: 2, base_delay: 1m}\nhandlers:\n  \(extra)\n")
        return cli
    }

    static func start(_ cli: CLIHarness, _ id: String = "P1", actor: [String] = []) throws {
        let r = try cli.run(["start", "pay", "--id", id, "--set", "id=\(id)", "--set", "iban=IBAN-SECRET-DE89", "--now", "2026-01-01"] + actor)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// Every byte of the database, its WAL and shared memory.
    static func databaseBytes(_ cli: CLIHarness) -> Data {
        var all = Data()
        for suffix in ["", "-wal", "-shm"] { all.append(FileManager.default.contents(atPath: cli.db + suffix) ?? Data()) }
        return all
    }

    // MARK: - Limits

    @Test("event data over 64 KiB is refused with exit 4 and a clear message; history is unchanged")
    func payloadSizeLimit() throws {
        let cli = try Self.project()
        try Self.start(cli)
        let before = try cli.run("history", "P1", "--json").stdout
        let note = String(repeating: "x", count: 70_000)
        let data = #"{"amount": "1.00 EUR", "card": "4111", "note": "\#(note)"}"#
        let r = try cli.run("advance", "P1", "pay", "--data", data, "--now", "2026-01-02")
        #expect(r.status == 4)
        #expect(r.stderr.contains("--data is \(data.utf8.count) bytes; event data may be at most 64 KiB"), "\(r.stderr)")
        try cli.write("big.json", data)
        let fromFile = try cli.run("advance", "P1", "pay", "--data-file", "big.json", "--now", "2026-01-02")
        #expect(fromFile.status == 4)
        #expect(fromFile.stderr.contains("event data may be at most 64 KiB"))
        #expect(try cli.run("history", "P1", "--json").stdout == before)
        // Just under the limit is fine.
        let ok = #"{"amount": "1.00 EUR", "card": "4111", "note": "\#(String(repeating: "x", count: 60_000))"}"#
        #expect(try cli.run("advance", "P1", "pay", "--data", ok, "--now", "2026-01-02").status == 0)
    }

    @Test("a payload that does not match the event's schema is refused before anything is written", arguments: [
        (#"{"amount": "ten", "card": "4111"}"#, "field `amount` must be money"),
        (#"{"card": "4111"}"#, "field `amount` is required"),
        (#"{"amount": "1.00 EUR", "card": 4111}"#, "field `card`"),
        (#"{"amount": "1.00 EUR", "card": "4111", "tip": 1}"#, "`tip`"),
        (#"[1, 2]"#, "must be a JSON object"),
        (#"{"amount": "#, "not valid JSON"),
    ])
    func schemaBeforeWrite(data: String, message: String) throws {
        let cli = try Self.project()
        try Self.start(cli)
        let history = try cli.run("history", "P1", "--json").stdout
        let show = try cli.run("show", "P1", "--json").stdout
        let r = try cli.run("advance", "P1", "pay", "--data", data, "--event-id", "e-1", "--now", "2026-01-02")
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(try cli.run("history", "P1", "--json").stdout == history)
        #expect(try cli.run("show", "P1", "--json").stdout == show)
        // The refused event id was not consumed: the corrected event goes through.
        let fixed = try cli.run("advance", "P1", "pay", "--data", #"{"amount": "1.00 EUR", "card": "4111"}"#, "--event-id", "e-1", "--now", "2026-01-02")
        #expect(fixed.status == 0 && !fixed.stdout.contains("already processed"), "\(fixed.stderr)")
    }

    @Test("file size, nesting depth, alias expansion and expression size are bounded with located errors")
    func loaderLimits() {
        func codes(_ text: String) -> [String] {
            LibraryLoader.load([LibraryLoader.Source(path: "workflows/x.yaml", text: text)]).1.filter { $0.severity == .error }.map(\.code)
        }
        #expect(codes("# " + String(repeating: "x", count: YAMLReader.maxFileBytes)) == ["E0002"])
        #expect(codes(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) == ["E0003"])
        var deep = "a:\n"
        for i in 1...80 { deep += String(repeating: "  ", count: i) + "a:\n" }
        #expect(codes(deep) == ["E0003"])
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...8 { bomb += "\(Character(UnicodeScalar(97 + i)!)): &\(Character(UnicodeScalar(97 + i)!)) [" + Array(repeating: "*\(Character(UnicodeScalar(96 + i)!))", count: 10).joined(separator: ", ") + "]\n" }
        #expect(codes(bomb) == ["E0004"])
        let long = "1" + String(repeating: " + 1", count: ExpressionLimits.maxLength)
        #expect(Expression.compile(long, at: Span(file: "x", line: 1, column: 1), scope: TypeScope()).1.map(\.code) == ["E0507"])
        let nested = String(repeating: "(", count: ExpressionLimits.maxDepth + 10) + "1" + String(repeating: ")", count: ExpressionLimits.maxDepth + 10)
        #expect(Expression.compile(nested, at: Span(file: "x", line: 1, column: 1), scope: TypeScope()).1.map(\.code) == ["E0507"])
    }

    @Test("a loop of always transitions fails the instance after 100 steps instead of hanging")
    func transitionLimit() throws {
        let cli = try CLIHarness.withShippedLibrary()
        try FileManager.default.removeItem(at: cli.folder.appendingPathComponent("workflows"))
        try FileManager.default.removeItem(at: cli.folder.appendingPathComponent("rules"))
        try cli.write("workflows/loop.yaml", """
        workflow: loop
        version: "1"
        context:
          n: {type: int, initial: 0}
        events:
          go: {}
        start: a
        states:
          a:
            on: {go: b}
          b:
            always: [{goto: c, set: {n: n + 1}}]
          c:
            always: [{when: n < 1000, goto: b}, {goto: done}]
          done:
            final: true
        """)
        try cli.write("o2c.yaml", "handlers: {}\n")
        #expect(try cli.run("start", "loop", "--id", "L", "--now", "2026-01-01").status == 0)
        let r = try cli.run("advance", "L", "go", "--now", "2026-01-01")
        let show = try cli.run("show", "L", "--json").stdout
        #expect(show.contains("\"status\": \"failed\""), "\(r.stdout) \(r.stderr) \(show)")
        #expect(show.contains("more than 100 transitions"))
        #expect(show.contains("\"state\": \"a\""))
    }

    // MARK: - Tamper evidence and actors

    @Test("an edited history row is reported by `o2c verify` as the first broken link, exit 1")
    func tamperedHistory() throws {
        let cli = try Self.project()
        try Self.start(cli, "P1")
        try Self.start(cli, "P2")
        for n in 1...3 {
            #expect(try cli.run("advance", "P1", "pay", "--data", #"{"amount": "\#(n).00 EUR", "card": "4111"}"#, "--now", "2026-01-0\(n + 1)").status == 0)
        }
        #expect(try cli.run("verify").stdout.contains("history verified: 2 instances, no broken link"))
        // Someone with file access lowers the second payment from 2.00 to 0.01 EUR.
        let queue = try DatabaseQueue(path: cli.db)
        let (seq, before, after) = try queue.write { db -> (Int, String, String) in
            let row = try Row.fetchOne(db, sql: "SELECT seq, data FROM history WHERE instanceId = 'P1' AND kind = 'event' ORDER BY seq LIMIT 1 OFFSET 1")!
            let seq: Int = row["seq"]
            let data: String = row["data"]
            let edited = data.replacingOccurrences(of: "2.00 EUR", with: "0.01 EUR")
            try db.execute(sql: "UPDATE history SET data = ? WHERE instanceId = 'P1' AND seq = ?", arguments: [edited, seq])
            return (seq, data, edited)
        }
        try queue.close()
        #expect(before != after, "\(before)")
        let all = try cli.run("verify")
        #expect(all.status == 1)
        #expect(all.stdout.contains("broken: instance `P1` history #\(seq): "), "\(all.stdout)")
        #expect(!all.stdout.contains("`P2`"))
        let one = try cli.run("verify", "P1")
        #expect(one.status == 1)
        #expect(one.stdout.components(separatedBy: "broken:").count - 1 == 1, "only the first broken link: \(one.stdout)")
        #expect(try cli.run("verify", "P2").status == 0)
    }

    @Test("a deleted history row breaks the chain too")
    func deletedHistoryRow() throws {
        let cli = try Self.project()
        try Self.start(cli, "P1")
        #expect(try cli.run("advance", "P1", "pay", "--data", #"{"amount": "1.00 EUR", "card": "4111"}"#, "--now", "2026-01-02").status == 0)
        let queue = try DatabaseQueue(path: cli.db)
        try queue.write { db in try db.execute(sql: "DELETE FROM history WHERE instanceId = 'P1' AND seq = 2") }
        try queue.close()
        let r = try cli.run("verify", "P1")
        #expect(r.status == 1)
        #expect(r.stdout.contains("broken: instance `P1` history #3"), "\(r.stdout)")
    }

    @Test("every command that changes an instance records its actor: --actor, else the OS user")
    func actorsInHistory() throws {
        let cli = try CLIHarness.withShippedLibrary()
        let invoice = InvoiceSessionTests.invoice
        #expect(try cli.run("start", "invoice", "--id", "I1", "--input", "-", "--now", "2026-01-01", "--actor", "ana", stdin: invoice).status == 0)
        #expect(try cli.run(["tick", "--now", "2026-02-05", "--actor", "scheduler"]).status == 0)
        #expect(try cli.run(["advance", "I1", "payment_received", "--data", #"{"amount": "10.00 EUR"}"#, "--now", "2026-02-06"],
                            environment: ["USER": "bob"]).status == 0)
        #expect(try cli.run("start", "invoice", "--id", "I2", "--input", "-", "--now", "2026-01-01", "--actor", "ana", stdin: invoice).status == 0)
        #expect(try cli.run("cancel", "I2", "--reason", "duplicate", "--now", "2026-01-02", "--actor", "carol").status == 0)
        func actors(_ id: String) throws -> [(String, String)] {
            let json = try JSON.parse(try cli.run("history", id, "--json").stdout)
            guard case .array(let rows) = json else { return [] }
            return rows.compactMap { row in
                guard case .string(let kind)? = row["kind"], case .string(let actor)? = row["actor"] else { return nil }
                return (kind, actor)
            }
        }
        let one = try actors("I1")
        #expect(one.first { $0.0 == "started" }?.1 == "ana")
        #expect(one.filter { $0.0 == "timer" }.allSatisfy { $0.1 == "scheduler" } && one.contains { $0.0 == "timer" })
        #expect(one.first { $0.0 == "event" }?.1 == "bob")
        #expect(one.allSatisfy { !$0.1.isEmpty })
        #expect(try actors("I2").first { $0.0 == "cancelled" }?.1 == "carol")
    }

    // MARK: - Secrets

    @Test("sensitive fields never reach the database file, history, the outbox or the log")
    func sensitiveFieldsStayOut() throws {
        let cli = try Self.project()
        try Self.start(cli)
        let r = try cli.run("advance", "P1", "pay", "--data", #"{"amount": "1.00 EUR", "card": "CARD-SECRET-4111"}"#, "--now", "2026-01-02")
        #expect(r.status == 0, "\(r.stderr)")
        let history = try cli.run("history", "P1", "--json").stdout
        #expect(history.contains("[redacted]"))
        #expect(!history.contains("CARD-SECRET"))
        #expect(!history.contains("IBAN-SECRET"))
        let outbox = try cli.run("outbox", "--all", "--json").stdout
        #expect(!outbox.contains("CARD-SECRET") && !outbox.contains("IBAN-SECRET"))
        // The log handler printed the effect (stderr): redacted there too.
        #expect((r.stdout + r.stderr).contains("charge"), "\(r.stderr)")
        #expect(!(r.stdout + r.stderr).contains("CARD-SECRET") && !(r.stdout + r.stderr).contains("IBAN-SECRET"))
        // Not a byte of the card in the database, its WAL or shm.
        #expect(Self.databaseBytes(cli).range(of: Data("CARD-SECRET".utf8)) == nil)
    }

    @Test("a webhook's signing key never reaches the database, history, the outbox or stderr")
    func webhookSecretStaysOut() throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} } // held until the test ends, not its last use
        let cli = try Self.project(handlers: #"charge: {kind: webhook, url: "http://127.0.0.1:"# + "\(refusing.port)" + #"/hook?token=URL-SECRET", secret_env: O2C_REL_SECRET, timeout: 2s}"#)
        let env = ["O2C_REL_SECRET": "HMAC-KEY-SECRET-77"]
        try Self.start(cli)
        let r = try cli.run(["advance", "P1", "pay", "--data", #"{"amount": "1.00 EUR", "card": "4111"}"#, "--now", "2026-01-02"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let tick = try cli.run(["tick", "--now", "2026-01-03"], environment: env)
        let outbox = try cli.run("outbox", "--all", "--json").stdout
        #expect(outbox.contains("refused the connection") || outbox.contains("failed"), "\(outbox)")
        for text in [r.stderr, r.stdout, tick.stderr, tick.stdout, outbox, try cli.run("history", "P1", "--json").stdout] {
            #expect(!text.contains("HMAC-KEY-SECRET") && !text.contains("URL-SECRET"), "\(text)")
        }
        let bytes = Self.databaseBytes(cli)
        #expect(bytes.range(of: Data("HMAC-KEY-SECRET".utf8)) == nil)
        #expect(bytes.range(of: Data("URL-SECRET".utf8)) == nil)
    }
}

/// A loopback port that refuses every connection while this value lives: a socket bound to it
/// and never listening, so no other process can take the port and answer instead (a fixed port
/// such as 9 is refused only as long as nothing happens to listen there).
final class RefusingPort {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { close(fd); throw POSIXError(.EADDRNOTAVAIL) }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }
}
