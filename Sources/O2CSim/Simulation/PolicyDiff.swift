import O2CCore
import O2CModel

/// What changed in the policy between two libraries: policy values, decision tables, dunning
/// ladders and workflows, compared by name and meaning (see `PolicyChange`).
///
/// Pure: two `Library` values in, changes out, in a fixed order (policy values, tables,
/// ladders, workflows; each by name), so the same two libraries always print the same report.
public enum PolicyDiff {
    public static func compare(_ baseline: Library, _ candidate: Library) -> [PolicyChange] {
        policy(baseline, candidate) + tables(baseline, candidate) + ladders(baseline, candidate) + workflows(baseline, candidate)
    }

    static func policy(_ a: Library, _ b: Library) -> [PolicyChange] {
        var out: [PolicyChange] = []
        let old = Dictionary(a.policy.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let new = Dictionary(b.policy.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for name in Set(old.keys).union(new.keys).sorted() {
            let subject = "`policy.\(name)`"
            switch (old[name], new[name]) {
            case (let x?, nil):
                out.append(PolicyChange(file: x.file, subject: subject, kind: .removed, detail: "removed (was \(x.value))"))
            case (nil, let y?):
                out.append(PolicyChange(file: y.file, subject: subject, kind: .added, detail: "added: \(y.value)" + usage(name, in: b)))
            case (let x?, let y?):
                if x.type != y.type {
                    out.append(PolicyChange(file: y.file, subject: subject, kind: .changed, detail: "\(x.value) (\(x.type)) → \(y.value) (\(y.type))" + usage(name, in: b)))
                } else if x.value != y.value {
                    out.append(PolicyChange(file: y.file, subject: subject, kind: .changed, detail: change(x.value, y.value) + usage(name, in: b)))
                }
            case (nil, nil):
                break
            }
        }
        return out
    }

    /// A list says which items came and went ("added 2026-12-24; removed 2026-04-03"): twelve
    /// holidays printed twice hide the one that changed.
    static func change(_ a: Value, _ b: Value) -> String {
        guard case .list(let xs) = a, case .list(let ys) = b else { return "\(a) → \(b)" }
        let added = ys.filter { !xs.contains($0) }, removed = xs.filter { !ys.contains($0) }
        if added.isEmpty && removed.isEmpty { return "the same \(xs.count) items, in another order: \(b)" }
        var parts: [String] = []
        if !added.isEmpty { parts.append("added " + added.map(\.description).joined(separator: ", ")) }
        if !removed.isEmpty { parts.append("removed " + removed.map(\.description).joined(separator: ", ")) }
        return parts.joined(separator: "; ") + " (\(xs.count) → \(ys.count) items)"
    }

    /// " (used by table `credit_decision`, ladder `b2b`)": where a changed value takes effect,
    /// so an analyst sees which decisions it moves without opening the files.
    static func usage(_ name: String, in library: Library) -> String {
        let needle = "policy.\(name)"
        func mentions(_ text: String) -> Bool {
            var rest = text[...]
            while let r = rest.range(of: needle) {
                let after = rest[r.upperBound...].first
                if after == nil || !(after!.isLetter || after!.isNumber || after! == "_") { return true }
                rest = rest[r.upperBound...]
            }
            return false
        }
        var users: [String] = []
        for t in library.tables.sorted(by: { $0.name < $1.name }) {
            let texts = t.rules.flatMap { $0.tests.map(\.source) + $0.outputs.map(\.source) } + t.outputs.compactMap { $0.defaultValue?.source }
            if texts.contains(where: mentions) { users.append("table `\(t.name)`") }
        }
        for l in library.ladders.sorted(by: { $0.name < $1.name }) where l.expressions.map(\.source).contains(where: mentions) {
            users.append("ladder `\(l.name)`")
        }
        for w in library.workflows.sorted(by: { $0.name < $1.name }) where StateText.expressions(w).contains(where: mentions) {
            users.append("workflow `\(w.name)`")
        }
        return users.isEmpty ? " (not used)" : " (used by \(users.joined(separator: ", ")))"
    }
}
