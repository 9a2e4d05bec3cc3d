import Foundation
import O2CCore
import O2CLoader
import O2CModel

/// What the whole run was asked to do.
struct Options {
    var quick = false
    var only: Set<String> = []
    var root = "."
    var o2c: String?
    var child: [String] = []
    /// `--orders N`: the interpreter group's order count (for profiling small runs).
    var orders: Int?
    /// `--sim-sizes 1000,100000`: the simulation sizes to run.
    var simSizes: [Int]?
    /// `--tick-sizes 500`: the durable tick sizes to run (for profiling small runs).
    var tickSizes: [Int]?

    func runs(_ group: String) -> Bool { only.isEmpty || only.contains(group) }
}

/// One printed figure: `name value unit`, then the target and whether it is met, if it has one.
enum Report {
    static func figure(_ name: String, _ value: Double, _ unit: String, target: Target? = nil, note: String? = nil) {
        var line = "\(name) \(format(value)) \(unit)"
        if let target { line += "   # target \(target.text): \(target.met(value) ? "met" : "MISSED")" }
        if let note { line += (target == nil ? "   # " : "; ") + note }
        out(line)
    }

    /// A line from a child process, relayed as is.
    static func relay(_ line: String) { out(line) }

    /// Unbuffered, so that a parent reading a child's pipe and a person watching see each line at once.
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func info(_ text: String) {
        FileHandle.standardError.write(Data("  [bench] \(text)\n".utf8))
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        if abs(v) >= 100 { return String(Int64(v.rounded())) }
        if abs(v) >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.4f", v)
    }
}

struct Target {
    enum Kind { case atLeast, below }
    var kind: Kind
    var bound: Double
    var text: String
    static func atLeast(_ b: Double, _ text: String) -> Target { Target(kind: .atLeast, bound: b, text: "≥ \(text)") }
    static func below(_ b: Double, _ text: String) -> Target { Target(kind: .below, bound: b, text: "< \(text)") }
    func met(_ v: Double) -> Bool { kind == .atLeast ? v >= bound : v < bound }
}

/// Wall-clock timing.
enum Clock {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let c = ContinuousClock()
        let t0 = c.now
        try body()
        let d = c.now - t0
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Runs `body` (which does `n` operations) until at least `minSeconds` have passed; best rate of `rounds`.
    static func bestRate(rounds: Int, minSeconds: Double, _ body: () -> Int) -> Double {
        var best = 0.0
        for _ in 0..<rounds {
            var ops = 0
            var elapsed = 0.0
            while elapsed < minSeconds { elapsed += seconds { ops += body() } }
            best = max(best, Double(ops) / elapsed)
        }
        return best
    }
}

/// Peak resident set size of this process (VmHWM), in bytes.
func peakRSS() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if parts.count >= 2, let kb = Double(parts[1]) { return kb * 1024 }
    }
    return 0
}

/// The shipped library (workflows/ and rules/ under the project root).
/// `edits` (file suffix, old text, new text) make a candidate policy from the shipped files.
func loadShippedLibrary(_ root: String, edits: [(file: String, old: String, new: String)] = []) -> Library {
    let paths = ["workflows", "rules"].map { root == "." ? $0 : (root as NSString).appendingPathComponent($0) }
    var sources: [LibraryLoader.Source]
    do { (sources, _) = try SourceFiles.read(paths) } catch {
        fatalError("cannot read the library under \(root): \(error) (run from the repository root or pass --root)")
    }
    for e in edits {
        guard let i = sources.firstIndex(where: { $0.path.hasSuffix(e.file) }), sources[i].text.contains(e.old) else {
            fatalError("the bench's policy edit of \(e.file) does not apply to the shipped text")
        }
        sources[i].text = sources[i].text.replacingOccurrences(of: e.old, with: e.new)
    }
    let (library, ds) = LibraryLoader.load(sources)
    if ds.hasErrors {
        fatalError("the shipped library has errors: \(ds.filter { $0.severity == .error }.prefix(3).map(\.message))")
    }
    return library
}

/// Runs this binary again with `--child args…`; returns its stdout lines (relayed figures).
func runChild(_ args: [String], options: Options) -> (lines: [String], status: Int32) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var a = ["--child"] + args + ["--root", options.root]
    if options.quick { a.append("--quick") }
    p.arguments = a
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.standardError
    do { try p.run() } catch { return ([], -1) }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    return (text.split(separator: "\n").map(String.init), p.terminationStatus)
}

/// Median wall time of `runs` runs of `path args` in `cwd`, its exit status and output.
///
/// Spawned with `posix_spawn` and reaped with `waitpid`, not with Foundation's `Process`:
/// `Process.waitUntilExit` polls its run loop every 50 ms on Linux, which put a 50 ms floor under
/// every start-up figure (a 17 ms `o2c --help` measured 67 ms). Output goes to a temporary file,
/// read after the clock stops.
/// Relative paths are resolved against `cwd`.
func timeProgram(_ path: String, _ args: [String], cwd: String, runs: Int) -> (median: Double, status: Int32, output: String) {
    var times: [Double] = []
    var status: Int32 = 0
    var output = ""
    let outPath = NSTemporaryDirectory() + "o2c-bench-out-\(getpid())"
    defer { unlink(outPath) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    // The child inherits the working directory (glibc's addchdir_np is not visible to Swift here);
    // the bench is single-threaded while it spawns.
    let previous = FileManager.default.currentDirectoryPath
    _ = FileManager.default.changeCurrentDirectoryPath(cwd)
    defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
    for _ in 0..<runs {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        var code: Int32 = 0
        let t = Clock.seconds {
            guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { code = -1; return }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            code = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        }
        status = code
        times.append(t)
        output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }
    times.sort()
    return (times[times.count / 2], status, output)
}

/// A fresh temporary directory for database files, removed by `cleanup`.
final class TempDir: Sendable {
    let path: String
    init(_ label: String) {
        path = NSTemporaryDirectory() + "o2c-bench-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

func formatCount(_ n: Int) -> String {
    if n >= 1_000_000 && n % 1_000_000 == 0 { return "\(n / 1_000_000)M" }
    if n >= 1000 && n % 1000 == 0 { return "\(n / 1000)k" }
    return "\(n)"
}
