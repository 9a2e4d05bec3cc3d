/// Everything one input (start, event, timer firing, handler answer) changes.
///
/// Why one value: the store writes it in ONE transaction, so a crash can never leave a new
/// snapshot without its history, timers, effects or processed-event marker, nor the reverse.
public struct StepCommit: Sendable, Hashable {
    /// The new row; `instance.version` is the NEW version (1 on insert, `expectedVersion + 1` on update).
    /// An update writes state, status, outcome, snapshot, updatedAt and version only: identity
    /// columns (workflow, businessKey, definitionHash, parentId, createdAt) are fixed at insert.
    public var instance: InstanceRecord
    /// nil inserts a new instance (fails with `duplicateInstance` if the id exists); otherwise the
    /// row is updated only if its version is still this one, else `StoreError.conflict`.
    public var expectedVersion: Int?
    /// The instance's complete timer set after the step: unlisted timers are deleted, new ones
    /// inserted, moved ones updated, unchanged ones left alone.
    public var timers: [TimerRecord]
    /// New effects; an effectId already in the outbox is ignored (the interpreter's ids are
    /// deterministic, so a retried step must not enqueue twice).
    public var outbox: [OutboxRecord]
    /// Appended with consecutive seq numbers and chained hashes.
    public var history: [NewHistoryEntry]
    /// The input's event id; if this instance already processed it, `StoreError.duplicateEvent`
    /// is thrown and nothing is written.
    public var processedEventId: String?
    /// Inserted if absent, never replaced: instances stay pinned to the definition they started with.
    public var definition: DefinitionRecord?

    public init(instance: InstanceRecord, expectedVersion: Int?, timers: [TimerRecord] = [],
                outbox: [OutboxRecord] = [], history: [NewHistoryEntry] = [],
                processedEventId: String? = nil, definition: DefinitionRecord? = nil) {
        self.instance = instance
        self.expectedVersion = expectedVersion
        self.timers = timers
        self.outbox = outbox
        self.history = history
        self.processedEventId = processedEventId
        self.definition = definition
    }
}
