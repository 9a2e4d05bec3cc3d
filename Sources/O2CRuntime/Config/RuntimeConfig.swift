import O2CCore

/// The runtime settings in the project-root file `o2c.yaml`: where notices go, how failed
/// deliveries are retried, and which handler performs each action.
///
/// Secrets never live here: a webhook names the *environment variable* that holds its key.
public struct RuntimeConfig: Sendable, Equatable {
    /// The file name looked for at the project root.
    public static let fileName = "o2c.yaml"

    /// Folder `notify` writes messages into (`<outbox>/email/<effect>.eml`), relative to the project root.
    public var outboxFolder: String
    /// Folder of the mustache templates for `notify`, relative to the project root.
    public var templatesFolder: String
    public var retry: RetryPolicy
    /// Action name → handler. Actions not listed fall back to the built-in defaults
    /// (`notify`, `log`, `fee`); anything else has no handler and is dead-lettered.
    public var handlers: [String: HandlerSpec]
    /// Actions whose entry under `handlers:` had errors (reported as diagnostics) and is left out
    /// of `handlers`: `o2c validate` should not report them again as having no handler.
    public var rejectedHandlers: Set<String> = []

    public init(outboxFolder: String = "out", templatesFolder: String = "templates", retry: RetryPolicy = RetryPolicy(),
                handlers: [String: HandlerSpec] = [:]) {
        self.outboxFolder = outboxFolder
        self.templatesFolder = templatesFolder
        self.retry = retry
        self.handlers = handlers
    }

    /// The configuration used when there is no `o2c.yaml`.
    public static let defaults = RuntimeConfig()

    /// Reads `o2c.yaml`; a missing file gives the defaults and no diagnostics. Never crashes:
    /// every problem is a located diagnostic, and the returned config holds what could be read.
    public static func load(path: String) -> (RuntimeConfig, [Diagnostic]) {
        ConfigLoader.load(path: path)
    }

    /// `path` as seen from the project root (absolute paths are kept).
    public static func resolve(_ path: String, projectRoot: String) -> String {
        if path.hasPrefix("/") { return path }
        if projectRoot.isEmpty || projectRoot == "." { return path }
        return projectRoot.hasSuffix("/") ? projectRoot + path : projectRoot + "/" + path
    }
}

/// How a failed delivery is retried: exponential backoff, then a dead letter.
public struct RetryPolicy: Sendable, Equatable {
    /// Deliveries tried in all, the first included; after the last failure the effect is dead-lettered.
    public var maxAttempts: Int
    /// Wait after the first failure.
    public var baseDelay: Duration
    /// Longest wait between two attempts.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 5, baseDelay: Duration = Duration(seconds: 30), maxDelay: Duration = Duration(seconds: 6 * 3600)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Wait before the next try after attempt `n` (1-based) failed: `base × 2^(n-1)`, capped at
    /// `maxDelay`. With the defaults: 30s, 1m, 2m, 4m, 8m, … 6h.
    public func delay(afterAttempt n: Int) -> Duration {
        let base = max(0, baseDelay.seconds)
        let cap = max(base, maxDelay.seconds)
        let exponent = max(0, n - 1)
        // 2^62 already exceeds any sensible cap; stop doubling before Int64 overflows.
        guard exponent < 62 else { return Duration(seconds: cap) }
        let (product, overflow) = base.multipliedReportingOverflow(by: Int64(1) << Int64(exponent))
        return Duration(seconds: overflow ? cap : min(product, cap))
    }

    /// Whether a retryable failure on attempt `n` (1-based) is tried again, or dead-lettered.
    public func retries(afterAttempt n: Int) -> Bool { n < maxAttempts }
}

/// What performs one action.
public enum HandlerSpec: Sendable, Equatable {
    /// One line in the log (`o2c.effects`), nothing else: for dry runs and the embedded default.
    case log
    /// Renders `templates/<template>.mustache` into `<outbox>/<channel>/<effect>.*`.
    case notify
    /// Runs a program (never through a shell) with the effect as JSON on stdin.
    case exec(command: [String], timeout: Duration, maxOutput: Int, environment: [String])
    /// POSTs the effect as JSON, signed with HMAC-SHA256 under the key in environment variable `secretEnv`.
    case webhook(url: String, secretEnv: String, timeout: Duration)

    /// The `kind:` that selects this handler in `o2c.yaml`.
    public var kind: String {
        switch self {
        case .log: "log"
        case .notify: "notify"
        case .exec: "exec"
        case .webhook: "webhook"
        }
    }

    public static let kinds = ["log", "notify", "exec", "webhook"]

    /// Defaults for keys an `exec` or `webhook` handler may leave out.
    public static let defaultExecTimeout = Duration(seconds: 30)
    public static let defaultMaxOutput = 65_536
    public static let defaultWebhookTimeout = Duration(seconds: 10)
}
