import Foundation
import O2CCore
import O2CLoader
import O2CModel

/// Where `o2c simulate` reads a policy (a library) from: the working tree, a folder, or a git
/// revision. Read-only in every case: a revision is read with `git show REV:path`, never checked
/// out, so the working tree is untouched.
///
/// File paths are kept relative to the library's root (`rules/credit-policy.yaml`), so that the
/// same file in the baseline and the candidate has the same name in the report.
enum PolicySource {
    /// `workflows/` and `rules/` of the project.
    case workingTree(root: String)
    /// A folder holding `workflows/` and `rules/`, or YAML files directly. A folder with no
    /// workflow in it is laid over the working tree under `root` (see `overlay`).
    case folder(String, root: String)
    /// A commit, tag or branch of the git repository the project is in.
    case git(revision: String, commit: String, root: String)

    /// A folder if such a folder exists, else a git revision if git knows it, else an error.
    static func resolve(_ text: String?, root: String) throws -> PolicySource {
        guard let text else { return .workingTree(root: root) }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: text, isDirectory: &isDir) {
            guard isDir.boolValue else { throw CLIError(message: "`\(text)` is a file; give a folder or a git revision", code: Exit.usage) }
            return .folder(text, root: root)
        }
        let r = Git.run(["rev-parse", "--verify", "--quiet", "\(text)^{commit}"], in: root)
        guard r.status == 0, let commit = r.text.split(separator: "\n").first.map(String.init) else {
            throw CLIError(message: "`\(text)` is neither a folder nor a git revision" + (r.status == 128 || r.text.isEmpty ? " (is \(root) in a git repository?)" : ""),
                           code: Exit.usage)
        }
        return .git(revision: text, commit: commit, root: root)
    }

    /// For the report: "HEAD (89621b0)", "rules-v1/", "working tree".
    var label: String {
        switch self {
        case .workingTree: "working tree"
        case .folder(let f, _): f
        case .git(let rev, let commit, _): "\(rev) (\(commit.prefix(7)))"
        }
    }

    func sources() throws -> ([LibraryLoader.Source], [Diagnostic]) {
        switch self {
        case .workingTree(let root):
            return try Self.read(folder: root, parts: ["workflows", "rules"])
        case .folder(let f, _):
            let parts = ["workflows", "rules"].filter { FileManager.default.fileExists(atPath: (f as NSString).appendingPathComponent($0)) }
            return try Self.read(folder: f, parts: parts.isEmpty ? ["."] : parts)
        case .git(let rev, let commit, let root):
            let list = Git.run(["ls-tree", "-r", "--name-only", commit, "--", "workflows", "rules"], in: root)
            guard list.status == 0 else { throw CLIError(message: "git cannot list `\(rev)`: \(list.error)", code: Exit.usage) }
            var sources: [LibraryLoader.Source] = []
            for path in list.text.split(separator: "\n").map(String.init) where path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                let file = Git.run(["show", "\(commit):./\(path)"], in: root)
                guard file.status == 0 else { throw CLIError(message: "git cannot read `\(path)` at `\(rev)`: \(file.error)", code: Exit.usage) }
                sources.append(LibraryLoader.Source(path: path, text: file.text))
            }
            return (sources, [])
        }
    }

    /// Loads and validates; prints the errors and refuses an invalid library (a policy that does
    /// not load cannot be simulated).
    func load(role: String) throws -> (library: Library, label: String) {
        var (sources, readDiagnostics) = try sources()
        guard !sources.isEmpty else { throw CLIError(message: "the \(role) (\(label)) has no workflow or rules files", code: Exit.usage) }
        var label = label
        if case .folder(let folder, let root) = self, !sources.contains(where: Self.definesWorkflow) {
            let (base, baseDiagnostics) = try PolicySource.workingTree(root: root).sources()
            guard !base.isEmpty else {
                throw CLIError(message: "the \(role) (\(folder)) holds rules but no workflow, and there is no working tree (\(root)) to lay it over", code: Exit.usage)
            }
            sources = Self.overlay(sources, on: base)
            readDiagnostics += baseDiagnostics
            label = "\(folder) over the working tree"
        }
        let (library, ds) = LibraryLoader.load(sources)
        let errors = (readDiagnostics + ds).filter { $0.severity == .error }
        if !errors.isEmpty {
            Console.error(DiagnosticRenderer(sources: library.sources).render(errors.normalized))
            throw CLIError(message: "the \(role) (\(label)) has errors (\(DiagnosticRenderer.summary(errors))); it cannot be simulated", code: Exit.invalid)
        }
        return (library, label)
    }

    /// Whether a file holds a `workflow:` document (a top-level key, as the loader tells them
    /// apart). Decided on the text, not on the loaded library: a workflow that fails to load
    /// must be reported, not replaced by the working tree's.
    static func definesWorkflow(_ source: LibraryLoader.Source) -> Bool {
        source.text.split(separator: "\n").contains { $0.hasPrefix("workflow:") }
    }

    /// The working tree's files with `files` in place of theirs.
    ///
    /// Why: `--baseline rules-v1/ --candidate rules-v2/` is how an analyst compares two versions
    /// of the rules alone; without workflows nothing could start, and the report would say
    /// "nothing changed" about a run in which no order ran. A file replaces the working tree's
    /// file of the same path, else the rules file of the same name (`credit-policy.yaml`
    /// for `rules/credit-policy.yaml`), and keeps that file's path so the report names it the same
    /// under both policies; any other file is added.
    static func overlay(_ files: [LibraryLoader.Source], on base: [LibraryLoader.Source]) -> [LibraryLoader.Source] {
        var merged = base
        for file in files {
            let inRules = "rules/" + (file.path.split(separator: "/").last.map(String.init) ?? file.path)
            if let i = merged.firstIndex(where: { $0.path == file.path }) ?? merged.firstIndex(where: { $0.path == inRules }) {
                merged[i].text = file.text
            } else {
                merged.append(file)
            }
        }
        return merged
    }

    /// Reads `parts` under `folder`, naming each file by its path relative to `folder`.
    private static func read(folder: String, parts: [String]) throws -> ([LibraryLoader.Source], [Diagnostic]) {
        let paths = parts.map { $0 == "." ? folder : (folder == "." ? $0 : (folder as NSString).appendingPathComponent($0)) }
            .filter { FileManager.default.fileExists(atPath: $0) }
        let (sources, ds): ([LibraryLoader.Source], [Diagnostic])
        do throws(SourceFiles.ReadError) { (sources, ds) = try SourceFiles.read(paths) } catch {
            throw CLIError(message: error.description, code: Exit.usage)
        }
        let prefix = folder == "." ? "" : (folder.hasSuffix("/") ? folder : folder + "/")
        return (sources.map { LibraryLoader.Source(path: $0.path.hasPrefix(prefix) ? String($0.path.dropFirst(prefix.count)) : $0.path, text: $0.text) }, ds)
    }
}

/// Runs read-only git commands (`rev-parse`, `ls-tree`, `show`) through Foundation.Process.
enum Git {
    struct Result {
        var status: Int32
        var text: String
        var error: String
    }

    static func run(_ arguments: [String], in folder: String) -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        var env = ProcessInfo.processInfo.environment
        env["GIT_OPTIONAL_LOCKS"] = "0" // never write the index, even for a read
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return Result(status: -1, text: "", error: "cannot run git: \(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, text: String(decoding: o, as: UTF8.self), error: String(decoding: e, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
