import O2CCore
import O2CEngine
import O2CStore

/// `tick`: fire every timer due at or before `now`, in due order, then dispatch the outbox.
extension Runtime {
    public struct TickReport: Sendable, Equatable {
        public var fired = 0
        public var conflicts = 0
        public var failedInstances = 0
        public var dispatch = DispatchReport()
        public init() {}
    }

    /// Each timer fires at its own deadline: the step's `now` is the timer's due time, so
    /// `tick --now` far ahead replays every step in order, exactly as if the engine had been
    /// running all along. Timers are fired in (due, instance, key) order, `batchSize` per
    /// transaction (group commit); a conflicting item is skipped and retried next round.
    @discardableResult
    public func tick(now: Instant, batchSize: Int = 256, dispatchOutbox: Bool = true) throws(RuntimeError) -> TickReport {
        var report = TickReport()
        var rounds = 0
        while rounds < 100_000 {
            rounds += 1
            let due = try dueTimers(at: now, limit: batchSize)
            if due.isEmpty { break }
            let (commits, failed) = try steps(for: due)
            report.failedInstances += failed
            let results = try read { try store.commit(batch: commits) }
            var progressed = false
            for r in results {
                if case .failure = r { report.conflicts += 1 } else { report.fired += 1; progressed = true }
            }
            // Nothing committed this round: another writer holds these instances, or an item
            // fails every time. Stop rather than spin; the timers stay due for the next tick.
            if !progressed { break }
        }
        if dispatchOutbox { report.dispatch = try dispatch(now: now) }
        return report
    }

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
    private func steps(for due: [(timer: TimerRecord, instance: InstanceRecord?)]) throws(RuntimeError) -> ([StepCommit], Int) {
        var working: [String: (record: InstanceRecord, snapshot: Snapshot, interpreter: Interpreter)] = [:]
        var commits: [StepCommit] = []
        var failed = 0
        for (timer, joined) in due {
            let current: (record: InstanceRecord, snapshot: Snapshot, interpreter: Interpreter)
            if let w = working[timer.instanceId] { current = w } else {
                let found: InstanceRecord?
                if let joined { found = joined } else { found = try read({ try store.instance(id: timer.instanceId) }) }
                guard let record = found else { continue }
                // The runtime keeps one interpreter per (definition, workflow) for the process.
                current = (record, try decode(record), try interpreter(for: record))
            }
            let step: Step
            do {
                guard current.snapshot.timers.contains(where: { $0.key == timer.key && $0.due == timer.dueAt }) else {
                    throw StepError.unknownTimer(key: timer.key)
                }
                step = try current.interpreter.step(current.snapshot, .timer(key: timer.key), now: Self.fireTime(timer, current.snapshot))
            } catch {
                // A stale timer row (the snapshot no longer has it): rewrite the timer set without it.
                step = Step(snapshot: current.snapshot, effects: [], history: [])
            }
            if step.snapshot.status == .failed && current.snapshot.status != .failed { failed += 1 }
            let commit = CommitBuilder.commit(step, previous: current.record, definitionHash: current.record.definitionHash,
                                              definition: nil, actor: actor, eventId: nil, now: Self.fireTime(timer, current.snapshot))
            commits.append(commit)
            working[timer.instanceId] = (commit.instance, step.snapshot, current.interpreter)
        }
        return (commits, failed)
    }
}
