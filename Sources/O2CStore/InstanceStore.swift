import O2CCore

/// The only door between the engine and its persistence.
///
/// Why a protocol: the runtime is written against this facade so that a PostgreSQL store can
/// replace `SQLiteStore` without changing callers. Every method is synchronous and throws
/// `StoreError`; implementations must be safe to call from several threads and processes.
public protocol InstanceStore: Sendable {
    /// Writes one step atomically: all of it, or (on any thrown error) none of it.
    func commit(_ c: StepCommit) throws

    /// Group commit for `tick`: one transaction, one savepoint per item, so a conflicting or
    /// duplicate item is skipped (its slot holds the error) while the others commit.
    /// Errors that doom the transaction itself (I/O, disk full) are thrown and nothing commits.
    func commit(batch: [StepCommit]) throws -> [Result<Void, StoreError>]

    func definition(hash: String) throws -> DefinitionRecord?
    func instance(id: String) throws -> InstanceRecord?
    func instance(workflow: String, businessKey: String) throws -> InstanceRecord?
    /// Ordered by createdAt, id.
    func instances(filter: InstanceFilter) throws -> [InstanceRecord]
    /// Ignores the filter's limit and offset.
    func countInstances(filter: InstanceFilter) throws -> Int
    /// The newest `limit` matches (ordered by createdAt, id) and how many match in all, read from
    /// one snapshot, so the count and the rows agree while other processes write.
    func newestInstances(filter: InstanceFilter, limit: Int) throws -> (instances: [InstanceRecord], total: Int)
    /// Ordered by seq.
    func history(instanceId: String) throws -> [HistoryRecord]
    /// Ordered by key.
    func timers(instanceId: String) throws -> [TimerRecord]
    /// Timers with dueAt <= now, ordered by dueAt, instanceId, key (deterministic ticks).
    func dueTimers(at now: Instant, limit: Int) throws -> [TimerRecord]
    func isEventProcessed(instanceId: String, eventId: String) throws -> Bool

    /// Pending effects with nextAttemptAt <= now, ordered by nextAttemptAt, effectId.
    func pendingOutbox(dueAt now: Instant, limit: Int) throws -> [OutboxRecord]
    /// As `pendingOutbox(dueAt:limit:)`, only the effects the engine performs itself (`start`,
    /// `emit`), which `tick` delivers between deadlines.
    func pendingEngineEffects(dueAt now: Instant, limit: Int) throws -> [OutboxRecord]
    /// Records a successful delivery. Returns false (and changes nothing) if the effect was
    /// already delivered, so that two racing workers feed the answer back only once.
    @discardableResult
    func markDelivered(effectId: String, at: Instant, answer: String?) throws -> Bool
    /// Records a failed attempt; `dead` parks the effect until `retryDead`. Returns false (and
    /// changes nothing) if the effect is no longer pending.
    @discardableResult
    func markFailed(effectId: String, attempts: Int, nextAttemptAt: Instant, error: String, dead: Bool) throws -> Bool
    /// All effects, or those with one status, ordered by createdAt, effectId.
    func outbox(status: OutboxStatus?) throws -> [OutboxRecord]
    /// One instance's pending and dead effects, ordered by createdAt, effectId.
    func undeliveredOutbox(instanceId: String) throws -> [OutboxRecord]
    /// Dead → pending with attempts reset and nextAttemptAt = at; false if the effect is not dead.
    func retryDead(effectId: String, at: Instant) throws -> Bool

    /// Recomputes the hash chains of one instance (or all, if nil); one break per broken instance.
    func verifyHistory(instanceId: String?) throws -> [ChainBreak]
    /// Every instance id, ordered, for replay and export.
    func allInstanceIds() throws -> [String]
}

extension InstanceStore {
    /// Reads every due effect and keeps the engine's own: a store that can select by action in
    /// its query overrides this.
    public func pendingEngineEffects(dueAt now: Instant, limit: Int) throws -> [OutboxRecord] {
        Array(try pendingOutbox(dueAt: now, limit: .max).lazy.filter { $0.action == "start" || $0.action == "emit" }.prefix(limit))
    }

    /// Correct for any store, but reads the whole outbox: stores with an index by instance
    /// override it. The default keeps forwarding test doubles compiling unchanged.
    public func undeliveredOutbox(instanceId: String) throws -> [OutboxRecord] {
        try outbox(status: nil).filter { $0.instanceId == instanceId && $0.status != .delivered }
    }
}

extension InstanceStore {
    /// Two reads: a store that can read both from one snapshot overrides this.
    public func newestInstances(filter: InstanceFilter, limit: Int) throws -> (instances: [InstanceRecord], total: Int) {
        let total = try countInstances(filter: filter)
        var page = filter
        page.limit = limit
        page.offset = max(0, total - limit)
        return (try instances(filter: page), total)
    }
}
