import O2CCore
import O2CEngine
import O2CStore

/// Turns an interpreter `Step` into the rows of one transaction.
enum CommitBuilder {
    static func commit(_ step: Step, previous: InstanceRecord?, definitionHash: String, definition: DefinitionRecord?,
                       actor: String, eventId: String?, now: Instant) -> StepCommit {
        let s = step.snapshot
        let record = InstanceRecord(
            id: s.instanceId, businessKey: s.businessKey, workflow: s.workflow, definitionHash: definitionHash, parentId: s.parentId,
            state: s.state, status: InstanceStatus(rawValue: s.status.rawValue) ?? .active, outcome: s.outcome,
            snapshot: SnapshotCodec.encode(s), createdAt: previous?.createdAt ?? s.startedAt, updatedAt: s.updatedAt,
            version: (previous?.version ?? 0) + 1)
        let timers = s.timers.map { TimerRecord(instanceId: s.instanceId, key: $0.key, dueAt: $0.due) }
        let outbox = step.effects.map {
            OutboxRecord(effectId: $0.id, instanceId: s.instanceId, action: $0.action,
                         arguments: Value.object($0.arguments).taggedJSONText, nextAttemptAt: now, createdAt: now)
        }
        let history = step.history.map {
            NewHistoryEntry(at: $0.at, kind: $0.kind, data: Value.object($0.data).taggedJSONText, actor: actor)
        }
        return StepCommit(instance: record, expectedVersion: previous?.version, timers: timers, outbox: outbox,
                          history: history, processedEventId: eventId, definition: definition)
    }
}
