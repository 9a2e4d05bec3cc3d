import O2CCore
import O2CLoader

/// An analyst-written scenario test (`tests/**/*.yaml`): a workflow, inputs, policy overrides,
/// a script of events and clock moves, and expectations. Format in docs/testing.md.
public struct Scenario: Sendable {
    public var name: String
    public var file: String
    public var workflow: String
    public var start: Instant
    public var policy: [(name: String, node: YAMLNode)]
    public var input: JSON
    public var answers: [String: Answer]
    public var steps: [ScenarioStep]

    public struct Answer: Sendable {
        public var event: String
        public var data: JSON
        public var after: Duration
    }
}

/// One line of a scenario's script, with where it was written.
public struct ScenarioStep: Sendable {
    public enum Kind: Sendable {
        case expect(instance: String?, fields: [(String, String)], context: [(String, String)])
        case expectEffect(action: String, arguments: [(String, String)], negated: Bool)
        case expectEffects(counts: [(String, Int)])
        case expectDecision(table: String, instance: String?, matched: [Int]?, outputs: [(String, String)])
        case wait(Duration)
        case waitUntil(Instant)
        case event(name: String, data: JSON, instance: String?, id: String?, refused: String?)
    }
    public var kind: Kind
    public var span: Span
    public var label: String
}

/// Reads scenario files; problems are diagnostics with file:line:col like every other file.
public enum ScenarioParser {
    public static func parse(_ text: String, file: String) -> (Scenario?, [Diagnostic]) {
        let (docs, ds) = YAMLReader.documents(text, file: file)
        guard ds.isEmpty else { return (nil, ds) }
        guard let root = docs.first, case .mapping(let pairs, let span) = root else {
            return (nil, [.error("E0104", "a scenario must be a mapping", at: Span(file: file, line: 1, column: 1))])
        }
        var problems: [Diagnostic] = []
        func fail(_ message: String, _ at: Span, help: String? = nil) { problems.append(.error("E0701", message, at: at, help: help)) }
        let allowed = ["scenario", "description", "workflow", "at", "policy", "input", "answers", "steps"]
        for (k, _) in pairs where !allowed.contains(k.text) {
            problems.append(.error("E0101", "unknown key `\(k.text)` in a scenario", at: k.span, help: Suggest.didYouMean(k.text, in: allowed)))
        }
        let name = root["scenario"]?.scalar?.text ?? file
        guard let workflow = root["workflow"]?.scalar?.text else {
            fail("scenario has no `workflow`", span, help: "add `workflow: <name>`")
            return (nil, problems)
        }
        var start = Instant(parsing: "2026-01-01T00:00:00Z")!
        if let at = root["at"]?.scalar {
            if let t = Instant(parsing: at.text) { start = t } else { fail("`at` is not a date or datetime", at.span) }
        }
        var policy: [(String, YAMLNode)] = []
        if case .mapping(let p, _)? = root["policy"] {
            for (k, v) in p { policy.append((k.text, v)) }
        }
        var answers: [String: Scenario.Answer] = [:]
        if case .mapping(let a, _)? = root["answers"] {
            for (k, v) in a {
                guard let event = v["event"]?.scalar?.text else { fail("answer for `\(k.text)` has no `event`", v.span); continue }
                var after = Duration(seconds: 0)
                if let s = v["after"]?.scalar { after = Duration(parsing: s.text) ?? after }
                answers[k.text] = .init(event: event, data: v["data"].map(YAMLData.json) ?? .object([]), after: after)
            }
        }
        var steps: [ScenarioStep] = []
        if case .sequence(let items, _)? = root["steps"] {
            for item in items {
                if let step = parseStep(item, fail: fail) { steps.append(step) }
            }
        } else {
            fail("scenario has no `steps` list", span)
        }
        let scenario = Scenario(name: name, file: file, workflow: workflow, start: start, policy: policy,
                                input: root["input"].map(YAMLData.json) ?? .object([]), answers: answers, steps: steps)
        return (problems.isEmpty ? scenario : nil, problems)
    }

