import Foundation
import O2CCore
import O2CLoader

/// Reads `o2c.yaml` into a `RuntimeConfig`, reporting every problem with its place in the file.
///
/// Like the library loaders it never stops at the first problem and never crashes: a bad entry
/// is reported and left out (or left at its default), the rest is still read.
public enum ConfigLoader {
    static let topKeys = ["outbox", "templates", "retry", "handlers"]
    static let retryKeys = ["max_attempts", "base_delay", "max_delay"]
    static let keysByKind: [String: [String]] = [
        "log": ["kind"],
        "notify": ["kind"],
        "exec": ["kind", "command", "timeout", "max_output", "env"],
        "webhook": ["kind", "url", "secret_env", "timeout"],
    ]
    /// Actions the runner performs itself: they cannot be given a handler.
    static let runnerActions: Set<String> = ["start", "emit"]
    /// Largest `max_output` accepted, so a typo cannot make the runner buffer gigabytes.
    public static let maxOutputLimit = 64 << 20

    /// Reads the file at `path`. A missing file gives the defaults and no diagnostics.
    public static func load(path: String) -> (RuntimeConfig, [Diagnostic]) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return (.defaults, []) }
        let here = Span(file: path, line: 1, column: 1)
        guard !isDir.boolValue, let data = FileManager.default.contents(atPath: path) else {
            return (.defaults, [.error("E0001", "cannot read `\(path)`", at: here, help: "check that it is a readable file")])
        }
        guard let text = String(validating: [UInt8](data), as: UTF8.self) else {
            return (.defaults, [.error("E0005", "file is not valid UTF-8 text", at: here, help: "save the file as UTF-8")])
        }
        return parse(text, file: path)
    }

    /// Reads config text; `file` names it in diagnostics.
    public static func parse(_ text: String, file: String = RuntimeConfig.fileName) -> (RuntimeConfig, [Diagnostic]) {
        let (docs, yamlDiagnostics) = YAMLReader.documents(text, file: file)
        var config = RuntimeConfig.defaults
        guard !yamlDiagnostics.hasErrors else { return (config, yamlDiagnostics) }
        var r = Reader(diagnostics: yamlDiagnostics)
        guard let root = docs.first else { return (config, r.diagnostics) }
        if docs.count > 1 {
            r.report(.error("E0104", "`\(file)` must hold one document", at: docs[1].span,
                            help: "remove the `---` separator and merge the settings into one mapping"))
        }
        guard let pairs = r.mapping(root, "the runtime configuration") else { return (config, r.diagnostics) }
        r.checkKeys(pairs, allowed: topKeys, in: "the runtime configuration")
        for (key, value) in pairs {
            switch key.text {
            case "outbox": if let s = r.path(value, "`outbox`") { config.outboxFolder = s }
            case "templates": if let s = r.path(value, "`templates`") { config.templatesFolder = s }
            case "retry": if let retry = r.retry(value) { config.retry = retry }
            case "handlers": (config.handlers, config.rejectedHandlers) = r.handlers(value)
            default: break
            }
        }
        return (config, r.diagnostics)
    }
}

/// Walks the YAML of `o2c.yaml`, collecting diagnostics.
private struct Reader {
    var diagnostics: [Diagnostic]

    mutating func report(_ d: Diagnostic) { diagnostics.append(d) }

    mutating func mapping(_ node: YAMLNode, _ what: String) -> [(key: YAMLScalar, value: YAMLNode)]? {
        if case .mapping(let pairs, _) = node { return pairs }
        if case .scalar(let s) = node, s.isNull { return [] }
        report(.error("E0104", "\(what) must be a mapping", at: node.span, label: "found \(node.kindName)",
                      help: "write it as `key: value` lines indented under its parent"))
        return nil
    }

    mutating func scalar(_ node: YAMLNode, _ what: String) -> YAMLScalar? {
        if case .scalar(let s) = node { return s }
        report(.error("E0104", "\(what) must be a single value", at: node.span, label: "found \(node.kindName)"))
        return nil
    }

    mutating func checkKeys(_ pairs: [(key: YAMLScalar, value: YAMLNode)], allowed: [String], in what: String,
                            help: [String: String] = [:]) {
        for (key, _) in pairs where !allowed.contains(key.text) {
            report(.error("E0101", "unknown key `\(key.text)` in \(what)", at: key.span,
                          notes: ["allowed keys: \(allowed.joined(separator: ", "))"],
                          help: help[key.text] ?? Suggest.didYouMean(key.text, in: allowed)))
        }
    }

    mutating func path(_ node: YAMLNode, _ what: String) -> String? {
        guard let s = scalar(node, what) else { return nil }
        guard !s.isNull, !s.text.isEmpty else {
            report(.error("E0105", "\(what) is empty", at: s.span, help: "name a folder, relative to the project root"))
            return nil
        }
        return s.text
    }

