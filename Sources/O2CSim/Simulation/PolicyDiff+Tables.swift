import O2CCore
import O2CExpr
import O2CModel

/// Decision tables: hit policy, columns, and rows added, removed, moved or changed cell by cell.
extension PolicyDiff {
    static func tables(_ a: Library, _ b: Library) -> [PolicyChange] {
        var out: [PolicyChange] = []
        let old = Dictionary(a.tables.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let new = Dictionary(b.tables.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for name in Set(old.keys).union(new.keys).sorted() {
            let subject = "table `\(name)`"
            switch (old[name], new[name]) {
            case (let x?, nil): out.append(PolicyChange(file: x.file, subject: subject, kind: .removed, detail: "removed (\(x.rules.count) rows)"))
            case (nil, let y?): out.append(PolicyChange(file: y.file, subject: subject, kind: .added, detail: "added (\(y.rules.count) rows, hit \(y.hitPolicy))"))
            case (let x?, let y?): out += table(x, y)
            case (nil, nil): break
            }
        }
        return out
    }

    static func table(_ x: DecisionTable, _ y: DecisionTable) -> [PolicyChange] {
        var out: [PolicyChange] = []
        let subject = "table `\(y.name)`"
        func add(_ s: String, _ kind: PolicyChange.Kind, _ detail: String) { out.append(PolicyChange(file: y.file, subject: s, kind: kind, detail: detail)) }
        if x.hitPolicy != y.hitPolicy { add(subject, .changed, "hit policy \(x.hitPolicy) → \(y.hitPolicy)") }
        let oldIn = x.inputs.map { "\($0.name): \($0.type)" }, newIn = y.inputs.map { "\($0.name): \($0.type)" }
        for c in Set(oldIn).subtracting(newIn).sorted() { add(subject, .removed, "input `\(c)` removed") }
        for c in Set(newIn).subtracting(oldIn).sorted() { add(subject, .added, "input `\(c)` added") }
        let oldOut = x.outputs.map(outputText), newOut = y.outputs.map(outputText)
        for c in Set(oldOut).subtracting(newOut).sorted() { add(subject, .removed, "output `\(c)` removed") }
        for c in Set(newOut).subtracting(oldOut).sorted() { add(subject, .added, "output `\(c)` added") }

        let oldRows = x.rules.map { RowText($0, x) }, newRows = y.rules.map { RowText($0, y) }
        for step in Alignment.align(oldRows.map(\.signature), newRows.map(\.signature)) {
            switch step {
            case .same: continue
            case .removed(let i): add("\(subject) row \(oldRows[i].number)", .removed, "removed: \(oldRows[i].signature)")
            case .added(let j): add("\(subject) row \(newRows[j].number)", .added, "added: \(newRows[j].signature)")
            case .moved(let i, let j): add("\(subject) row \(newRows[j].number)", .changed, "moved from row \(oldRows[i].number): \(newRows[j].signature)")
            case .changed(let i, let j):
                let was = oldRows[i].number == newRows[j].number ? "" : " (was row \(oldRows[i].number))"
                add("\(subject) row \(newRows[j].number)\(was)", .changed, RowText.difference(oldRows[i], newRows[j]))
            }
        }
        return out
    }

    static func outputText(_ o: TableOutput) -> String {
        var s = "\(o.name): \(o.type)"
        if !o.values.isEmpty { s += " [\(o.values.map(\.plainText).joined(separator: ", "))]" }
        if let d = o.defaultValue { s += " default \(d.source)" }
        return s
    }
}

/// A table row as analysts read it: `when {cells} then {outputs}`, cells by column name.
struct RowText {
    var number: Int
    var cells: [(String, String)]
    var outputs: [(String, String)]

    init(_ r: TableRule, _ t: DecisionTable) {
        number = r.number
        cells = zip(t.inputs, r.tests).compactMap { input, test in
            if case .any = test.kind { return nil }
            return (input.name, test.source)
        }
        outputs = zip(t.outputs, r.outputs).map { ($0.name, $1.source) }
    }

    var signature: String {
        "when {" + cells.map { "\($0): \($1)" }.joined(separator: ", ") + "} then {" + outputs.map { "\($0): \($1)" }.joined(separator: ", ") + "}"
    }

    /// "`exposure` `<= policy.new_customer_limit` → `<= 3000.00 EUR`; `decision` approve → review".
    static func difference(_ a: RowText, _ b: RowText) -> String {
        func diff(_ x: [(String, String)], _ y: [(String, String)], any: String) -> [String] {
            let dx = Dictionary(x, uniquingKeysWith: { p, _ in p }), dy = Dictionary(y, uniquingKeysWith: { p, _ in p })
            var names = x.map(\.0)
            for (n, _) in y where !names.contains(n) { names.append(n) }
            return names.compactMap { n in
                let old = dx[n] ?? any, new = dy[n] ?? any
                return old == new ? nil : "`\(n)` `\(old)` → `\(new)`"
            }
        }
        let parts = diff(a.cells, b.cells, any: "-") + diff(a.outputs, b.outputs, any: "null")
        return parts.isEmpty ? "reordered" : parts.joined(separator: "; ")
    }
}
