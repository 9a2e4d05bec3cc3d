import Crypto
import Foundation
import O2CCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The signature of a webhook body: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
///
/// Signing the timestamp with the body lets the receiver reject replays: it recomputes the
/// signature and refuses requests whose `X-O2C-Timestamp` is more than a few minutes old.
public enum WebhookSignature {
    public static func sign(body: String, timestamp: Int64, secret: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: key)
        return "sha256=" + mac.map { hex($0) }.joined()
    }

    /// Constant-time check of a received signature, for receivers written in Swift and for tests.
    public static func verify(signature: String, body: String, timestamp: Int64, secret: String) -> Bool {
        let expected = Array(sign(body: body, timestamp: timestamp, secret: secret).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<expected.count { diff |= expected[i] ^ given[i] }
        return diff == 0
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0f)]])
    }
}

/// POSTs each effect as JSON to an HTTPS endpoint, signed with HMAC-SHA256.
///
/// Headers: `Content-Type: application/json`, `X-O2C-Effect-Id` (the idempotency key),
/// `X-O2C-Timestamp` (epoch seconds, from the real clock), `X-O2C-Signature`. The body is
/// `EffectDelivery.json`, compact with sorted keys. The key is read from the environment variable
/// named in the config at each delivery, and is never written to a message, log or history.
///
/// Answers: 2xx → done, with an optional `{"event", "data"}` answer in the body; 408, 429, 5xx,
/// timeouts and network errors → retried; other 4xx, 3xx (redirects are not followed) → permanent.
/// TLS certificates are always verified.
public struct WebhookHandler: ActionHandler {
    public let url: String
    public let secretEnv: String
    public let timeout: Duration
    /// Epoch seconds for `X-O2C-Timestamp`; the real clock unless a test pins it.
    public let clock: @Sendable () -> Int64
    /// Reads an environment variable; `ProcessInfo` unless a test injects one.
    public let environment: @Sendable (String) -> String?

    /// Largest response body read for an answer.
    static let maxResponseBytes = 1 << 20