    mutating func duration(_ node: YAMLNode, _ what: String) -> Duration? {
        guard let s = scalar(node, what) else { return nil }
        guard let d = Duration(parsing: s.text), d.seconds > 0 else {
            let notDuration = Duration(parsing: s.text) == nil
            report(.error("E0105", notDuration ? "`\(s.text)` is not a duration" : "\(what) must be longer than zero", at: s.span,
                          label: "in \(what)",
                          notes: ["durations are a number and a unit: `30s`, `10m`, `6h`, `1d12h` (w d h m s)"],
                          help: Int(s.text).map { "write `\($0)s` for \($0) seconds" }))
            return nil
        }
        return d
    }

    mutating func integer(_ node: YAMLNode, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard let s = scalar(node, what) else { return nil }
        guard let n = Int(s.text.replacingAll("_", with: "")), range.contains(n) else {
            report(.error("E0105", "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)", at: s.span,
                          label: "found `\(s.text)`"))
            return nil
        }
        return n
    }

    mutating func retry(_ node: YAMLNode) -> RetryPolicy? {
        guard let pairs = mapping(node, "`retry`") else { return nil }
        checkKeys(pairs, allowed: ConfigLoader.retryKeys, in: "`retry`")
        var policy = RetryPolicy()
        var ok = true
        for (key, value) in pairs {
            switch key.text {
            case "max_attempts":
                if let n = integer(value, "`max_attempts`", in: 1...100) { policy.maxAttempts = n } else { ok = false }
            case "base_delay":
                if let d = duration(value, "`base_delay`") { policy.baseDelay = d } else { ok = false }
            case "max_delay":
                if let d = duration(value, "`max_delay`") { policy.maxDelay = d } else { ok = false }
            default: break
            }
        }
        if ok, policy.maxDelay < policy.baseDelay {
            let span = pairs.first { $0.key.text == "max_delay" }?.value.span ?? node.span
            report(.error("E0105", "`max_delay` (\(policy.maxDelay)) is shorter than `base_delay` (\(policy.baseDelay))", at: span,
                          help: "make `max_delay` at least `\(policy.baseDelay)`"))
            return nil
        }
        return policy
    }

    /// The valid entries, and the actions whose entry was reported as wrong.
    mutating func handlers(_ node: YAMLNode) -> ([String: HandlerSpec], Set<String>) {
        guard let pairs = mapping(node, "`handlers`") else { return ([:], []) }
        var result: [String: HandlerSpec] = [:]
        var rejected = Set<String>()
        for (key, value) in pairs {
            guard let action = actionName(key) else { continue }
            if let spec = handler(value, action: action, keySpan: key.span) { result[action] = spec } else { rejected.insert(action) }
        }
        return (result, rejected)
    }

    mutating func actionName(_ key: YAMLScalar) -> String? {
        let t = key.text
        let valid = !t.isEmpty && t.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
            && !(t.unicodeScalars.first.map { ("0"..."9").contains($0) } ?? true)
        guard valid else {
            report(.error("E0105", "`\(t)` is not a valid action name", at: key.span,
                          notes: ["action names use letters, digits and `_`, and start with a letter"]))
            return nil
        }
        if ConfigLoader.runnerActions.contains(t) {
            report(.error("E0105", "action `\(t)` is performed by the runner and cannot be given a handler", at: key.span,
                          help: "remove this entry"))
            return nil
        }
        return t
    }

