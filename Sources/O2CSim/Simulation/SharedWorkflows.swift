import O2CCore
import O2CExpr
import O2CModel

/// The workflows whose every step is the same under both libraries, so the simulator can take
/// each of their steps once for both policies (`PairedEngine`).
///
/// A step reads its workflow's definition, the decision tables and dunning ladders its states
/// name, and the `policy` values its expressions (and those tables' and ladders' expressions)
/// read — nothing else of the library but its hash, which the paired engine rewrites. So a
/// workflow is shared when all of these are the same on both sides:
/// - its definition, and every table and ladder it names: found in both libraries, in the same
///   file at the same place, and that file's text is byte-identical (so spans in failure
///   messages agree too);
/// - every policy value it reads, by the references the type checker recorded (`policy.x`); an
///   expression that reads `policy` whole depends on every value.
///
/// Conservative by design: a false "changed" only costs a second computation, while a false
/// "shared" would report a wrong outcome; debug builds recompute shared steps under the
/// candidate and check they agree.
public enum SharedWorkflows {
    public static func compute(_ baseline: Library, _ candidate: Library) -> Set<String> {
        let changedPolicy = changedPolicyNames(baseline, candidate)
        var names: Set<String> = []
        for w in baseline.workflows where isShared(w, baseline, candidate, changedPolicy) { names.insert(w.name) }
        return names
    }

    /// Names of the policy values that differ (added, removed, another value or type).
    static func changedPolicyNames(_ a: Library, _ b: Library) -> Set<String> {
        let old = Dictionary(a.policy.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let new = Dictionary(b.policy.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        var changed: Set<String> = []
        for name in Set(old.keys).union(new.keys) {
            let x = old[name], y = new[name]
            if x?.value != y?.value || x?.type != y?.type { changed.insert(name) }
        }
        return changed
    }

    static func isShared(_ w: Workflow, _ a: Library, _ b: Library, _ changedPolicy: Set<String>) -> Bool {
        guard let other = b.workflow(w.name), a.workflow(w.name)?.span == w.span,
              same(w.file, w.span, other.file, other.span, a, b) else { return false }
        var expressions = w.expressions
        for name in Set(w.states.flatMap { $0.decide.map(\.table) }) {
            guard let more = sameDefinition(a.table(name), b.table(name), a, b, file: \.file, span: \.span, expressions: \.expressions) else { return false }
            expressions += more
        }
        for name in Set(w.states.compactMap { $0.ladder?.ladder }) {
            guard let more = sameDefinition(a.ladder(name), b.ladder(name), a, b, file: \.file, span: \.span, expressions: \.expressions) else { return false }
            expressions += more
        }
        guard !changedPolicy.isEmpty else { return true }
        for e in expressions {
            for r in e.references where r == "policy" || r.hasPrefix("policy.") {
                guard r != "policy" else { return false }
                let name = r.dropFirst("policy.".count).split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
                if changedPolicy.contains(name) { return false }
            }
        }
        return true
    }

    /// A table or ladder a workflow names: its expressions when it is the same on both sides (or
    /// absent from both), `nil` when it differs.
    static func sameDefinition<T>(_ x: T?, _ y: T?, _ a: Library, _ b: Library, file: (T) -> String, span: (T) -> Span,
                                  expressions: (T) -> [Expression]) -> [Expression]? {
        switch (x, y) {
        case (nil, nil): return []
        case (let x?, let y?): return same(file(x), span(x), file(y), span(y), a, b) ? expressions(x) : nil
        default: return nil
        }
    }

    /// The same definition: same file, same place, byte-identical file text on both sides.
    static func same(_ fileA: String, _ spanA: Span, _ fileB: String, _ spanB: Span, _ a: Library, _ b: Library) -> Bool {
        guard fileA == fileB, spanA == spanB, let textA = a.sources[fileA], let textB = b.sources[fileB] else { return false }
        return textA == textB
    }
}
