// o2c-crash: the crash-safety harness (docs/reliability.md).
//
//   swift build --product o2c && swift build --product o2c-crash
//   .build/debug/o2c-crash concurrency [--seconds 20] [--instances 20]    (Concurrency.swift)
//   .build/debug/o2c-crash [--trials 50] [--instances 10000] [--o2c PATH] [--seed N] [--work DIR] [--keep]
//
// A copy of Reliability/fixtures/crash is the project. Each trial starts its share of the
// instances (in this process, through the runtime, at "now - 2h", so both their timers are due
// on the real clock), runs `o2c tick --now <real now>` (even trials) or `o2c worker` (odd trials),
// kills it with SIGKILL at a random moment, runs it again to completion, and checks every
// instance started so far: each timer fired exactly once, both transitions taken exactly once,
// the one effect delivered (by the exec handler `bin/record`, which appends the effect id to
// deliveries.log) with its effect id, and `o2c verify` passes. Then the failing/hanging handler
// trial: retries with backoff, a dead letter after the limit, nothing pending forever.
import Foundation
import Logging
import O2CCore
import O2CLoader
import O2CModel
import O2CRuntime
import O2CStore

if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "concurrency" {
    Concurrency.run(Array(CommandLine.arguments.dropFirst(2)))
}

struct Options {
    var trials = 50
    var instances = 10_000
    var o2c: String?
    var seed: UInt64?
    var work: String?
    var keep = false
    var handlers = true

    init(_ args: [String]) {
        var i = 0
        func value() -> String {
            i += 1
            guard i < args.count else { fail("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--trials": trials = Int(value()) ?? 0
            case "--instances": instances = Int(value()) ?? 0
            case "--o2c": o2c = value()
            case "--seed": seed = UInt64(value())
            case "--work": work = value()
            case "--keep": keep = true
            case "--no-handlers": handlers = false
            case "-h", "--help":
                say("usage: o2c-crash [--trials 50] [--instances 10000] [--o2c PATH] [--seed N] [--work DIR] [--keep] [--no-handlers]")
                exit(0)
            default: fail("unknown argument \(args[i])")
            }
            i += 1
        }
        if trials < 1 || instances < trials { fail("--trials must be ≥ 1 and --instances ≥ --trials") }
    }
}

/// Unbuffered, so progress shows while the trials run.
func say(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("o2c-crash: \(message)\n".utf8))
    exit(2)
}

/// A small deterministic generator (SplitMix64), so `--seed` replays the same kill moments.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let seed = options.seed ?? UInt64.random(in: 1...UInt64.max)
var rng = SplitMix(state: seed)
let fm = FileManager.default
let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures/crash").path
let o2c = options.o2c ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    .appendingPathComponent("o2c").path
guard fm.isExecutableFile(atPath: o2c) else { fail("no o2c binary at \(o2c) (build it: swift build --product o2c, or pass --o2c)") }

let work = options.work ?? NSTemporaryDirectory() + "o2c-crash-\(getpid())"
try? fm.removeItem(atPath: work)
do { try fm.copyItem(atPath: fixture, toPath: work) } catch { fail("cannot copy \(fixture) to \(work): \(error)") }
let db = work + "/o2c.sqlite"
let deliveriesLog = work + "/deliveries.log"

// MARK: - Running o2c

struct ProcRun {
    var status: Int32
    var stderr: String
    var seconds: Double
    var killed: Bool
}

func now() -> Double { Date().timeIntervalSince1970 }

/// Starts `o2c args…` in the project folder; stdout is discarded, stderr kept.
func launch(_ args: [String], stdout: Pipe? = nil) -> (Process, Pipe) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: o2c)
    p.arguments = args + ["--db", db, "--actor", "crash-harness", "--synchronous", "full"]
    p.currentDirectoryURL = URL(fileURLWithPath: work)
    var env = ProcessInfo.processInfo.environment
    env["SWIFT_BACKTRACE"] = "enable=no"
    p.environment = env
    let err = Pipe()
    p.standardError = err
    if let stdout { p.standardOutput = stdout } else { p.standardOutput = FileHandle.nullDevice }
    do { try p.run() } catch { fail("cannot run \(o2c): \(error)") }
    return (p, err)
}

func finish(_ p: Process, _ err: Pipe, started: Double, killed: Bool) -> ProcRun {
    let data = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return ProcRun(status: p.terminationStatus, stderr: String(decoding: data, as: UTF8.self), seconds: now() - started, killed: killed)
}

func runToEnd(_ args: [String]) -> ProcRun {
    let t = now()
    let (p, err) = launch(args)
    return finish(p, err, started: t, killed: false)
}

