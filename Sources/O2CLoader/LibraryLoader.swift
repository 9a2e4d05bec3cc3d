import Crypto
import O2CCore
import O2CModel
import O2CExpr

/// Turns the text of workflow and rules files into one validated `Library`. Pure: the caller
/// reads the files (see `SourceFiles`), so dry-runs can load from git revisions or memory.
///
/// Order matters and is fixed: policy values first (tables, ladders and workflows read them),
/// then decision tables and ladders, then workflows, then cross-file checks.
public enum LibraryLoader {
    public struct Source: Sendable {
        public var path: String
        public var text: String
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// All diagnostics, normalized; the library is returned even with errors when it could be
    /// partly built, so callers decide (validate prints, runtime refuses).
    public static func load(_ sources: [Source]) -> (Library, [Diagnostic]) {
        var ctx = LoadContext()
        var documents: [(file: String, node: YAMLNode)] = []
        var unreadable: Set<String> = []
        for source in sources.sorted(by: { $0.path < $1.path }) {
            let (docs, ds) = YAMLReader.documents(source.text, file: source.path)
            ctx.report(ds)
            if ds.contains(where: { $0.severity == .error }) { unreadable.formUnion(declaredWorkflowNames(source.text)) }
            for d in docs {
                if case .scalar(let s) = d, s.isNull { continue }
                documents.append((source.path, d))
            }
        }
        var policy: [PolicyValue] = []
        var policySeen: [String: Span] = [:]
        var tableDocs: [(String, YAMLNode)] = [], ladderDocs: [(String, YAMLNode)] = [], workflowDocs: [(String, YAMLNode)] = []
        let kinds = ["workflow", "decision", "ladder", "policy"]
        for (file, node) in documents {
            guard case .mapping(let pairs, _) = node else {
                ctx.report(.error("E0006", "a file in the library must be a mapping", at: node.span, label: "found \(node.kindName)",
                                  help: "start the document with `workflow:`, `decision:`, `ladder:` or `policy:`"))
                continue
            }
            if node["workflow"] != nil { workflowDocs.append((file, node)) }
            else if node["decision"] != nil { tableDocs.append((file, node)) }
            else if node["ladder"] != nil { ladderDocs.append((file, node)) }
            else if let p = node["policy"] {
                ctx.checkKeys(pairs, allowed: ["policy", "description"], in: "a policy document")
                for v in ctx.policyValues(p, file: file) {
                    if let first = policySeen[v.name] {
                        ctx.report(Diagnostic(.error, "E0103", "duplicate policy value `\(v.name)`", at: Label(v.span, "declared again here"),
                                              secondary: [Label(first, "first declared here")], notes: ["policy values share one namespace across all files"]))
                        continue
                    }
                    policySeen[v.name] = v.span
                    policy.append(v)
                }
            } else {
                let first = pairs.first?.key
                ctx.report(.error("E0006", "cannot tell what this document defines", at: first?.span ?? node.span,
                                  notes: ["a document starts with one of: \(kinds.joined(separator: ", "))"],
                                  help: first.flatMap { Suggest.didYouMean($0.text, in: kinds) }))
            }
        }
        var library = Library(policy: policy)
        let policyType = library.policyType
        let policyValue = library.policyValue
        var tables: [String: DecisionTable] = [:]
        for (file, node) in tableDocs {
            guard let t = ctx.decisionTable(node, file: file, policyType: policyType) else { continue }
            if let first = tables[t.name] {
                ctx.report(duplicate("decision table", t.name, t.span, first.span))
                continue
            }
            tables[t.name] = t
            library.tables.append(t)
            if !ctx.unanalysedTables.contains(t.name) { ctx.report(TableAnalysis.check(t, policy: policyValue)) }
        }
        var ladders: [String: Ladder] = [:]
        for (file, node) in ladderDocs {
            guard let l = ctx.ladder(node, file: file, policyType: policyType) else { continue }
            if let first = ladders[l.name] {
                ctx.report(duplicate("ladder", l.name, l.span, first.span))
                continue
            }
            ladders[l.name] = l
            library.ladders.append(l)
        }
        let index = LibraryIndex(tables: tables, ladders: ladders, policyType: policyType)
        var workflowSpans: [String: Span] = [:]
        for (file, node) in workflowDocs {
            ctx.suspectStates = []
            guard let wf = ctx.workflow(node, file: file, library: index) else { continue }
            if let first = workflowSpans[wf.name] {
                ctx.report(duplicate("workflow", wf.name, wf.span, first))
                continue
            }
            workflowSpans[wf.name] = wf.span
            ctx.report(WorkflowChecks.check(wf, ladders: ladders, suspect: ctx.suspectStates))
            library.workflows.append(wf)
        }
        // A workflow that failed to load still has a name: `start`s of it are not reported again.
        let declared = unreadable.union(workflowDocs.compactMap { _, node -> String? in
            if case .scalar(let s)? = node["workflow"] { return s.text } else { return nil }
        })
        ctx.report(ChildWorkflowChecks.check(library, declared: declared))
        library.sources = Dictionary(sources.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
        library.hash = contentHash(sources)
        return (library, PolicyTypeHints.annotate(ctx.diagnostics, policy: policy, sources: library.sources).normalized)
    }

    /// `workflow: name` lines at the margin of a file YAML could not read in full.
    static func declaredWorkflowNames(_ text: String) -> [String] {
        let trim: Set<Character> = [" ", "\t", "\r", "\"", "'"]
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("workflow:") else { return nil }
            var name = line.dropFirst("workflow:".count).split(separator: "#").first ?? ""
            while let c = name.first, trim.contains(c) { name = name.dropFirst() }
            while let c = name.last, trim.contains(c) { name = name.dropLast() }
            return name.isEmpty ? nil : String(name)
        }
    }

    /// SHA-256 over the sorted paths and texts: the identity an instance is pinned to.
    public static func contentHash(_ sources: [Source]) -> String {
        var h = SHA256()
        for s in sources.sorted(by: { $0.path < $1.path }) {
            h.update(data: Array(s.path.utf8) + [0] + Array(s.text.utf8) + [0])
        }
        return h.finalize().map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    private static func duplicate(_ kind: String, _ name: String, _ span: Span, _ first: Span) -> Diagnostic {
        Diagnostic(.error, "E0103", "duplicate \(kind) `\(name)`", at: Label(span, "declared again here"),
                   secondary: [Label(first, "first declared here")], help: "rename or remove one of them")
    }
}

/// `start: {workflow: X}` must name a loaded workflow.
///
/// Why `declared`: when a workflow file has an error, the workflow is not loaded; saying that
/// every `start` of it names an unknown workflow would bury the one real error under follow-ons.
enum ChildWorkflowChecks {
    static func check(_ library: Library, declared: Set<String> = []) -> [Diagnostic] {
        let names = library.workflows.map(\.name)
        var ds: [Diagnostic] = []
        for wf in library.workflows {
            for st in wf.states {
                let calls = st.entry + st.exit + WorkflowChecks.outgoing(st).flatMap(\.actions)
                for call in calls where call.name == "start" {
                    guard let target = call.literals["workflow"] else { continue }
                    if library.workflow(target) == nil, !declared.contains(target) {
                        ds.append(.error("E0209", "action `start` names unknown workflow `\(target)`", at: call.span,
                                         notes: ["workflows: \(Suggest.list(names))"], help: Suggest.didYouMean(target, in: names)))
                    }
                }
            }
        }
        return ds
    }
}
