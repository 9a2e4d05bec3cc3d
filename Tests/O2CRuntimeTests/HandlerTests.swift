import Foundation
import Logging
import O2CCore
import O2CRuntime
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder per test, removed afterwards.
private final class TempDir {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("o2c-handlers-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ relative: String, _ text: String, executable: Bool = false) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full) }
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func files(in relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/" + relative)) ?? []).sorted()
    }
}

private func eur(_ a: String) -> Value { .money(Money(ExactDecimal(a)!, Currency("EUR")!)) }

private func delivery(action: String = "notify", arguments: [String: Value], instanceData: [String: Value] = [:],
                      effectId: String = "inv-1:3:0") -> EffectDelivery {
    EffectDelivery(effectId: effectId, instanceId: "inv-1", workflow: "invoice", action: action, arguments: arguments,
                   instanceData: instanceData, attempt: 1, now: Instant(parsing: "2026-02-10T09:30:00Z")!)
}

/// Runs `body`, which must throw a HandlerError, and returns it.
private func handlerError(_ body: () throws(HandlerError) -> HandlerAnswer?) -> HandlerError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

// MARK: - Notify

@Suite struct NotifyHandlerTests {
    static let invoiceData: [String: Value] = [
        "invoice": .object(["id": .string("INV-1001"), "total": eur("1250"), "due_date": .date(Day(parsing: "2026-01-31")!),
                            "customer_email": .string("ap@acme.example"), "customer_id": .string("C-1"),
                            "issue_date": .date(Day(parsing: "2026-01-01")!)]),
        "balance": eur("1250.5"),
        "disputed": .bool(false),
        "lines": .list([.string("Widgets"), .string("Gadgets")]),
    ]

    @Test func writesTheExpectedEmailAndIsIdempotent() throws {
        let dir = try TempDir()
        try dir.write("templates/first_notice.mustache", """
        Subject: Invoice {{invoice.id}} is overdue

        Dear customer,

        invoice {{invoice.id}} over {{invoice.total}} was due on {{invoice.due_date}}; {{balance}} is open.
        {{#lines}}- {{.}}
        {{/lines}}{{^disputed}}Not disputed.{{/disputed}} <&> "quoted"

        """)
        let handler = NotifyHandler(templatesFolder: dir.path + "/templates", outboxFolder: dir.path + "/out")
        let d = delivery(arguments: ["template": .string("first_notice"), "channel": .string("email"), "to": .string("ap@acme.example")],
                         instanceData: Self.invoiceData)
        #expect(try handler.handle(d) == nil)
        let expected = """
        To: ap@acme.example
        Subject: Invoice INV-1001 is overdue
        X-O2C-Effect-Id: inv-1:3:0
        Content-Type: text/plain; charset=utf-8

        Dear customer,

        invoice INV-1001 over 1250.00 EUR was due on 2026-01-31; 1250.50 EUR is open.
        - Widgets
        - Gadgets
        Not disputed. <&> "quoted"

        """
        #expect(dir.read("out/email/inv-1_3_0.eml") == expected)
        // The same effect again: the same single file, no temporary leftovers.
        #expect(try handler.handle(d) == nil)
        #expect(dir.read("out/email/inv-1_3_0.eml") == expected)
        #expect(dir.files(in: "out/email") == ["inv-1_3_0.eml"])
    }

