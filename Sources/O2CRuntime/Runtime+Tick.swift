import O2CCore
import O2CEngine
import O2CStore

/// `tick`: fire every timer due at or before `now`, in due order, then dispatch the outbox.
extension Runtime {
    public struct TickReport: Sendable, Equatable {
        /// Timers that fired: a step was taken.
        public var fired = 0
        /// Timer rows removed without firing: an earlier step of the same batch had already
        /// dropped the timer (it left the state), so the row was stale.
        public var cleaned = 0
        /// Items that lost a race with another writer: each was read again and, unless the tick
        /// gave up, fired on the fresh state (then it is in `fired` too).
        public var conflicts = 0
        public var failedInstances = 0
        public var dispatch = DispatchReport()
        public init() {}
    }

    /// Each timer fires at its own deadline: the step's `now` is the timer's due time, so
    /// `tick --now` far ahead replays the engine's own steps in order, as if it had been running
    /// all along. Timers are fired in (due, instance, key) order, `batchSize` per transaction
    /// (group commit); a conflicting item is skipped and retried next round.
    ///
    /// Why the engine's own effects (`start`, `emit`) are delivered between rounds, each at the
    /// moment it was written: a child started by a timer on 18 March must exist from 18 March,
    /// so that its own deadlines (1 April, 1 May) fire in this tick too, in order, and what it
    /// tells its parent arrives when it happened. Handlers outside the engine are called once,
    /// at `now`, after all timers: a worker back from a day's outage must not spend a failing
    /// webhook's retries on deadlines that are already past (so an answer they give arrives at
    /// `now`, not at the deadline).
    @discardableResult
    public func tick(now: Instant, batchSize: Int = 256, dispatchOutbox: Bool = true) throws(RuntimeError) -> TickReport {
        var report = TickReport()
        var rounds = 0
        var stalls = 0
        while rounds < 1_000_000 {
            rounds += 1
            let due = try dueTimers(at: now, limit: batchSize)
            // Start and emit effects written before the next deadline (by the last round, or by a
            // run that crashed before delivering them) go first; they may add earlier deadlines.
            if dispatchOutbox {
                let delivered = try dispatchEngineEffects(upTo: due.first?.timer.dueAt ?? now)
                report.dispatch.add(delivered)
                if delivered.delivered + delivered.dead + delivered.retried > 0 { continue }
            }
            if due.isEmpty { break }
            let (commits, items) = try steps(for: due, cutAtEngineEffects: dispatchOutbox)
            let results = try read { try store.commit(batch: commits) }
            var progressed = false
            var onlyConflicts = !commits.isEmpty
            for (r, item) in zip(results, items) {
                if case .failure(let error) = r {
                    report.conflicts += 1
                    if case .conflict = error {} else { onlyConflicts = false }
                    continue
                }
                // Counted when committed: a step recomputed after a lost race counts once.
                progressed = true
                if item.stale { report.cleaned += 1 } else { report.fired += 1 }
                if item.failedInstance { report.failedInstances += 1 }
            }
            // Nothing committed this round. If every item lost a race with another writer, the
            // next round reads their fresh state and fires the timers on it (as `advance` retries
            // a conflict): a one-shot `o2c tick` must not report 0 fired while timers are due.
            // An item that fails for any other reason would fail every time: stop rather than spin,
            // and leave the timers due for the next tick.
            if progressed { stalls = 0 } else {
                stalls += 1
                if !onlyConflicts || stalls >= Self.conflictRetries { break }
            }
        }
        if dispatchOutbox { report.dispatch.add(try dispatch(now: now)) }
        return report
    }

    /// Effects the runtime performs itself, without a handler.
    static let engineActions: Set<String> = ["start", "emit"]

    /// A timer fires at its deadline, but never before the instance's last step: an instance
    /// that took an event after the deadline passed sees time move forward only.
    static func fireTime(_ timer: TimerRecord, _ snapshot: Snapshot) -> Instant { max(timer.dueAt, snapshot.updatedAt) }

