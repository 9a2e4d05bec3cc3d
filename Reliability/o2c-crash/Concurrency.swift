import Foundation
import O2CCore
import O2CStore

/// `o2c-crash concurrency [--seconds 20] [--instances 20] [--o2c PATH]`: four kinds of o2c
/// processes on one database at once, for a bounded time:
///
/// - `advance`: payments of 1.00 EUR with unique event ids, round-robin over the instances (two
///   loops at once); every fifth one is sent a second time with the same event id;
/// - `tick` on the real clock, in a loop;
/// - `worker`, running throughout;
/// - `list --json`, in a loop.
///
/// The `ledger` instances each have three timers (2 s, 4 s, 6 s after start) that tick and worker
/// race for. Afterwards: every timer fired exactly once, every acknowledged payment counted once
/// (balance = total − payments), no "database is locked" on any stderr, `o2c verify` passes.
enum Concurrency {
    struct Options {
        var seconds = 20.0
        var instances = 20
        var o2c: String?
        var work: String?
        var keep = false
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: Int] = [:]
        private var texts: [String] = []
        func add(_ key: String, _ n: Int = 1) { lock.withLock { values[key, default: 0] += n } }
        func get(_ key: String) -> Int { lock.withLock { values[key] ?? 0 } }
        func note(_ s: String) { lock.withLock { if texts.count < 20 { texts.append(s) } } }
        var notes: [String] { lock.withLock { texts } }
    }

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String]) -> Never {
        var o = Options()
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            func value() -> String { i += 1; return i < arguments.count ? arguments[i] : "" }
            switch a {
            case "--seconds": o.seconds = Double(value()) ?? 20
            case "--instances": o.instances = Int(value()) ?? 20
            case "--o2c": o.o2c = value()
            case "--work": o.work = value()
            case "--keep": o.keep = true
            default:
                FileHandle.standardError.write(Data("o2c-crash concurrency: unknown argument \(a)\n".utf8))
                exit(2)
            }
            i += 1
        }
        let opts = o
        let fm = FileManager.default
        let o2c = o.o2c ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("o2c").path
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/crash").path
        let work = o.work ?? NSTemporaryDirectory() + "o2c-concurrency-\(getpid())"
        try? fm.removeItem(atPath: work)
        try! fm.copyItem(atPath: fixture, toPath: work)
        let db = work + "/o2c.sqlite"
        let counter = Counter()

        @Sendable func launch(_ args: [String]) -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: o2c)
            p.arguments = args + ["--db", db, "--actor", "concurrency-harness"]
            p.currentDirectoryURL = URL(fileURLWithPath: work)
            var env = ProcessInfo.processInfo.environment
            env["SWIFT_BACKTRACE"] = "enable=no"
            p.environment = env
            return p
        }
        @Sendable func run(_ args: [String]) -> Output {
            let p = launch(args)
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try! p.run()
            // stdout of `list` can exceed a pipe buffer: read both ends before waiting.
            let errBox = Box()
            let t = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); errBox.done.signal() }
            t.start()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            errBox.done.wait()
            p.waitUntilExit()
            return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: errBox.data, as: UTF8.self))
        }
        @Sendable func screen(_ r: Output, _ what: String) {
            let e = r.stderr.lowercased()
            if e.contains("locked") || e.contains("busy") {
                counter.add("locked")
                counter.note("\(what): \(r.stderr.prefix(200))")
            }
            if r.status != 0 {
                counter.add("failed")
                counter.note("\(what) exited \(r.status): \(r.stderr.prefix(200))")
            }
        }

        say("o2c-crash concurrency: \(o.instances) ledger instances, \(Int(o.seconds)) s, o2c \(o2c), project \(work)")
        for n in 0..<o.instances {
            let r = run(["start", "ledger", "--id", "L\(n)", "--set", "total=1000.00 EUR"])
            screen(r, "start L\(n)")
        }
        let startedAt = Date()
        let deadline = startedAt.addingTimeInterval(o.seconds)
        // Acknowledged payments per instance, by event id (a duplicate id must not count twice).
        let applied = Applied()

        let worker = launch(["worker", "--poll", "1s"])
        let workerErr = Pipe()
        worker.standardError = workerErr
        worker.standardOutput = FileHandle.nullDevice
        try! worker.run()
        let workerBox = Box()
        let workerReader = Thread { workerBox.data = workerErr.fileHandleForReading.readDataToEndOfFile(); workerBox.done.signal() }
        workerReader.start()

        let group = DispatchGroup()
        for loop in 0..<2 {
            group.enter()
            Thread {
                var n = 0
                while Date() < deadline {
                    let target = "L\((n * 2 + loop) % opts.instances)"
                    let eventId = "pay-\(loop)-\(n)"
                    let r = run(["advance", target, "payment", "--data", #"{"amount": "1.00 EUR"}"#, "--event-id", eventId])
                    screen(r, "advance \(target) \(eventId)")
                    counter.add("advances")
                    if r.status == 0 { applied.add(target, eventId) }
                    if n % 5 == 0 {
                        let again = run(["advance", target, "payment", "--data", #"{"amount": "1.00 EUR"}"#, "--event-id", eventId])
                        screen(again, "advance again \(target) \(eventId)")
                        counter.add("resent")
                        if again.status == 0 && !again.stdout.contains("already processed") {
                            counter.add("duplicateApplied")
                            counter.note("\(eventId) applied twice")
                        }
                    }
                    n += 1
                }
                group.leave()
            }.start()
        }
        group.enter()
        Thread {
            while Date() < deadline {
                screen(run(["tick"]), "tick")
                counter.add("ticks")
            }
            group.leave()
        }.start()
        group.enter()
        Thread {
            while Date() < deadline {
                let r = run(["list", "--json", "--limit", "100000"])
                screen(r, "list")
                counter.add("lists")
            }
            group.leave()
        }.start()
        group.wait()
        // Let the last timers (6 s after the last start) come due, then one more tick.
        let settle = startedAt.addingTimeInterval(7).timeIntervalSinceNow
        if settle > 0 { usleep(UInt32(settle * 1_000_000)) }
        kill(worker.processIdentifier, SIGTERM)
        worker.waitUntilExit()
        workerBox.done.wait()
        screen(Output(status: worker.terminationStatus, stdout: "", stderr: String(decoding: workerBox.data, as: UTF8.self)), "worker")
        screen(run(["tick"]), "final tick")

        // Checks, through the store (read-only).
        let store = try! SQLiteStore.open(path: db, readOnly: true)
        var doubleFired = 0, missedTimers = 0, lostUpdates = 0, wrongBalances = 0, paymentsCounted = 0
        for n in 0..<o.instances {
            let id = "L\(n)"
            let history = try! store.history(instanceId: id)
            var timers: [String: Int] = [:]
            var payments = 0
            for h in history {
                let j = try? JSON.parse(h.data)
                if h.kind == "timer", case .string(let key)? = j?["key"] { timers[key, default: 0] += 1 }
                if h.kind == "event" { payments += 1 }
            }
            for key in ["after.0", "after.1", "after.2"] {
                let c = timers[key] ?? 0
                if c > 1 { doubleFired += c - 1; counter.note("\(id): timer \(key) fired \(c) times") }
                if c == 0 { missedTimers += 1; counter.note("\(id): timer \(key) never fired") }
            }
            let expected = applied.count(id)
            paymentsCounted += payments
            if payments != expected {
                lostUpdates += abs(payments - expected)
                counter.note("\(id): \(expected) payments acknowledged, \(payments) in history")
            }
            let shown = run(["show", id, "--json"])
            let balance = (try? JSON.parse(shown.stdout))?["context"]?["balance"]
            let want = "\(1000 - expected).00 EUR"
            if case .string(let b)? = balance, b == want {} else {
                wrongBalances += 1
                counter.note("\(id): balance \(balance.map { $0.serialized() } ?? "?"), expected \(want)")
            }
        }
        let verify = run(["verify"])
        let failedOther = counter.get("failed")
        let clean = doubleFired + missedTimers + lostUpdates + wrongBalances + counter.get("locked") + failedOther
            + counter.get("duplicateApplied") == 0 && verify.status == 0
        say("processes: advance ×2, tick, worker, list; \(counter.get("advances")) advances + \(counter.get("resent")) resent ids, "
              + "\(counter.get("ticks")) ticks, \(counter.get("lists")) lists in \(Int(o.seconds)) s")
        say("payments acknowledged: \(applied.total), counted in history: \(paymentsCounted), lost updates: \(lostUpdates), wrong balances: \(wrongBalances), "
              + "duplicate ids applied twice: \(counter.get("duplicateApplied"))")
        say("timers: \(o.instances * 3) expected, double-fired: \(doubleFired), missed: \(missedTimers)")
        say("\"database is locked\" shown: \(counter.get("locked")), failed commands: \(failedOther), verify: \(verify.status == 0 ? "ok" : "FAILED")")
        for note in counter.notes { print("  " + note) }
        say("concurrency: \(clean ? "ok" : "FAILED")")
        if !o.keep && clean { try? fm.removeItem(atPath: work) } else { print("project kept at \(work)") }
        exit(clean ? 0 : 1)
    }

    final class Box: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }

    final class Applied: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: [String: Set<String>] = [:]
        func add(_ instance: String, _ eventId: String) { _ = lock.withLock { ids[instance, default: []].insert(eventId) } }
        func count(_ instance: String) -> Int { lock.withLock { ids[instance]?.count ?? 0 } }
        var total: Int { lock.withLock { ids.values.reduce(0) { $0 + $1.count } } }
    }
}