    @Test func channelTemplatePreferredAndPostIsALetter() throws {
        let dir = try TempDir()
        try dir.write("templates/final_demand.mustache", "Subject: generic\n\ngeneric body\n")
        try dir.write("templates/final_demand.post.mustache", "Subject: Final demand {{invoice.id}}\n\nPay {{balance}} within 8 days.\n")
        let handler = NotifyHandler(templatesFolder: dir.path + "/templates", outboxFolder: dir.path + "/out")
        _ = try handler.handle(delivery(arguments: ["template": .string("final_demand"), "channel": .string("post")],
                                        instanceData: Self.invoiceData))
        #expect(dir.read("out/post/inv-1_3_0.txt") == """
        Subject: Final demand INV-1001
        X-O2C-Effect-Id: inv-1:3:0

        Pay 1250.50 EUR within 8 days.

        """)
        _ = try handler.handle(delivery(arguments: ["template": .string("final_demand"), "channel": .string("sms"), "to": .string("+4915100000")],
                                        instanceData: Self.invoiceData, effectId: "inv-1:4:0"))
        #expect(dir.read("out/sms/inv-1_4_0.txt") == "To: +4915100000\nX-O2C-Effect-Id: inv-1:4:0\n\ngeneric body\n")
    }

    @Test func missingTemplateIsPermanentAndNamesThePaths() throws {
        let dir = try TempDir()
        let handler = NotifyHandler(templatesFolder: dir.path + "/templates", outboxFolder: dir.path + "/out")
        let error = handlerError { () throws(HandlerError) in
            try handler.handle(delivery(arguments: ["template": .string("nope"), "channel": .string("post"), "to": .string("x")]))
        }
        let e = try #require(error)
        #expect(e.permanent)
        #expect(e.message.contains(dir.path + "/templates/nope.post.mustache"))
        #expect(e.message.contains(dir.path + "/templates/nope.mustache"))
        #expect(dir.files(in: "out").isEmpty)
    }

    @Test func badArgumentsArePermanent() throws {
        let dir = try TempDir()
        try dir.write("templates/x.mustache", "hi\n")
        let handler = NotifyHandler(templatesFolder: dir.path + "/templates", outboxFolder: dir.path + "/out")
        let cases: [[String: Value]] = [
            ["channel": .string("email"), "to": .string("a@b")],                           // no template
            ["template": .string("../../etc/passwd"), "to": .string("a@b")],               // leaves the folder
            ["template": .string("x"), "channel": .string("pigeon"), "to": .string("a@b")], // unknown channel
            ["template": .string("x"), "channel": .string("email")],                       // no recipient
        ]
        for args in cases {
            let e = handlerError { () throws(HandlerError) in try handler.handle(delivery(arguments: args)) }
            #expect(e?.permanent == true, "\(args)")
        }
    }

    @Test func headerInjectionIsNeutralised() throws {
        let dir = try TempDir()
        try dir.write("templates/x.mustache", "Subject: Hello {{name}}\n\nbody\n")
        let handler = NotifyHandler(templatesFolder: dir.path + "/templates", outboxFolder: dir.path + "/out")
        let message = try handler.render(delivery(arguments: ["template": .string("x"), "to": .string("a@b\nBcc: evil@x"),
                                                              "name": .string("Bob\r\nBcc: evil@x")]))
        #expect(message.text == "To: a@b Bcc: evil@x\nSubject: Hello Bob Bcc: evil@x\nX-O2C-Effect-Id: inv-1:3:0\n" +
            "Content-Type: text/plain; charset=utf-8\n\nbody\n")
    }

    @Test func contextConvertsValues() throws {
        let d = delivery(arguments: ["to": .string("x"), "balance": eur("7")], instanceData: [
            "balance": eur("1"), "when": .datetime(Instant(parsing: "2026-01-31T10:00:00Z")!), "grace": .duration(Duration(seconds: 7 * 86_400)),
            "n": .int(3), "nothing": .null, "nested": .object(["deep": .object(["x": .string("y")])]),
        ])
        let context = NotifyHandler.context(for: d)
        #expect(context["balance"] as? String == "7.00 EUR") // arguments win over instance data
        #expect(context["when"] as? String == "2026-01-31T10:00:00Z")
        #expect(context["grace"] as? String == "7d")
        #expect(context["n"] as? String == "3")
        #expect(context["nothing"] == nil)
        #expect(context["effect_id"] as? String == "inv-1:3:0")
        #expect(context["today"] as? String == "2026-02-10")
        #expect(((context["nested"] as? [String: Any])?["deep"] as? [String: Any])?["x"] as? String == "y")
    }

    /// Every `notify: {template: X, channel: C}` in the shipped workflows and rules has a template.
    @Test func everyShippedNoticeHasATemplate() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        var used: [(String, String)] = []
        for folder in ["workflows", "rules"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? [] where name.hasSuffix(".yaml") {
                let text = try String(contentsOfFile: root + "/" + folder + "/" + name, encoding: .utf8)
                for line in text.split(separator: "\n") {
                    guard let t = line.range(of: "template: ") else { continue }
                    let template = line[t.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    var channel = "email"
                    if let c = line.range(of: "channel: ") { channel = String(line[c.upperBound...].prefix { $0.isLetter }) }
                    used.append((String(template), channel))
                }
            }
        }
        #expect(used.count >= 11)
        for (template, channel) in used {
            let paths = ["\(template).\(channel).mustache", "\(template).mustache"].map { root + "/templates/" + $0 }
            #expect(paths.contains { FileManager.default.fileExists(atPath: $0) }, "no template for \(template) (\(channel))")
        }
    }

    @Test func shippedTemplatesRenderWithASubject() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let names = ["credit_review_requested", "credit_review_overdue", "order_released", "order_rejected", "payment_reminder",
                     "first_notice", "second_notice", "late_fee_notice", "final_demand", "partial_payment_received", "payment_receipt"]
        let dir = try TempDir()
        let handler = NotifyHandler(templatesFolder: root + "/templates", outboxFolder: dir.path)
        let data: [String: Value] = Self.invoiceData.merging([
            "order": .object(["id": .string("SO-7"), "total": eur("900")]),
            "customer": .object(["id": .string("C-1"), "name": .string("ACME GmbH"), "segment": .string("new"), "open_ar": eur("0"),
                                 "open_orders": eur("0"), "oldest_overdue_days": .int(0), "dunning_level": .int(0)]),
            "exposure": eur("900"), "fees": eur("40"), "paid": eur("100"),
        ]) { a, _ in a }
        for name in names {
            let channel = name == "final_demand" ? "post" : "email"
            let m = try handler.render(delivery(arguments: ["template": .string(name), "channel": .string(channel), "to": .string("a@b")],
                                                instanceData: data))
            #expect(m.text.contains("\nSubject: "), "\(name)")
            #expect(!m.text.contains("{{"), "\(name)")
            #expect(!m.text.contains(": \n") && !m.text.contains("  \n"), "\(name): an empty variable\n\(m.text)")
        }
        let demand = try handler.render(delivery(arguments: ["template": .string("final_demand"), "channel": .string("post"), "to": .string("a")],
                                                 instanceData: data))
        #expect(demand.text.contains("Unless full payment is made within 8 days, we will hand the debt to a collection agency without further notice."))
    }
}

// MARK: - Log and registry

/// Collects log lines (swift-log's handler protocol; `LogHandler` alone is o2c's action handler).
private final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

private struct CaptureLogHandler: Logging.LogHandler {
    let sink: CapturedLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        sink.append("\(event.level) \(event.message)")
    }
}

private struct SpyHandler: ActionHandler {
    let answer: HandlerAnswer?
    func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? { answer }
}

@Suite struct HandlerRegistryTests {
    @Test func builtInsConfiguredAndUnknown() throws {
        let sink = CapturedLog()
        let logger = Logger(label: "test") { _ in CaptureLogHandler(sink: sink) }
        let config = RuntimeConfig(handlers: [
            "credit_hold": .log,
            "reserve_stock": .exec(command: ["true"], timeout: Duration(seconds: 5), maxOutput: 100, environment: []),
            "post_invoice": .webhook(url: "https://erp.example.com/h", secretEnv: "K", timeout: Duration(seconds: 5)),
        ])
        var registry = HandlerRegistry(config: config, projectRoot: "/srv/o2c", logger: logger)
        #expect(HandlerRegistry.builtInActions == ["notify", "log", "fee", "start", "emit"])
        #expect(registry.configuredActions == ["credit_hold", "reserve_stock", "post_invoice"])
        #expect(registry.handler(for: "notify") is NotifyHandler)
        #expect(registry.handler(for: "log") is O2CRuntime.LogHandler)
        #expect(registry.handler(for: "fee") is O2CRuntime.LogHandler)
        #expect(registry.handler(for: "credit_hold") is O2CRuntime.LogHandler)
        #expect(registry.handler(for: "reserve_stock") is ExecHandler)
        #expect(registry.handler(for: "post_invoice") is WebhookHandler)
        #expect(registry.handler(for: "unknown_action") == nil)
        #expect(registry.handler(for: "start") == nil) // the runner performs it
        #expect(registry.unhandled(["notify", "start", "credit_hold", "agency_handoff", "emit"]) == ["agency_handoff"])
        #expect(registry.outboxFolder == "/srv/o2c/out")
        #expect(registry.templatesFolder == "/srv/o2c/templates")

        let d = delivery(action: "fee", arguments: ["amount": eur("40"), "ladder": .string("b2b"), "step": .string("late_fee")])
        #expect(try registry.handler(for: "fee")?.handle(d) == nil)
        #expect(sink.all == [#"info effect inv-1:3:0 fee {"amount":"40.00 EUR","ladder":"b2b","step":"late_fee"}"#])

        registry.register("agency_handoff", SpyHandler(answer: HandlerAnswer(event: "handed_over")))
        #expect(registry.configuredActions.contains("agency_handoff"))
        #expect(try registry.handler(for: "agency_handoff")?.handle(d) == HandlerAnswer(event: "handed_over"))
        #expect(registry.unhandled(["agency_handoff"]).isEmpty)
    }
}

// MARK: - Exec

/// Serialized: a script written while another test forks can be held open by that child, and
/// executing it then fails with "text file busy".
@Suite(.serialized) struct ExecHandlerTests {
    private func exec(_ command: [String], in dir: TempDir, timeout: Int64 = 10, maxOutput: Int = 65_536, env: [String] = ["PATH"],
              killGrace: Double = 2) -> BusyRetrying {
        var handler = ExecHandler(command: command, timeout: Duration(seconds: timeout), maxOutput: maxOutput, environment: env,
                                  projectRoot: dir.path)
        handler.killGrace = killGrace
        return BusyRetrying(inner: handler)
    }

    /// Tests in other suites spawn processes too; one forked while a script here was being written
    /// holds the file open for an instant, and executing the script then fails with "text file
    /// busy" (a retryable error in production). Tests retry that instead of flaking.
    struct BusyRetrying: ActionHandler {
        let inner: ExecHandler
        func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? {
            var tries = 0
            while true {
                do { return try inner.handle(delivery) } catch {
                    tries += 1
                    guard error.message.contains("Text file busy"), tries < 50 else { throw error }
                    usleep(20_000)
                }
            }
        }
    }

    @Test func answerJSONIsParsedAndStdinCarriesTheEffect() throws {
        let dir = try TempDir()
        try dir.write("scripts/reserve.sh", """
        #!/bin/sh
        input=$(cat)
        printf '{"event": "stock_reserved", "data": {"effect": "%s", "input": %s}}\\n' "$O2C_EFFECT_ID" "$input"
        """, executable: true)
        let handler = exec(["scripts/reserve.sh"], in: dir)
        let answer = try #require(try handler.handle(delivery(action: "reserve_stock", arguments: ["sku": .string("W-1"), "qty": .int(3)])))
        #expect(answer.event == "stock_reserved")
        #expect(answer.payload["effect"] == .string("inv-1:3:0"))
        let input = try #require(answer.payload["input"])
        #expect(input["effect_id"] == .string("inv-1:3:0"))
        #expect(input["action"] == .string("reserve_stock"))
        #expect(input["arguments"]?["qty"] == .number(ExactDecimal(3)))
        #expect(input["attempt"] == .number(ExactDecimal(1)))
    }

    @Test func emptyOutputAndAcknowledgementsAreNoAnswer() throws {
        let dir = try TempDir()
        #expect(try exec(["true"], in: dir).handle(delivery(arguments: [:])) == nil)
        #expect(try exec(["/usr/bin/printf", "{\"ok\": true}"], in: dir).handle(delivery(arguments: [:])) == nil)
    }

    @Test func nonZeroExitReportsStderr() throws {
        let dir = try TempDir()
        try dir.write("fail.sh", "#!/bin/sh\necho 'warehouse API refused: SKU W-1 unknown' >&2\necho 'second line' >&2\nexit 3\n", executable: true)
        let e = try #require(handlerError { () throws(HandlerError) in try exec(["./fail.sh"], in: dir).handle(delivery(arguments: [:])) })
        #expect(e.message == "`./fail.sh` exited with status 3: warehouse API refused: SKU W-1 unknown")
        #expect(!e.permanent)
    }

    @Test func timeoutIsEnforced() throws {
        let dir = try TempDir()
        let e = try #require(handlerError { () throws(HandlerError) in
            try exec(["sleep", "5"], in: dir, timeout: 1).handle(delivery(arguments: [:]))
        })
        #expect(e.message == "`sleep 5` timed out after 1s")
        #expect(!e.permanent)
    }

    @Test func timeoutEscalatesToSIGKILL() throws {
        let dir = try TempDir()
        try dir.write("stubborn.sh", "#!/bin/sh\ntrap '' TERM\nsleep 5\n", executable: true)
        let handler = exec(["./stubborn.sh"], in: dir, timeout: 1, killGrace: 0.5)
        let e = try #require(handlerError { () throws(HandlerError) in try handler.handle(delivery(arguments: [:])) })
        #expect(e.message.contains("timed out after 1s"))
    }

    @Test func outputIsCapped() throws {
        let dir = try TempDir()
        try dir.write("chatty.sh", "#!/bin/sh\nhead -c 200000 /dev/zero | tr '\\0' a\n", executable: true)
        let e = try #require(handlerError { () throws(HandlerError) in
            try exec(["./chatty.sh"], in: dir, maxOutput: 1000).handle(delivery(arguments: [:]))
        })
        #expect(e.message == "`./chatty.sh` output exceeded 1000 bytes")
        #expect(e.permanent)
    }

    @Test func nonJSONOutputIsPermanent() throws {
        let dir = try TempDir()
        let e = try #require(handlerError { () throws(HandlerError) in
            try exec(["/bin/echo", "reserved!"], in: dir).handle(delivery(arguments: [:]))
        })
        #expect(e.permanent)
        #expect(e.message.contains("not JSON"))
    }

    @Test func loudStderrAndUnreadStdinDoNotDeadlock() throws {
        let dir = try TempDir()
        // 300 KB of stderr (beyond any pipe buffer) before the answer; stdin is never read.
        try dir.write("loud.sh", """
        #!/bin/sh
        head -c 300000 /dev/zero | tr '\\0' e >&2
        printf '{"event": "done"}'
        """, executable: true)
        let big = String(repeating: "x", count: 300_000) // stdin larger than a pipe buffer
        let answer = try exec(["./loud.sh"], in: dir).handle(delivery(arguments: ["blob": .string(big)]))
        #expect(answer == HandlerAnswer(event: "done"))
    }

    #if os(Linux)
    @Test func onlyDeclaredEnvironmentIsPassed() throws {
        let dir = try TempDir()
        // (No setenv here: changing the environment while other tests read it is not thread-safe.)
        let here = ProcessInfo.processInfo.environment
        try #require(here["PATH"] != nil && here.count > 1)
        // /proc/$$/environ is exactly what the program was started with (the shell adds PWD to its own copy only).
        try dir.write("env.sh", """
        #!/bin/sh
        printf '{"event": "env", "data": {"env": "%s"}}' "$(/usr/bin/tr '\\0' ' ' < /proc/$$/environ)"
        """, executable: true)
        let answer = try exec(["./env.sh"], in: dir, env: ["PATH", "O2C_TEST_NOT_SET"]).handle(delivery(arguments: [:]))
        guard case .string(let env)? = answer?.payload["env"] else { Issue.record("no env in \(String(describing: answer))"); return }
        let names = env.split(separator: " ").map { String($0.split(separator: "=", maxSplits: 1)[0]) }.sorted()
        #expect(names == ["O2C_EFFECT_ID", "PATH"])
        #expect(env.contains("O2C_EFFECT_ID=inv-1:3:0"))
    }

    /// Test runners and Dispatch workers block nearly all signals; the program must not inherit that.
    @Test func programStartsWithNoBlockedSignals() throws {
        let dir = try TempDir()
        try dir.write("mask.sh", """
        #!/bin/sh
        while read -r key value; do [ "$key" = "SigBlk:" ] && printf '{"event": "mask", "data": {"blocked": "%s"}}' "$value"; done < /proc/$$/status
        exit 0
        """, executable: true)
        let answer = try exec(["./mask.sh"], in: dir).handle(delivery(arguments: [:]))
        #expect(answer?.payload["blocked"] == .string("0000000000000000"))
    }
    #endif

    @Test func argumentsArePassedLiterallyNotThroughAShell() throws {
        let dir = try TempDir()
        let hostile = "hello; touch pwned; rm -rf x $(touch pwned2) `touch pwned3` | cat"
        let handler = exec(["/usr/bin/printf", "{\"event\": \"echo\", \"data\": {\"arg\": \"%s\"}}", hostile], in: dir)
        let answer = try handler.handle(delivery(arguments: [:]))
        #expect(answer?.payload["arg"] == .string(hostile))
        #expect(dir.files(in: "").isEmpty)
    }

    @Test func programResolution() throws {
        let dir = try TempDir()
        let missing = handlerError { () throws(HandlerError) in
            try exec(["no-such-program-o2c"], in: dir).handle(delivery(arguments: [:]))
        }
        #expect(missing?.permanent == true)
        #expect(missing?.message == "program `no-such-program-o2c` was not found in PATH")
        try dir.write("not-executable.sh", "#!/bin/sh\n")
        let notExecutable = handlerError { () throws(HandlerError) in
            try exec(["./not-executable.sh"], in: dir).handle(delivery(arguments: [:]))
        }
        #expect(notExecutable?.permanent == true)
        #expect(try exec(["/bin/true"], in: dir).handle(delivery(arguments: [:])) == nil)
    }
}

// MARK: - Webhook

@Suite(.serialized) struct WebhookHandlerTests {
    @Test func signatureKnownVector() {
        // Reference: python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test_key",
        //   b"1767225600.{\"action\":\"post_invoice\",\"effect_id\":\"inv-1:3:0\"}", hashlib.sha256).hexdigest())'
        let body = #"{"action":"post_invoice","effect_id":"inv-1:3:0"}"#
        let signature = WebhookSignature.sign(body: body, timestamp: 1_767_225_600, secret: "whsec_test_key")
        #expect(signature == "sha256=731d43910e3759dac7fd136b2a94c77582603dd6bb8683de582d686b1e95d2db")
        #expect(WebhookSignature.verify(signature: signature, body: body, timestamp: 1_767_225_600, secret: "whsec_test_key"))
        #expect(!WebhookSignature.verify(signature: signature, body: body, timestamp: 1_767_225_601, secret: "whsec_test_key"))
        #expect(!WebhookSignature.verify(signature: signature, body: body + " ", timestamp: 1_767_225_600, secret: "whsec_test_key"))
    }

    @Test func requestCarriesSignedSortedBody() throws {
        let handler = WebhookHandler(url: "https://erp.example.com/hooks/o2c", secretEnv: "K", timeout: Duration(seconds: 10))
        let d = delivery(action: "post_invoice", arguments: ["invoice": .string("INV-1"), "amount": eur("10")])
        let request = try handler.request(for: d, secret: "k3y", timestamp: 1_767_225_600)
        let body = String(decoding: try #require(request.httpBody), as: UTF8.self)
        #expect(body == #"{"action":"post_invoice","arguments":{"amount":"10.00 EUR","invoice":"INV-1"},"attempt":1,"effect_id":"inv-1:3:0","# +
            #""instance_id":"inv-1","now":"2026-02-10T09:30:00Z","workflow":"invoice"}"#)
        #expect(request.httpMethod == "POST")
        #expect(request.value(forHTTPHeaderField: "Content-Type") == "application/json")
        #expect(request.value(forHTTPHeaderField: "X-O2C-Effect-Id") == "inv-1:3:0")
        #expect(request.value(forHTTPHeaderField: "X-O2C-Timestamp") == "1767225600")
        #expect(request.value(forHTTPHeaderField: "X-O2C-Signature") == WebhookSignature.sign(body: body, timestamp: 1_767_225_600, secret: "k3y"))
    }

    @Test func missingSecretIsPermanentAndLeaksNothing() throws {
        let secret = "whsec_do_not_print_\(UUID().uuidString)"
        for value in [nil, ""] as [String?] {
            let handler = WebhookHandler(url: "https://user:\(secret)@erp.example.com/h?token=\(secret)", secretEnv: "O2C_WEBHOOK_SECRET",
                                         timeout: Duration(seconds: 1), environment: { name in
                                             name == "O2C_WEBHOOK_SECRET" ? value : secret
                                         })
            let e = try #require(handlerError { () throws(HandlerError) in try handler.handle(delivery(arguments: [:])) })
            #expect(e.permanent)
            #expect(e.message.contains("environment variable O2C_WEBHOOK_SECRET is not set"))
            #expect(!e.message.contains(secret))
            #expect(!e.description.contains(secret))
        }
    }

    @Test func redactsCredentialsFromTheURL() {
        let handler = WebhookHandler(url: "https://bot:pa55@hooks.example.com/services/T0?token=abc#frag", secretEnv: "K",
                                     timeout: Duration(seconds: 1))
        #expect(handler.displayURL == "https://hooks.example.com/services/T0")
    }

    @Test func liveDeliveryToALoopbackServer() throws {
        let server = try OneShotHTTPServer(status: 200, body: #"{"event": "invoice_posted", "data": {"erp_id": "E-77"}}"#)
        let secret = "live-test-secret"
        let handler = WebhookHandler(url: "http://127.0.0.1:\(server.port)/hooks/o2c", secretEnv: "O2C_TEST_WEBHOOK",
                                     timeout: Duration(seconds: 5), clock: { 1_767_225_600 },
                                     environment: { $0 == "O2C_TEST_WEBHOOK" ? secret : nil })
        let answer = try handler.handle(delivery(action: "post_invoice", arguments: ["invoice": .string("INV-1")]))
        #expect(answer == HandlerAnswer(event: "invoice_posted", payload: .object([("erp_id", .string("E-77"))])))
        let request = try #require(server.waitForRequest())
        #expect(request.head.hasPrefix("POST /hooks/o2c HTTP/1.1\r\n"))
        let headers = request.headers
        #expect(headers["x-o2c-effect-id"] == "inv-1:3:0")
        #expect(headers["x-o2c-timestamp"] == "1767225600")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["x-o2c-signature"] == WebhookSignature.sign(body: request.body, timestamp: 1_767_225_600, secret: secret))
        #expect(!request.head.contains(secret) && !request.body.contains(secret))
    }

    @Test func liveStatusesMapToRetryOrDeadLetter() throws {
        for (status, permanent) in [(503, false), (404, true), (429, false)] {
            let server = try OneShotHTTPServer(status: status, body: "nope")
            let handler = WebhookHandler(url: "http://127.0.0.1:\(server.port)/h", secretEnv: "K", timeout: Duration(seconds: 5),
                                         environment: { _ in "k" })
            let e = try #require(handlerError { () throws(HandlerError) in try handler.handle(delivery(arguments: [:])) })
            #expect(e.permanent == permanent, "\(status)")
            #expect(e.message.contains("HTTP \(status)"))
            _ = server.waitForRequest()
        }
    }

    @Test func redirectsAreNotFollowed() throws {
        let target = try OneShotHTTPServer(status: 200, body: #"{"event": "should_not_happen"}"#)
        let server = try OneShotHTTPServer(status: 307, body: "", headers: "Location: http://127.0.0.1:\(target.port)/elsewhere\r\n")
        let handler = WebhookHandler(url: "http://127.0.0.1:\(server.port)/h", secretEnv: "K", timeout: Duration(seconds: 5),
                                     environment: { _ in "k" })
        let e = try #require(handlerError { () throws(HandlerError) in try handler.handle(delivery(arguments: [:])) })
        #expect(e.permanent)
        #expect(e.message.contains("HTTP 307"))
        _ = server.waitForRequest()
        shutdown(target.listenerForTests, Int32(SHUT_RDWR))
        #expect(target.waitForRequest() == nil)
    }

    @Test func slowReceiverTimesOutAndIsRetried() throws {
        let server = try OneShotHTTPServer(status: 200, body: "", delay: 4)
        let handler = WebhookHandler(url: "http://127.0.0.1:\(server.port)/h", secretEnv: "K", timeout: Duration(seconds: 1),
                                     environment: { _ in "k" })
        let e = try #require(handlerError { () throws(HandlerError) in try handler.handle(delivery(arguments: [:])) })
        #expect(!e.permanent)
        #expect(e.message.contains("timed out after 1s"), "\(e.message)")
    }

    @Test func connectionRefusedIsRetried() throws {
        let port = try OneShotHTTPServer.unusedPort()
        let handler = WebhookHandler(url: "http://127.0.0.1:\(port)/h", secretEnv: "K", timeout: Duration(seconds: 3), environment: { _ in "k" })
        let e = try #require(handlerError { () throws(HandlerError) in try handler.handle(delivery(arguments: [:])) })
        #expect(!e.permanent)
    }
}

/// A loopback HTTP server that answers exactly one request, on a background thread.
private final class OneShotHTTPServer: @unchecked Sendable {
    struct Request {
        var head: String
        var body: String
        var headers: [String: String] {
            var out: [String: String] = [:]
            for line in head.components(separatedBy: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                out[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            return out
        }
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var received: Request?
    private let done = DispatchSemaphore(value: 0)

    struct SocketError: Error { var step: String }

    init(status: Int, body: String, headers: String = "", delay: UInt32 = 0) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(step: "socket") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 4) == 0 else { close(fd); throw SocketError(step: "bind") }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listener = fd
        port = UInt16(bigEndian: addr.sin_port)
        start(status: status, body: body, headers: headers, delay: delay)
    }

    private func start(status: Int, body: String, headers: String, delay: UInt32) {
        let fd = listener
        Thread.detachNewThread { [self] in
            defer { close(fd); done.signal() }
            // Bounded wait for the one client, so a failing test cannot hang the suite.
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 10_000) > 0 else { return }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            var data = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 65_536)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            while true {
                let text = String(decoding: data, as: UTF8.self)
                if let end = text.range(of: "\r\n\r\n") {
                    let head = String(text[..<end.lowerBound])
                    let length = Request(head: head, body: "").headers["content-length"].flatMap { Int($0) } ?? 0
                    let bodyBytes = data.count - text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound.samePosition(in: text.utf8)!)
                    if bodyBytes >= length {
                        lock.withLock { received = Request(head: head, body: String(text[end.upperBound...])) }
                        break
                    }
                }
                let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                data.append(contentsOf: chunk[0..<n])
            }
            if delay > 0 { sleep(delay) }
            let reason = status == 200 ? "OK" : "Status"
            let response = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" +
                headers + "Connection: close\r\n\r\n\(body)"
            _ = Array(response.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// The request the server got, once it has answered (or after 10 s).
    func waitForRequest() -> Request? {
        _ = done.wait(timeout: .now() + 10)
        return lock.withLock { received }
    }

    var listenerForTests: Int32 { listener }

    /// A loopback port with nothing listening on it.
    static func unusedPort() throws -> UInt16 {
        let s = try OneShotHTTPServer(status: 200, body: "")
        let port = s.port
        shutdown(s.listener, Int32(SHUT_RDWR))
        _ = s.waitForRequest()
        return port
    }
}