/// Runs `args`, SIGKILLs it after `delay` seconds if it is still running.
func runAndKill(_ args: [String], after delay: Double) -> ProcRun {
    let t = now()
    let (p, err) = launch(args)
    // Read stderr on another thread so a chatty child never blocks on a full pipe.
    let box = StderrBox()
    let reader = Thread { box.set(err.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    var killed = false
    while now() - t < delay {
        if !p.isRunning { break }
        usleep(2_000)
    }
    if p.isRunning {
        kill(p.processIdentifier, SIGKILL)
        killed = true
    }
    p.waitUntilExit()
    while !box.done { usleep(1_000) }
    return ProcRun(status: p.terminationStatus, stderr: box.text, seconds: now() - t, killed: killed)
}

final class StderrBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var finished = false
    func set(_ d: Data) { lock.withLock { data = d; finished = true } }
    var done: Bool { lock.withLock { finished } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

// MARK: - The store and runtime in this process (to start instances and to check)

let store: SQLiteStore
do { store = try SQLiteStore.open(path: db, synchronous: .normal) } catch { fail("cannot open \(db): \(error)") }
let library: Library
do {
    let (sources, _) = try SourceFiles.read([work + "/workflows"])
    let (lib, ds) = LibraryLoader.load(sources)
    if ds.hasErrors { fail("the fixture library has errors: \(ds)") }
    library = lib
} catch { fail("cannot read the fixture: \(error)") }
let runtime = Runtime(store: store, library: library, handlers: HandlerRegistry(config: RuntimeConfig(), projectRoot: work, logger: Logger(label: "o2c-crash")),
                      retry: RetryPolicy(), actor: "crash-harness")

func realNow() -> Instant { Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

// MARK: - Checks

struct Tally {
    var lost = 0
    var duplicated = 0
    var undelivered = 0
    var redelivered = 0
    var foreignKeys = 0
    var broken = 0
    var lockedMessages = 0
    var failedRuns = 0
    var problems: [String] = []

    mutating func note(_ s: String) { if problems.count < 20 { problems.append(s) } }
    var clean: Bool { lost + duplicated + undelivered + foreignKeys + broken + lockedMessages + failedRuns == 0 }
}

func stateOf(_ h: HistoryRecord) -> String {
    guard let j = try? JSON.parse(h.data), case .object(let o)? = Value(taggedJSON: j), case .string(let s)? = o["state"] else { return "?" }
    return s
}

/// Checks every instance started so far; returns this trial's tally.
func check(started ids: [String]) -> Tally {
    var t = Tally()
    let outbox: [OutboxRecord]
    do { outbox = try store.outbox(status: nil) } catch { fail("cannot read the outbox: \(error)") }
    var effectsOf: [String: [OutboxRecord]] = [:]
    for o in outbox { effectsOf[o.instanceId, default: []].append(o) }
    let lines = ((try? String(contentsOfFile: deliveriesLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    var deliveredCount: [String: Int] = [:]
    for l in lines { deliveredCount[l, default: 0] += 1 }
    let known = Set(outbox.map(\.effectId))
    for (id, n) in deliveredCount {
        if !known.contains(id) { t.foreignKeys += 1; t.note("deliveries.log has `\(id)`, which is no effect id") }
        t.redelivered += n - 1
    }
    for id in ids {
        guard let record = try? store.instance(id: id) else { t.lost += 1; t.note("\(id): missing"); continue }
        let history = (try? store.history(instanceId: id)) ?? []
        var timers: [String: Int] = [:]
        var transitions: [String: Int] = [:]
        var effects = 0, started = 0, completed = 0
        for h in history {
            switch h.kind {
            case "timer":
                let key = (try? JSON.parse(h.data))?["key"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "?"
                timers[stateOf(h) + "/" + key, default: 0] += 1
            case "transition":
                let j = try? JSON.parse(h.data)
                let from = j?["from"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "?"
                let to = j?["to"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "?"
                transitions[from + "→" + to, default: 0] += 1
            case "effect": effects += 1
            case "started": started += 1
            case "completed": completed += 1
            default: break
            }
        }
        for key in ["waiting/after.0", "second/after.0"] {
            let n = timers[key] ?? 0
            if n == 0 { t.lost += 1; t.note("\(id): timer \(key) never fired") }
            if n > 1 { t.duplicated += 1; t.note("\(id): timer \(key) fired \(n) times") }
        }
        if timers.count > 2 { t.duplicated += 1; t.note("\(id): unexpected timers \(timers)") }
        for key in ["waiting→second", "second→done"] {
            let n = transitions[key] ?? 0
            if n == 0 { t.lost += 1; t.note("\(id): transition \(key) missing") }
            if n > 1 { t.duplicated += 1; t.note("\(id): transition \(key) taken \(n) times") }
        }
        if started != 1 || completed != 1 || effects != 1 {
            t.duplicated += (started > 1 || completed > 1 || effects > 1) ? 1 : 0
            t.lost += (started == 0 || completed == 0 || effects == 0) ? 1 : 0
            t.note("\(id): started \(started), completed \(completed), effects \(effects)")
        }
        if record.status != .completed || record.state != "done" {
            t.lost += 1
            t.note("\(id): rests in \(record.state) [\(record.status.rawValue)]")
        }
        let mine = effectsOf[id] ?? []
        if mine.count != 1 { t.undelivered += 1; t.note("\(id): \(mine.count) outbox effects") }
        for e in mine where e.status != .delivered || deliveredCount[e.effectId] == nil {
            t.undelivered += 1
            t.note("\(id): effect \(e.effectId) \(e.status.rawValue), in deliveries.log \(deliveredCount[e.effectId] ?? 0)×")
        }
    }
    let verify = runToEnd(["verify"])
    if verify.status != 0 { t.broken += 1; t.note("o2c verify exited \(verify.status): \(verify.stderr)") }
    return t
}

func screen(_ r: ProcRun, _ what: String, into t: inout Tally) {
    let lower = r.stderr.lowercased()
    if lower.contains("database is locked") || lower.contains("database is busy") || lower.contains("sqlite_busy") {
        t.lockedMessages += 1
        t.note("\(what) showed: \(r.stderr.prefix(300))")
    }
    if !r.killed && r.status != 0 {
        t.failedRuns += 1
        t.note("\(what) exited \(r.status): \(r.stderr.prefix(300))")
    }
}

// MARK: - The trials

say("o2c-crash: \(options.trials) trials, \(options.instances) instances, seed \(seed), o2c \(o2c), project \(work)")
var total = Tally()
var startedIds: [String] = []
var killsLanded = 0
var lastDuration = 2.0
let began = now()
for trial in 0..<options.trials {
    let share = options.instances / options.trials + (trial < options.instances % options.trials ? 1 : 0)
    let startAt = realNow().adding(Duration(seconds: -7200))
    for i in 0..<share {
        let id = "c\(trial)-\(i)"
        do {
            try runtime.start(workflow: "crash", instanceId: id, inputs: JSON.object([("n", JSON.number(ExactDecimal(i)))]), now: startAt)
        } catch { fail("cannot start \(id): \(error)") }
        startedIds.append(id)
    }
    let worker = trial % 2 == 1
    let delay = Double.random(in: 0.05...max(0.1, lastDuration * 1.1), using: &rng)
    var t = Tally()
    let first: ProcRun
    let second: ProcRun
    let label: String
    if worker {
        label = "worker"
        first = runAndKill(["worker", "--poll", "1s"], after: delay)
        // Restart: a worker until every timer has fired and every effect is delivered, then SIGTERM.
        let t0 = now()
        let (p, err) = launch(["worker", "--poll", "1s"])
        let box = StderrBox()
        let reader = Thread { box.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        // At least 2 s: a SIGTERM before the worker has installed its handler (while it still
        // loads the library) ends it by the default action, which proves nothing either way.
        usleep(2_000_000)
        while now() - t0 < 600 {
            usleep(200_000)
            let due = (try? store.dueTimers(at: realNow(), limit: 1)) ?? []
            let pending = (try? store.outbox(status: .pending)) ?? []
            if due.isEmpty && pending.isEmpty { break }
        }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        while !box.done { usleep(1_000) }
        second = ProcRun(status: p.terminationStatus, stderr: box.text, seconds: now() - t0, killed: false)
    } else {
        let batch = [1, 8, 32, 256].randomElement(using: &rng)!
        label = "tick --batch \(batch)"
        let at = realNow().description
        first = runAndKill(["tick", "--now", at, "--batch", String(batch)], after: delay)
        second = runToEnd(["tick", "--now", at, "--batch", String(batch)])
    }
    screen(first, "\(label) (killed run)", into: &t)
    screen(second, "\(label) (restart)", into: &t)
    if first.killed { killsLanded += 1 } else { lastDuration = max(lastDuration, first.seconds) }
    if !worker { lastDuration = max(0.2, second.seconds + (first.killed ? first.seconds : 0)) }
    let c = check(started: startedIds)
    t.lost += c.lost; t.duplicated += c.duplicated; t.undelivered += c.undelivered; t.foreignKeys += c.foreignKeys
    t.broken += c.broken; t.problems += c.problems
    total.lost += t.lost; total.duplicated += t.duplicated; total.undelivered += t.undelivered; total.foreignKeys += t.foreignKeys
    total.broken += t.broken; total.lockedMessages += t.lockedMessages; total.failedRuns += t.failedRuns
    total.redelivered = c.redelivered
    for p in t.problems { total.note("trial \(trial + 1): \(p)") }
    say(String(format: "trial %d/%d  %@  +%d instances (%d)  %@ after %.0f ms  restart %.1f s  %@", trial + 1, options.trials,
                 label, share, startedIds.count, first.killed ? "SIGKILL" : "finished before the kill", first.seconds * 1000,
                 second.seconds, t.clean ? "ok" : "FAILED: \(t.problems.first ?? "")"))
}

say(String(format: "crash trials done in %.0f s: %d instances, %d kills landed mid-run, %d effects redelivered after a kill (at-least-once, same effect id)",
             now() - began, startedIds.count, killsLanded, total.redelivered))
say("trials: \(options.trials), lost: \(total.lost), duplicated: \(total.duplicated), undelivered: \(total.undelivered)"
      + ", unknown keys: \(total.foreignKeys), verify failures: \(total.broken), locked messages: \(total.lockedMessages), failed runs: \(total.failedRuns)")
for p in total.problems { print("  " + p) }

// MARK: - Failing and hanging handlers

var handlersClean = true
if options.handlers {
    // deliver_fail exits 1; deliver_hang sleeps 120 s under a 1 s timeout. Policy: 3 attempts, 1m base delay.
    let t0 = Instant(parsing: "2026-01-01T00:00:00Z")!
    var h = Tally()
    for (id, hang) in [("fail-1", false), ("fail-2", false), ("hang-1", true)] {
        let r = runToEnd(["start", "flaky", "--id", id, "--set", "hang=\(hang)", "--now", t0.description])
        screen(r, "start \(id)", into: &h)
    }
    var ticks = 0
    var pendingAfter: [Int] = []
    var nextAttempts: [String: [Int64]] = [:]
    var slowest = 0.0
    var clock = t0
    while ticks < 12 {
        let pending = (try? store.outbox(status: .pending))?.filter { $0.action.hasPrefix("deliver_") } ?? []
        for o in pending { nextAttempts[o.effectId, default: []].append(o.nextAttemptAt.secondsSinceEpoch - clock.secondsSinceEpoch) }
        pendingAfter.append(pending.count)
        if pending.isEmpty { break }
        clock = clock.adding(Duration(seconds: 60 * 10))
        let r = runToEnd(["tick", "--now", clock.description])
        slowest = max(slowest, r.seconds)
        screen(r, "tick --now \(clock)", into: &h)
        ticks += 1
    }
    let dead = (try? store.outbox(status: .dead))?.filter { $0.action.hasPrefix("deliver_") } ?? []
    let out = Pipe()
    let (lp, lerr) = launch(["outbox", "--dead"], stdout: out)
    let listing = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let deadList = finish(lp, lerr, started: now(), killed: false)
    let listed = deadList.status == 0 && !dead.isEmpty && dead.allSatisfy { listing.contains($0.effectId) }
    let stuck = pendingAfter.last ?? -1
    let attempts = dead.map(\.attempts)
    let errors = dead.compactMap(\.lastError)
    let timedOut = errors.filter { $0.contains("timed out after") }.count
    let exited = errors.filter { $0.contains("exited with status 1") }.count
    handlersClean = h.clean && dead.count == 3 && stuck == 0 && attempts.allSatisfy { $0 == 3 } && timedOut == 1 && exited == 2 && listed
        && slowest < 30
    say("handler trial: 3 effects (2 exit 1, 1 hangs past a 1s timeout), retry policy 3 attempts, base delay 1m")
    let backoff = nextAttempts.values.first.map { $0.map { "\($0)s" }.joined(separator: ", ") } ?? "-"
    say("  backoff before attempts 2, 3 of one effect: \(backoff)")
    say("  pending after each tick (+10 min): \(pendingAfter.map(String.init).joined(separator: " → "))")
    say("  dead-lettered: \(dead.count) (attempts \(attempts.map(String.init).joined(separator: ",")); \(exited) `exited with status 1`, \(timedOut) `timed out`), listed by `o2c outbox --dead`: \(listed ? "yes" : "no")")
    say(String(format: "  slowest tick %.1f s (a hang costs its timeout, not 120 s); stuck: %d", slowest, stuck))
    for p in h.problems { print("  " + p) }
    say("handlers: dead: \(dead.count), stuck: \(stuck), \(handlersClean ? "ok" : "FAILED")")
}

if !options.keep && total.clean && handlersClean { try? fm.removeItem(atPath: work) } else { print("project kept at \(work)") }
exit(total.clean && handlersClean ? 0 : 1)
