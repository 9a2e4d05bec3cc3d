import Foundation
import O2CCore
import O2CModel
import O2CRuntime
import O2CStore

/// Figures 3 and 4: the durable shell on a real SQLite file, at `synchronous = NORMAL` and `FULL`,
/// each beside the raw-SQLite floor for the same row shapes.
enum DurableBench {
    /// The post-tick NORMAL database of the largest size, kept for `o2c show`.
    nonisolated(unsafe) static var tickedDatabase: (path: String, count: Int)?

    struct Shape {
        var history = 0.0, outbox = 0.0, timerDeletes = 0.0, processed = 0.0
        var rowsPerStep: Double { 1 + history + outbox + timerDeletes + processed }
    }

    static func main(_ options: Options, library: Library) {
        let dir = TempDir("durable")
        let sizes = options.tickSizes ?? (options.quick ? [2_000] : [10_000, 100_000])
        for n in sizes {
            for sync in [SQLiteStore.Synchronous.normal, .full] {
                tick(n, sync, library: library, dir: dir, quick: options.quick, keep: sync == .normal && n == sizes.last!)
            }
        }
        let events = options.tickSizes.map { (normal: $0[0], full: $0[0]) } ?? (options.quick ? (normal: 1_000, full: 300) : (normal: 10_000, full: 2_000))
        for sync in [SQLiteStore.Synchronous.normal, .full] {
            deliver(sync == .normal ? events.normal : events.full, sync, library: library, dir: dir)
        }
        if tickedDatabase == nil { dir.cleanup() }
    }

    static func tick(_ n: Int, _ sync: SQLiteStore.Synchronous, library: Library, dir: TempDir, quick: Bool, keep: Bool) {
        let path = Fixtures.invoices(n, library: library, into: dir.file("tick-\(n)-\(sync.rawValue).sqlite"))
        let before = Fixtures.Counts.read(path)
        let shapes = Fixtures.Shapes.read(path)
        var report = Runtime.TickReport()
        let seconds: Double
        do {
            let store = try SQLiteStore.open(path: path, synchronous: sync)
            let rt = Fixtures.runtime(store, library)
            seconds = try Clock.seconds { report = try rt.tick(now: Fixtures.firstReminder, batchSize: 256, dispatchOutbox: false) }
        } catch { Report.info("tick \(n) \(sync): \(error)"); return }
        let after = Fixtures.Counts.read(path)
        let fired = max(report.fired, 1)
        let shape = Shape(history: Double(after.history - before.history) / Double(fired),
                          outbox: Double(after.outbox - before.outbox) / Double(fired),
                          timerDeletes: Double(before.timer - after.timer) / Double(fired))
        let rate = Double(report.fired) / seconds
        let name = "tick.\(formatCount(n)).\(sync.rawValue)"
        Report.figure("\(name).timers_per_second", rate, "/s", target: sync == .normal ? .atLeast(100_000, "100,000") : nil,
                      note: "\(report.fired) timers fired (one ladder step each) in \(String(format: "%.2f", seconds)) s, groups of 256, \(report.conflicts) conflicts")
        Report.figure("\(name).rows_per_transition", shape.rowsPerStep, "rows",
                      note: String(format: "1 instance update + %.2f history + %.2f outbox + %.2f timer deletes", shape.history, shape.outbox, shape.timerDeletes))
        let floor = Floor.run(steps: quick ? min(n, 2_000) : min(n, 20_000), instances: n, shape: shape, shapes: shapes, sync: sync,
                              grouped: true, dir: dir)
        Report.figure("\(name).floor_steps_per_second", floor, "/s", note: "raw GRDB, same rows, groups of 256 per transaction")
        Report.figure("\(name).floor_ratio", floor / rate, "x", target: .below(3.0000001, "3 (≤ 3× the floor)"))
        if keep { tickedDatabase = (path, n) } else { removeDatabase(path) }
    }

    static func deliver(_ n: Int, _ sync: SQLiteStore.Synchronous, library: Library, dir: TempDir) {
        let path = Fixtures.invoices(n, library: library, into: dir.file("events-\(n)-\(sync.rawValue).sqlite"))
        let before = Fixtures.Counts.read(path)
        let shapes = Fixtures.Shapes.read(path)
        let now = Instant(secondsSinceEpoch: Fixtures.issueInstant.secondsSinceEpoch + 5 * 86_400)
        var applied = 0
        let seconds: Double
        do {
            let store = try SQLiteStore.open(path: path, synchronous: sync)
            let rt = Fixtures.runtime(store, library)
            let payloads = (0..<n).map { JSON.object([("amount", .string(Fixtures.total($0).description))]) }
            seconds = try Clock.seconds {
                for i in 0..<n {
                    if case .applied = try rt.advance("invoice-\(i)", event: "payment_received", payload: payloads[i], eventId: "bank-\(i)", now: now) {
                        applied += 1
                    }
                }
            }
        } catch { Report.info("events \(n) \(sync): \(error)"); return }
        let after = Fixtures.Counts.read(path)
        let shape = Shape(history: Double(after.history - before.history) / Double(max(applied, 1)),
                          outbox: Double(after.outbox - before.outbox) / Double(max(applied, 1)),
                          timerDeletes: Double(before.timer - after.timer) / Double(max(applied, 1)),
                          processed: Double(after.processed - before.processed) / Double(max(applied, 1)))
        let rate = Double(applied) / seconds
        let name = "advance.\(sync.rawValue)"
        Report.figure("\(name).events_per_second", rate, "/s", note: "\(applied) of \(n) payments applied, one transaction each, in \(String(format: "%.2f", seconds)) s")
        Report.figure("\(name).rows_per_event", shape.rowsPerStep, "rows",
                      note: String(format: "1 instance update + %.2f history + %.2f outbox + %.2f timer deletes + %.2f processed-event", shape.history, shape.outbox, shape.timerDeletes, shape.processed))
        let steps = min(n, sync == .full ? 1_000 : 10_000)
        let oneRow = Floor.oneRowPerCommit(rows: steps, sync: sync, shapes: shapes, dir: dir)
        let oneStep = Floor.run(steps: steps, instances: n, shape: shape, shapes: shapes, sync: sync, grouped: false, dir: dir)
        Report.figure("\(name).floor_one_row_per_commit", oneRow, "/s", note: "raw GRDB, one history-shaped insert per transaction")
        Report.figure("\(name).floor_one_step_per_commit", oneStep, "/s", note: "raw GRDB, the same rows as one event, one transaction each")
        Report.figure("\(name).share_of_one_row_floor", rate / oneRow, "x", target: .atLeast(0.5, "0.5"))
        Report.figure("\(name).share_of_one_step_floor", rate / oneStep, "x")
        removeDatabase(path)
    }

    static func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
