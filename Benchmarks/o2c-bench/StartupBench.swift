import Foundation
import O2CModel
import O2CRuntime
import O2CStore

/// Figure 6: wall time of the release `o2c` binary: `o2c validate` on the shipped library, and
/// `o2c show ID` on a database of 100k instances (medians of several spawns).
enum StartupBench {
    static func main(_ options: Options, library: Library) {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let o2c = options.o2c ?? exe.appendingPathComponent("o2c").path
        guard FileManager.default.isExecutableFile(atPath: o2c) else {
            Report.info("no o2c binary at \(o2c): build it with `swift build -c release --product o2c` (same scratch path), or pass --o2c PATH; start-up figures skipped")
            return
        }
        let runs = options.quick ? 3 : 7
        _ = timeProgram(o2c, ["validate"], cwd: options.root, runs: 1) // warm the page cache
        let v = timeProgram(o2c, ["validate"], cwd: options.root, runs: runs)
        if v.status != 0 { Report.info("o2c validate exited \(v.status): \(v.output.prefix(300))") }
        Report.figure("startup.validate.seconds", v.median, "s", target: .below(0.05, "50 ms"), note: "median of \(runs), exit \(v.status)")
        let noHandlers = timeProgram(o2c, ["validate", "--no-handlers"], cwd: options.root, runs: runs)
        Report.figure("startup.validate_no_handlers.seconds", noHandlers.median, "s", note: "median of \(runs), exit \(noHandlers.status)")
        let version = timeProgram(o2c, ["--help"], cwd: options.root, runs: runs)
        Report.figure("startup.help.seconds", version.median, "s", note: "process start alone (o2c --help)")

        // o2c show on a database of N instances (the durable group's ticked database if it ran).
        let n = options.quick ? 10_000 : 100_000
        var path: String
        let dir = TempDir("show")
        defer { dir.cleanup() }
        if let t = DurableBench.tickedDatabase, t.count == n {
            path = t.path
        } else {
            path = Fixtures.invoices(n, library: library, into: dir.file("show-\(n).sqlite"))
            do {
                let store = try SQLiteStore.open(path: path, synchronous: .normal)
                try Fixtures.runtime(store, library).tick(now: Fixtures.firstReminder, dispatchOutbox: false)
            } catch { Report.info("show fixture: \(error)") }
        }
        Fixtures.checkpoint(path)
        let counts = Fixtures.Counts.read(path)
        let id = "invoice-\(n / 2)"
        _ = timeProgram(o2c, ["show", id, "--db", path], cwd: options.root, runs: 1)
        let s = timeProgram(o2c, ["show", id, "--db", path], cwd: options.root, runs: runs)
        if s.status != 0 { Report.info("o2c show exited \(s.status): \(s.output.prefix(300))") }
        Report.figure("startup.show_\(formatCount(n)).seconds", s.median, "s", target: n == 100_000 ? .below(0.02, "20 ms") : nil,
                      note: "median of \(runs); \(counts.instance) instances, \(counts.outbox) outbox rows, \(counts.history) history rows")
    }
}