    /// Due timers, each with its instance's row when the store can read both at once.
    private func dueTimers(at now: Instant, limit: Int) throws(RuntimeError) -> [(timer: TimerRecord, instance: InstanceRecord?)] {
        if let batch = store as? any DueTimerBatchReading {
            return try read { try batch.dueTimersWithInstances(at: now, limit: limit) }.map { ($0.timer, $0.instance) }
        }
        return try read { try store.dueTimers(at: now, limit: limit) }.map { ($0, nil) }
    }

    /// One commit per due timer; several timers of one instance chain on the evolving snapshot.
    ///
    /// Two reasons a batch stops early, leaving the rest due for the next round (read again in
    /// due order): with `cutAtEngineEffects`, past the earliest moment a step starts a child or
    /// emits, so the child exists before any later deadline fires; and, per instance, once a
    /// step arms a timer that is due before that instance's last listed one (a state re-entered
    /// every 7 days), so the new timer fires in its place in the order, not after the instance
    /// has moved on.
    private func steps(for due: [(timer: TimerRecord, instance: InstanceRecord?)],
                       cutAtEngineEffects: Bool) throws(RuntimeError) -> (commits: [StepCommit], items: [(stale: Bool, failedInstance: Bool)]) {
        var working: [String: (record: InstanceRecord, snapshot: Snapshot, interpreter: Interpreter)] = [:]
        var commits: [StepCommit] = []
        var items: [(stale: Bool, failedInstance: Bool)] = []
        var cut: Instant?
        var lastListed: [String: Instant] = [:]
        for (timer, _) in due { lastListed[timer.instanceId] = max(lastListed[timer.instanceId] ?? timer.dueAt, timer.dueAt) }
        var held = Set<String>()
        for (timer, joined) in due {
            if let cut, timer.dueAt > cut { break }
            if held.contains(timer.instanceId) { continue }
            let current: (record: InstanceRecord, snapshot: Snapshot, interpreter: Interpreter)
            if let w = working[timer.instanceId] { current = w } else {
                let found: InstanceRecord?
                if let joined { found = joined } else { found = try read({ try store.instance(id: timer.instanceId) }) }
                guard let record = found else { continue }
                // The runtime keeps one interpreter per (definition, workflow) for the process.
                current = (record, try decode(record), try interpreter(for: record))
            }
            let step: Step
            var isStale = false
            do {
                guard current.snapshot.timers.contains(where: { $0.key == timer.key && $0.due == timer.dueAt }) else {
                    throw StepError.unknownTimer(key: timer.key)
                }
                step = try current.interpreter.step(current.snapshot, .timer(key: timer.key), now: Self.fireTime(timer, current.snapshot))
            } catch {
                // A stale timer row (the snapshot no longer has it): rewrite the timer set without it.
                step = Step(snapshot: current.snapshot, effects: [], history: [])
                isStale = true
            }
            let fired = Self.fireTime(timer, current.snapshot)
            let commit = CommitBuilder.commit(step, previous: current.record, definitionHash: current.record.definitionHash,
                                              definition: nil, actor: actor, eventId: nil, now: fired)
            commits.append(commit)
            items.append((isStale, step.snapshot.status == .failed && current.snapshot.status != .failed))
            working[timer.instanceId] = (commit.instance, step.snapshot, current.interpreter)
            let armed = step.snapshot.timers.filter { t in !current.snapshot.timers.contains { $0.key == t.key && $0.due == t.due } }
            if let last = lastListed[timer.instanceId], armed.contains(where: { $0.due <= last }) { held.insert(timer.instanceId) }
            if cutAtEngineEffects, step.effects.contains(where: { Self.engineActions.contains($0.action) }) {
                cut = min(cut ?? fired, fired)
            }
        }
        return (commits, items)
    }
}