    private static func parseStep(_ node: YAMLNode, fail: (String, Span, String?) -> Void) -> ScenarioStep? {
        guard case .mapping(let pairs, let span) = node, let (key, value) = pairs.first else {
            fail("a step is a mapping such as `expect: {state: paid}`", node.span, nil)
            return nil
        }
        func texts(_ n: YAMLNode?) -> [(String, String)] {
            guard case .mapping(let p, _)? = n else { return [] }
            return p.map { ($0.key.text, YAMLData.text($0.value)) }
        }
        let label = key.text
        switch key.text {
        case "expect":
            let fields = texts(value).filter { $0.0 != "context" && $0.0 != "instance" }
            return ScenarioStep(kind: .expect(instance: value["instance"]?.scalar?.text, fields: fields, context: texts(value["context"])),
                                span: key.span, label: label)
        case "expect_effect", "expect_no_effect":
            guard let action = value["action"]?.scalar?.text else { fail("`\(key.text)` needs `action`", value.span, nil); return nil }
            return ScenarioStep(kind: .expectEffect(action: action, arguments: texts(value).filter { $0.0 != "action" }, negated: key.text == "expect_no_effect"),
                                span: key.span, label: label)
        case "expect_effects":
            let counts = texts(value).map { ($0.0, Int($0.1) ?? -1) }
            return ScenarioStep(kind: .expectEffects(counts: counts), span: key.span, label: label)
        case "expect_decision":
            guard let table = value["table"]?.scalar?.text else { fail("`expect_decision` needs `table`", value.span, nil); return nil }
            var matched: [Int]?
            if case .sequence(let items, _)? = value["matched"] { matched = items.compactMap { $0.scalar.flatMap { Int($0.text) } } }
            return ScenarioStep(kind: .expectDecision(table: table, instance: value["instance"]?.scalar?.text, matched: matched, outputs: texts(value["outputs"])),
                                span: key.span, label: label)
        case "wait":
            guard let s = value.scalar, let d = Duration(parsing: s.text) else { fail("`wait` needs a duration like `7d`", value.span, nil); return nil }
            return ScenarioStep(kind: .wait(d), span: key.span, label: label)
        case "wait_until":
            guard let s = value.scalar, let t = Instant(parsing: s.text) else { fail("`wait_until` needs a date or datetime", value.span, nil); return nil }
            return ScenarioStep(kind: .waitUntil(t), span: key.span, label: label)
        case "event":
            guard let s = value.scalar else { fail("`event` names the event", value.span, nil); return nil }
            let node = YAMLNode.mapping(pairs, span)
            return ScenarioStep(kind: .event(name: s.text, data: node["data"].map(YAMLData.json) ?? .object([]), instance: node["instance"]?.scalar?.text,
                                             id: node["id"]?.scalar?.text, refused: node["refused"].map(YAMLData.text)),
                                span: key.span, label: "event \(s.text)")
        default:
            let kinds = ["expect", "expect_effect", "expect_no_effect", "expect_effects", "expect_decision", "wait", "wait_until", "event"]
            fail("unknown step `\(key.text)`", key.span, Suggest.didYouMean(key.text, in: kinds) ?? "steps: \(kinds.joined(separator: ", "))")
            return nil
        }
    }
}

/// YAML data (inputs, event data) → JSON, typed later against the declared fields.
enum YAMLData {
    static func json(_ node: YAMLNode) -> JSON {
        switch node {
        case .scalar(let s):
            if s.style == .plain {
                if s.isNull { return .null }
                if s.text == "true" { return .bool(true) }
                if s.text == "false" { return .bool(false) }
                if let n = ExactDecimal(s.text) { return .number(n) }
            }
            return .string(s.text)
        case .sequence(let items, _): return .array(items.map(json))
        case .mapping(let pairs, _): return .object(pairs.map { ($0.key.text, json($0.value)) })
        }
    }

    /// Canonical text for comparisons: money `1240.00 EUR`, dates `2026-01-31`.
    static func text(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let s):
            if let m = Money(parsing: s.text) { return m.description }
            if let n = ExactDecimal(s.text) { return n.description }
            return s.text
        case .sequence(let items, _): return "[" + items.map(text).joined(separator: ", ") + "]"
        case .mapping(let pairs, _): return "{" + pairs.map { "\($0.key.text): \(text($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