    /// `{kind: exec, command: [...], ...}`, or the shorthand `log` / `notify`.
    mutating func handler(_ node: YAMLNode, action: String, keySpan: Span) -> HandlerSpec? {
        let what = "the handler of `\(action)`"
        if case .scalar(let s) = node, !s.isNull {
            switch s.text {
            case "log": return .log
            case "notify": return .notify
            case "exec", "webhook":
                report(.error("E0104", "\(what) needs settings", at: s.span, label: "`\(s.text)` alone is not enough",
                              help: s.text == "exec" ? "write `{kind: exec, command: [program, arguments…]}`"
                                  : "write `{kind: webhook, url: \"https://…\", secret_env: NAME}`"))
                return nil
            default:
                report(.error("E0105", "unknown handler kind `\(s.text)`", at: s.span,
                              notes: ["kinds: \(HandlerSpec.kinds.joined(separator: ", "))"],
                              help: Suggest.didYouMean(s.text, in: HandlerSpec.kinds)))
                return nil
            }
        }
        guard let pairs = mapping(node, what) else { return nil }
        guard let kindNode = pairs.first(where: { $0.key.text == "kind" })?.value else {
            report(.error("E0102", "\(what) has no `kind`", at: pairs.isEmpty ? keySpan : node.span,
                          notes: ["kinds: \(HandlerSpec.kinds.joined(separator: ", "))"], help: "add `kind: log` (or notify, exec, webhook)"))
            return nil
        }
        guard let kindScalar = scalar(kindNode, "`kind`") else { return nil }
        let kind = kindScalar.text
        guard let allowed = ConfigLoader.keysByKind[kind] else {
            report(.error("E0105", "unknown handler kind `\(kind)`", at: kindScalar.span,
                          notes: ["kinds: \(HandlerSpec.kinds.joined(separator: ", "))"],
                          help: Suggest.didYouMean(kind, in: HandlerSpec.kinds)))
            return nil
        }
        checkKeys(pairs, allowed: allowed, in: "the `\(kind)` handler of `\(action)`", help: [
            "secret": "never write the secret into o2c.yaml: put it in an environment variable and name that variable with `secret_env`",
            "shell": "handlers never run through a shell: list the program and its arguments in `command`",
        ])
        let value = { (k: String) in pairs.first(where: { $0.key.text == k })?.value }
        switch kind {
        case "log": return .log
        case "notify": return .notify
        case "exec":
            var ok = true
            var command: [String] = []
            if let c = value("command") { if let list = self.command(c) { command = list } else { ok = false } } else {
                report(.error("E0102", "\(what) has no `command`", at: node.span, help: "add `command: [program, arguments…]`"))
                ok = false
            }
            var timeout = HandlerSpec.defaultExecTimeout
            if let t = value("timeout") { if let d = duration(t, "`timeout`") { timeout = d } else { ok = false } }
            var maxOutput = HandlerSpec.defaultMaxOutput
            if let m = value("max_output") { if let n = integer(m, "`max_output`", in: 1...ConfigLoader.maxOutputLimit) { maxOutput = n } else { ok = false } }
            var env: [String] = []
            if let e = value("env") { if let names = environmentNames(e) { env = names } else { ok = false } }
            return ok ? .exec(command: command, timeout: timeout, maxOutput: maxOutput, environment: env) : nil
        case "webhook":
            var ok = true
            var url = ""
            if let u = value("url") { if let s = webhookURL(u) { url = s } else { ok = false } } else {
                report(.error("E0102", "\(what) has no `url`", at: node.span, help: "add `url: \"https://…\"`"))
                ok = false
            }
            var secretEnv = ""
            if let s = value("secret_env") { if let name = environmentName(s, "`secret_env`") { secretEnv = name } else { ok = false } } else {
                report(.error("E0102", "\(what) has no `secret_env`", at: node.span,
                              notes: ["every webhook is signed; the key is read from this environment variable at delivery time"],
                              help: "add `secret_env: O2C_WEBHOOK_SECRET` and set that variable where o2c runs"))
                ok = false
            }
            var timeout = HandlerSpec.defaultWebhookTimeout
            if let t = value("timeout") { if let d = duration(t, "`timeout`") { timeout = d } else { ok = false } }
            return ok ? .webhook(url: url, secretEnv: secretEnv, timeout: timeout) : nil
        default:
            return nil
        }
    }

    mutating func command(_ node: YAMLNode) -> [String]? {
        guard case .sequence(let items, let span) = node else {
            report(.error("E0104", "`command` must be a list", at: node.span, label: "found \(node.kindName)",
                          notes: ["the program runs without a shell, so the arguments are given one by one"],
                          help: "write `command: [python3, scripts/reserve_stock.py]`"))
            return nil
        }
        var out: [String] = []
        for item in items {
            guard let s = scalar(item, "an item of `command`") else { return nil }
            out.append(s.text)
        }
        guard let first = out.first, !first.isEmpty else {
            report(.error("E0105", "`command` names no program", at: items.first?.span ?? span,
                          help: "write `command: [python3, scripts/reserve_stock.py]`"))
            return nil
        }
        return out
    }

    mutating func environmentNames(_ node: YAMLNode) -> [String]? {
        guard case .sequence(let items, _) = node else {
            report(.error("E0104", "`env` must be a list of variable names", at: node.span, label: "found \(node.kindName)",
                          help: "write `env: [PATH, LANG]`"))
            return nil
        }
        var names: [String] = []
        for item in items {
            guard let n = environmentName(item, "an item of `env`") else { return nil }
            names.append(n)
        }
        return names
    }

    /// A variable *name* (`O2C_WEBHOOK_SECRET`). The value is never echoed: it might be a secret pasted by mistake.
    mutating func environmentName(_ node: YAMLNode, _ what: String) -> String? {
        guard let s = scalar(node, what) else { return nil }
        let t = s.text
        let valid = !t.isEmpty && t.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
            && !(t.unicodeScalars.first.map { ("0"..."9").contains($0) } ?? true)
        guard valid else {
            report(.error("E0105", "\(what) must be the name of an environment variable", at: s.span,
                          notes: ["names use letters, digits and `_`, such as `O2C_WEBHOOK_SECRET`"],
                          help: "name the variable here and set its value in the environment o2c runs in"))
            return nil
        }
        return t
    }

    mutating func webhookURL(_ node: YAMLNode) -> String? {
        guard let s = scalar(node, "`url`") else { return nil }
        guard let c = URLComponents(string: s.text), let scheme = c.scheme?.lowercased(), let host = c.host, !host.isEmpty else {
            report(.error("E0105", "`url` is not an absolute URL", at: s.span, help: "write `url: \"https://erp.example.com/hooks/o2c\"`"))
            return nil
        }
        let loopback = host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]"
        if scheme == "https" || (scheme == "http" && loopback) { return s.text }
        report(.error("E0105", "`url` must use https", at: s.span, label: scheme == "http" ? "plain http" : "scheme `\(scheme)`",
                      notes: ["effects carry customer data and signatures; plain http is accepted only for localhost"],
                      help: "use an `https://` address"))
        return nil
    }
}
