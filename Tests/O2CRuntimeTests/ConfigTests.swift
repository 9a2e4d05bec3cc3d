import Foundation
import O2CCore
import O2CRuntime
import Testing

@Suite struct ConfigTests {
    static let example = """
    outbox: out                 # folder where notify writes messages
    templates: notices
    retry: {max_attempts: 5, base_delay: 30s, max_delay: 6h}
    handlers:
      credit_hold: {kind: log}
      reserve_stock: {kind: exec, command: [python3, scripts/reserve_stock.py], timeout: 10s, max_output: 65536, env: [PATH, LANG]}
      post_invoice: {kind: webhook, url: "https://erp.example.com/hooks/o2c", secret_env: O2C_WEBHOOK_SECRET, timeout: 10s}
      notify: {kind: notify}
      write_off: log
    """

    func parse(_ text: String) -> (RuntimeConfig, [Diagnostic]) { ConfigLoader.parse(text, file: "o2c.yaml") }

    @Test func missingFileGivesDefaultsAndNoDiagnostics() {
        let (config, ds) = ConfigLoader.load(path: "/nonexistent/\(UUID().uuidString)/o2c.yaml")
        #expect(ds.isEmpty)
        #expect(config == RuntimeConfig.defaults)
        #expect(config.outboxFolder == "out")
        #expect(config.templatesFolder == "templates")
        #expect(config.retry == RetryPolicy(maxAttempts: 5, baseDelay: Duration(seconds: 30), maxDelay: Duration(seconds: 21_600)))
        #expect(config.handlers.isEmpty)
    }

    @Test func emptyFileGivesDefaults() {
        let (config, ds) = parse("# nothing configured yet\n")
        #expect(ds.isEmpty)
        #expect(config == .defaults)
    }

