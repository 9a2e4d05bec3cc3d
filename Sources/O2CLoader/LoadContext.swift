import O2CCore
import O2CModel
import O2CExpr

/// Collects diagnostics while walking YAML, with the checks every loader repeats:
/// the right kind of node, known keys (with did-you-mean), required keys, names and durations.
///
/// Loaders never stop at the first problem: each check reports and returns `nil`, and the caller
/// carries on with what it has, so `o2c validate` shows everything in one pass.
struct LoadContext {
    var diagnostics: [Diagnostic] = []
    /// States of the workflow being read that had an error of their own (see `WorkflowChecks`).
    var suspectStates: Set<String> = []
    /// Tables whose `hit` was invalid: their rows are not analysed for overlaps, which would only
    /// judge them by a hit policy the analyst did not write.
    var unanalysedTables: Set<String> = []
    /// The state names of the workflow being read, known before its states are: a transition
    /// may name a state declared further down.
    var workflowStates: Set<String> = []

    mutating func report(_ d: Diagnostic) { diagnostics.append(d) }
    mutating func report(_ ds: [Diagnostic]) { diagnostics.append(contentsOf: ds) }

    mutating func mapping(_ node: YAMLNode, _ what: String) -> [(key: YAMLScalar, value: YAMLNode)]? {
        if case .mapping(let pairs, _) = node { return pairs }
        if case .scalar(let s) = node, s.isNull { return [] }
        report(.error("E0104", "\(what) must be a mapping", at: node.span, label: "found \(node.kindName)",
                      help: "write it as `key: value` lines indented under its parent"))
        return nil
    }

    mutating func sequence(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
        if case .sequence(let items, _) = node { return items }
        if case .scalar(let s) = node, s.isNull { return [] }
        report(.error("E0104", "\(what) must be a list", at: node.span, label: "found \(node.kindName)",
                      help: "write each item on its own line starting with `- `"))
        return nil
    }

    mutating func scalar(_ node: YAMLNode, _ what: String) -> YAMLScalar? {
        if case .scalar(let s) = node { return s }
        report(.error("E0104", "\(what) must be a single value", at: node.span, label: "found \(node.kindName)"))
        return nil
    }

    /// Reports keys not in `allowed` (E0101) with the closest allowed key as help.
    mutating func checkKeys(_ pairs: [(key: YAMLScalar, value: YAMLNode)], allowed: [String], in what: String) {
        for (key, _) in pairs where !allowed.contains(key.text) {
            let synonym = Self.synonyms[key.text].flatMap { allowed.contains($0) ? "use `\($0)`" : nil }
            report(.error("E0101", "unknown key `\(key.text)` in \(what)", at: key.span,
                          notes: ["allowed keys: \(allowed.joined(separator: ", "))"],
                          help: synonym ?? Suggest.didYouMean(key.text, in: allowed)))
        }
    }

    /// Words people reach for from other engines (XState, Step Functions) → ours.
    static let synonyms: [String: String] = [
        "target": "goto", "to": "goto", "next": "goto", "transition": "goto",
        "if": "when", "guard": "when", "cond": "when", "condition": "when",
        "actions": "do", "action": "do", "assign": "set", "initial": "start", "on_entry": "entry", "on_exit": "exit",
        "timers": "after", "timeout": "after", "hit_policy": "hit", "rows": "rules",
    ]

    mutating func required(_ pairs: [(key: YAMLScalar, value: YAMLNode)], _ key: String, in what: String, at span: Span) -> YAMLNode? {
        if let v = pairs.first(where: { $0.key.text == key })?.value { return v }
        report(.error("E0102", "\(what) has no `\(key)`", at: span, help: "add `\(key):`"))
        return nil
    }

    /// A name analysts can write in expressions: letters, digits and `_`, starting with a letter or `_`.
    mutating func name(_ s: YAMLScalar, _ what: String) -> String? {
        let t = s.text
        let ok = !t.isEmpty && t.utf8.first.map { isLetter($0) || $0 == 95 } == true
            && t.utf8.allSatisfy { isLetter($0) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        if ok && !reservedWords.contains(t) { return t }
        report(.error("E0105", "`\(t)` is not a valid \(what) name", at: s.span,
                      notes: ["names use letters, digits and `_`, start with a letter, and are not keywords (\(reservedWords.sorted().joined(separator: ", ")))"],
                      help: "try `\(suggestedName(t))`"))
        return nil
    }

    mutating func duration(_ node: YAMLNode, _ what: String) -> Duration? {
        guard let s = scalar(node, what) else { return nil }
        if let d = Duration(parsing: s.text) { return d }
        report(.error("E0105", "`\(s.text)` is not a duration", at: s.span,
                      notes: ["durations are a number and a unit: `7d`, `36h`, `30m`, `1d12h`, `-3d` (w d h m s)"],
                      help: Int(s.text).map { "write `\($0)d` for \($0) days" }))
        return nil
    }

    mutating func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        guard let s = scalar(node, what) else { return nil }
        switch s.text {
        case "true", "yes", "True": return true
        case "false", "no", "False": return false
        default:
            report(.error("E0105", "\(what) must be `true` or `false`", at: s.span))
            return nil
        }
    }

    mutating func text(_ node: YAMLNode?, _ what: String) -> String {
        guard let node else { return "" }
        return scalar(node, what)?.text ?? ""
    }

    /// Compiles an expression written as a YAML scalar.
    mutating func expression(_ node: YAMLNode, scope: TypeScope, expecting: ExprType? = nil, _ what: String) -> Expression? {
        expression(node, scope: scope, expecting: expecting, what) { $0 }
    }

    /// The same, with the compiler's diagnostics passed through `reword` first (to say what
    /// expected the type, say).
    mutating func expression(_ node: YAMLNode, scope: TypeScope, expecting: ExprType?, _ what: String,
                             reword: (Diagnostic) -> Diagnostic) -> Expression? {
        guard let s = scalar(node, what) else { return nil }
        if s.isNull && s.text.isEmpty {
            report(.error("E0102", "\(what) is empty", at: s.span, help: "write an expression"))
            return nil
        }
        let (e, ds) = Expression.compile(s.text, at: s.span, scope: scope, expecting: expecting)
        report(ds.map(reword))
        return e
    }

    private func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
}

let reservedWords: Set<String> = ["and", "or", "not", "in", "if", "then", "else", "true", "false", "null", "policy", "event", "instance"]

private func suggestedName(_ t: String) -> String {
    var out = ""
    for ch in t.lowercased() {
        if ch.isLetter || ch.isNumber { out.append(ch) } else if !out.hasSuffix("_") { out.append("_") }
    }
    if out.isEmpty || out.first!.isNumber { out = "_" + out }
    if reservedWords.contains(out) { out += "_" }
    return out
}