    public init(url: String, secretEnv: String, timeout: Duration,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                environment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] }) {
        self.url = url
        self.secretEnv = secretEnv
        self.timeout = timeout
        self.clock = clock
        self.environment = environment
    }

    /// The URL without credentials, query or fragment: safe to show in errors and logs.
    public var displayURL: String { WebhookHandler.redacted(url) }

    static func redacted(_ url: String) -> String {
        guard var c = URLComponents(string: url) else { return "the configured webhook URL" }
        c.user = nil
        c.password = nil
        c.query = nil
        c.fragment = nil
        return c.string ?? "the configured webhook URL"
    }

    /// The request exactly as sent: body, headers and signature.
    public func request(for delivery: EffectDelivery, secret: String, timestamp: Int64) throws(HandlerError) -> URLRequest {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw HandlerError("webhook URL `\(displayURL)` is not an http(s) URL", permanent: true)
        }
        let body = delivery.json.serialized(sortedKeys: true)
        var request = URLRequest(url: target, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData,
                                 timeoutInterval: TimeInterval(max(1, timeout.seconds)))
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(delivery.effectId, forHTTPHeaderField: "X-O2C-Effect-Id")
        request.setValue(String(timestamp), forHTTPHeaderField: "X-O2C-Timestamp")
        request.setValue(WebhookSignature.sign(body: body, timestamp: timestamp, secret: secret), forHTTPHeaderField: "X-O2C-Signature")
        request.setValue("o2c", forHTTPHeaderField: "User-Agent")
        return request
    }

    public func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? {
        guard let secret = environment(secretEnv), !secret.isEmpty else {
            throw HandlerError("environment variable \(secretEnv) is not set (it holds the key that signs webhook `\(displayURL)`)",
                               permanent: true)
        }
        let request = try self.request(for: delivery, secret: secret, timestamp: clock())
        let (status, body) = try send(request)
        return try WebhookHandler.interpret(status: status, body: body, url: displayURL)
    }

    /// Maps the HTTP answer onto done / retry / dead letter.
    static func interpret(status: Int, body: Data, url: String) throws(HandlerError) -> HandlerAnswer? {
        let snippet = HandlerSupport.firstLine(String(decoding: body.prefix(2048), as: UTF8.self), limit: 200)
        let suffix = snippet.isEmpty ? "" : ": \(snippet)"
        switch status {
        case 200..<300:
            let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("{") else { return nil } // "ok", empty: delivered, no answer
            let json: JSON
            do { json = try JSON.parse(text) } catch {
                throw HandlerError("webhook `\(url)` answered \(status) with a body that is not valid JSON (\(error))", permanent: true)
            }
            guard json["event"] != nil else { return nil }
            guard let answer = HandlerAnswer(json: json), !answer.event.isEmpty else {
                throw HandlerError("webhook `\(url)` answered with an `event` that is not a name", permanent: true)
            }
            return answer
        case 408, 425, 429, 500..<600:
            throw HandlerError("webhook `\(url)` answered HTTP \(status)\(suffix)")
        case 300..<400:
            throw HandlerError("webhook `\(url)` answered HTTP \(status) (a redirect; redirects are not followed, configure the final URL)",
                               permanent: true)
        default:
            throw HandlerError("webhook `\(url)` refused the effect with HTTP \(status)\(suffix)", permanent: true)
        }
    }

    /// Sends and waits: the handler protocol is synchronous, so the calling thread blocks on a
    /// semaphore until URLSession's completion handler has run (or the timeout has passed).
    func send(_ request: URLRequest) throws(HandlerError) -> (Int, Data) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = TimeInterval(max(1, timeout.seconds))
        configuration.timeoutIntervalForResource = TimeInterval(max(1, timeout.seconds))
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        let redirects = RefuseRedirects()
        let session = URLSession(configuration: configuration, delegate: redirects, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }

        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            box.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        // URLSession enforces the timeout itself; this margin only guards against a lost callback.
        if done.wait(timeout: .now() + .seconds(Int(max(1, timeout.seconds)) + 5)) == .timedOut {
            task.cancel()
            throw HandlerError("webhook `\(displayURL)` timed out after \(timeout)")
        }
        let (data, response, error) = box.get()
        if let error {
            throw WebhookHandler.networkError(error, url: displayURL, timeout: timeout)
        }
        guard let http = response as? HTTPURLResponse else {
            throw HandlerError("webhook `\(displayURL)` gave no HTTP response")
        }
        let body = data ?? Data()
        guard body.count <= WebhookHandler.maxResponseBytes else {
            throw HandlerError("webhook `\(displayURL)` answered with more than \(WebhookHandler.maxResponseBytes) bytes", permanent: true)
        }
        return (http.statusCode, body)
    }

    /// Network failures are retried; only a malformed URL is permanent. The URL in the message is
    /// the redacted one: Foundation's own descriptions may repeat the full URL with its query.
    static func networkError(_ error: any Error, url: String, timeout: Duration) -> HandlerError {
        let ns = error as NSError
        guard ns.domain == NSURLErrorDomain else { return HandlerError("webhook `\(url)` failed: error \(ns.code)") }
        switch ns.code {
        case NSURLErrorTimedOut: return HandlerError("webhook `\(url)` timed out after \(timeout)")
        case NSURLErrorBadURL, NSURLErrorUnsupportedURL:
            return HandlerError("webhook URL `\(url)` cannot be used (error \(ns.code))", permanent: true)
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return HandlerError("webhook host of `\(url)` was not found")
        case NSURLErrorCannotConnectToHost: return HandlerError("webhook `\(url)` refused the connection")
        case NSURLErrorNetworkConnectionLost: return HandlerError("webhook `\(url)`: the connection was lost")
        case NSURLErrorNotConnectedToInternet: return HandlerError("webhook `\(url)`: no network")
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate,
             NSURLErrorServerCertificateNotYetValid, NSURLErrorServerCertificateHasUnknownRoot, NSURLErrorClientCertificateRejected:
            return HandlerError("webhook `\(url)`: TLS failed (certificate not trusted or handshake refused, error \(ns.code))")
        case NSURLErrorHTTPTooManyRedirects, NSURLErrorRedirectToNonExistentLocation:
            return HandlerError("webhook `\(url)` redirected; redirects are not followed", permanent: true)
        default: return HandlerError("webhook `\(url)` failed (URL error \(ns.code))")
        }
    }
}

/// Holds the completion handler's results until the waiting thread reads them.
private final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: (any Error)?

    func set(data: Data?, response: URLResponse?, error: (any Error)?) {
        lock.withLock {
            self.data = data
            self.response = response
            self.error = error
        }
    }

    func get() -> (Data?, URLResponse?, (any Error)?) {
        lock.withLock { (data, response, error) }
    }
}

/// Redirects are refused: a signed POST must not be replayed to another address.
private final class RefuseRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