    @Test func fullExample() {
        let (config, ds) = parse(Self.example)
        #expect(ds.isEmpty, "\(ds)")
        #expect(config.outboxFolder == "out")
        #expect(config.templatesFolder == "notices")
        #expect(config.retry.maxAttempts == 5)
        #expect(config.retry.baseDelay == Duration(seconds: 30))
        #expect(config.retry.maxDelay == Duration(seconds: 6 * 3600))
        #expect(config.handlers["credit_hold"] == .log)
        #expect(config.handlers["write_off"] == .log)
        #expect(config.handlers["notify"] == .notify)
        #expect(config.handlers["reserve_stock"] == .exec(command: ["python3", "scripts/reserve_stock.py"], timeout: Duration(seconds: 10),
                                                          maxOutput: 65_536, environment: ["PATH", "LANG"]))
        #expect(config.handlers["post_invoice"] == .webhook(url: "https://erp.example.com/hooks/o2c", secretEnv: "O2C_WEBHOOK_SECRET",
                                                            timeout: Duration(seconds: 10)))
    }

    @Test func loadsFromDisk() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("o2c-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("o2c.yaml").path
        try Self.example.write(toFile: path, atomically: true, encoding: .utf8)
        let (config, ds) = RuntimeConfig.load(path: path)
        #expect(ds.isEmpty)
        #expect(config.handlers.count == 5)
    }

    @Test func execDefaults() {
        let (config, ds) = parse("handlers:\n  reserve_stock: {kind: exec, command: [bin/reserve]}\n")
        #expect(ds.isEmpty)
        #expect(config.handlers["reserve_stock"] == .exec(command: ["bin/reserve"], timeout: HandlerSpec.defaultExecTimeout,
                                                          maxOutput: HandlerSpec.defaultMaxOutput, environment: []))
    }

    @Test func unknownKeyWithDidYouMean() {
        let (config, ds) = parse("outbox: out\nretry: {max_attempts: 3, base_dealy: 10s}\n")
        #expect(ds.count == 1)
        let d = ds[0]
        #expect(d.code == "E0101")
        #expect(d.message == "unknown key `base_dealy` in `retry`")
        #expect(d.help == "did you mean `base_delay`?")
        #expect(d.primary.span.file == "o2c.yaml")
        #expect(d.primary.span.line == 2)
        #expect(d.primary.span.column == 26)
        #expect(config.retry.maxAttempts == 3)
    }

    @Test func unknownTopLevelKeyAndHandlerKey() {
        let (_, ds) = parse("""
        outbx: out
        handlers:
          reserve_stock: {kind: exec, comand: [x]}
        """)
        #expect(ds.map(\.code) == ["E0101", "E0101", "E0102"])
        #expect(ds[0].help == "did you mean `outbox`?")
        #expect(ds[0].primary.span.line == 1)
        #expect(ds[1].message == "unknown key `comand` in the `exec` handler of `reserve_stock`")
        #expect(ds[1].help == "did you mean `command`?")
        #expect(ds[1].primary.span.line == 3)
        #expect(ds[2].message == "the handler of `reserve_stock` has no `command`")
    }

    @Test func badDuration() {
        let (config, ds) = parse("retry:\n  base_delay: 30 seconds\n")
        #expect(ds.count == 1)
        #expect(ds[0].code == "E0105")
        #expect(ds[0].message == "`30 seconds` is not a duration")
        #expect(ds[0].primary.span.line == 2)
        #expect(ds[0].primary.span.column == 15)
        #expect(config.retry == RetryPolicy())
    }

    @Test func bareNumberDurationSuggestsSeconds() {
        let (_, ds) = parse("handlers:\n  x: {kind: exec, command: [a], timeout: 10}\n")
        #expect(ds.map(\.code) == ["E0105"])
        #expect(ds[0].help == "write `10s` for 10 seconds")
    }

    @Test func wrongShapes() {
        let (config, ds) = parse("""
        retry: 5
        handlers:
          a: {kind: exec, command: "python3 script.py"}
          b: {kind: exec, command: [x], max_output: lots}
          c: {kind: telegraph}
          d: {command: [x]}
          start: log
        """)
        #expect(ds.map(\.code) == ["E0104", "E0104", "E0105", "E0105", "E0102", "E0105"])
        #expect(ds[0].message == "`retry` must be a mapping")
        #expect(ds[1].message == "`command` must be a list")
        #expect(ds[2].message == "`max_output` must be a whole number from 1 to \(ConfigLoader.maxOutputLimit)")
        #expect(ds[3].message == "unknown handler kind `telegraph`")
        #expect(ds[4].message == "the handler of `d` has no `kind`")
        #expect(ds[5].message == "action `start` is performed by the runner and cannot be given a handler")
        #expect(config.rejectedHandlers == ["a", "b", "c", "d"])
        #expect(config.handlers.isEmpty)
    }

    @Test func maxDelayShorterThanBase() {
        let (_, ds) = parse("retry: {base_delay: 1h, max_delay: 10m}\n")
        #expect(ds.map(\.code) == ["E0105"])
        #expect(ds[0].message == "`max_delay` (10m) is shorter than `base_delay` (1h)")
    }

    @Test func webhookSecretNeverInConfig() {
        let secret = "s3cr3t-value-\(UUID().uuidString)"
        let (config, ds) = parse("""
        handlers:
          post_invoice: {kind: webhook, url: "https://erp.example.com/h", secret: "\(secret)", secret_env: "\(secret)"}
        """)
        #expect(config.handlers["post_invoice"] == nil)
        #expect(ds.map(\.code) == ["E0101", "E0105"])
        #expect(ds[0].help?.contains("environment variable") == true)
        #expect(ds[1].message == "`secret_env` must be the name of an environment variable")
        for d in ds {
            #expect(!d.message.contains(secret))
            #expect(!(d.help ?? "").contains(secret))
            #expect(!d.notes.joined().contains(secret))
            #expect(!d.primary.text.contains(secret))
        }
    }

    @Test func webhookNeedsHTTPSExceptOnLoopback() {
        let (config, ds) = parse("""
        handlers:
          a: {kind: webhook, url: "http://erp.example.com/h", secret_env: K}
          b: {kind: webhook, url: "http://127.0.0.1:8080/h", secret_env: K}
          c: {kind: webhook, url: "not a url", secret_env: K}
          d: {kind: webhook, url: "https://x.example.com/h"}
        """)
        #expect(ds.map(\.code) == ["E0105", "E0105", "E0102"])
        #expect(ds[0].message == "`url` must use https")
        #expect(ds[1].message == "`url` is not an absolute URL")
        #expect(ds[2].message == "the handler of `d` has no `secret_env`")
        #expect(config.handlers["b"] == .webhook(url: "http://127.0.0.1:8080/h", secretEnv: "K", timeout: HandlerSpec.defaultWebhookTimeout))
    }

    @Test func invalidYAMLIsLocatedNotACrash() {
        let (config, ds) = parse("handlers:\n  a: {kind: log\n")
        #expect(ds.hasErrors)
        #expect(ds[0].code == "E0001")
        #expect(config == .defaults)
    }

    @Test func retryBackoffFigures() {
        let policy = RetryPolicy() // 30s base, 6h cap
        let seconds = (1...12).map { policy.delay(afterAttempt: $0).seconds }
        #expect(seconds == [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15_360, 21_600, 21_600])
        #expect(policy.delay(afterAttempt: 1).description == "30s")
        #expect(policy.delay(afterAttempt: 4).description == "4m")
        #expect(policy.delay(afterAttempt: 0).seconds == 30)
        #expect(policy.delay(afterAttempt: 10_000).seconds == 21_600)
        #expect(policy.retries(afterAttempt: 4))
        #expect(!policy.retries(afterAttempt: 5))
        let fast = RetryPolicy(maxAttempts: 3, baseDelay: Duration(seconds: 1), maxDelay: Duration(seconds: 3))
        #expect((1...4).map { fast.delay(afterAttempt: $0).seconds } == [1, 2, 3, 3])
    }

    @Test func shippedConfigIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("o2c.yaml").path
        try #require(FileManager.default.fileExists(atPath: path))
        let (config, ds) = ConfigLoader.load(path: path)
        #expect(ds.isEmpty, "\(ds)")
        for action in ["credit_hold", "suspend_account", "reserve_stock", "create_label", "journal", "allocate_payment", "agency_export"] {
            #expect(config.handlers[action] == .log, "\(action)")
        }
    }
}
