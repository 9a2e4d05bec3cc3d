import O2CCore

// The rows the store reads and writes, as plain values.
//
// Why plain structs without GRDB conformances: the rest of the engine sees only these and
// `InstanceStore`, so a PostgreSQL store can replace SQLite without touching callers. Row
// decoding lives in `Rows.swift`, internal to this module.

/// A definition bundle, pinned by content hash so an instance keeps the rules it started with
/// even after the workflow files change.
public struct DefinitionRecord: Sendable, Hashable {
    /// Content hash of `source`; the primary key.
    public var hash: String
    public var name: String
    public var version: String
    /// The workflow file and the rules files it used, as JSON text.
    public var source: String
    public var createdAt: Instant

    public init(hash: String, name: String, version: String, source: String, createdAt: Instant) {
        self.hash = hash
        self.name = name
        self.version = version
        self.source = source
        self.createdAt = createdAt
    }
}

/// Where an instance is in its life; the store keeps the same four values in a CHECK.
public enum InstanceStatus: String, Sendable, Hashable, CaseIterable {
    case active, completed, failed, cancelled
}

/// One workflow instance. `snapshot` is the engine's state as JSON, opaque to the store; the
/// other columns are copies the store can filter and index on.
public struct InstanceRecord: Sendable, Hashable {
    public var id: String
    /// The caller's key ("invoice INV-42"); unique per workflow when present.
    public var businessKey: String?
    public var workflow: String
    public var definitionHash: String
    public var parentId: String?
    public var state: String
    public var status: InstanceStatus
    public var outcome: String?
    public var snapshot: String
    public var createdAt: Instant
    public var updatedAt: Instant
    /// Optimistic-concurrency counter: 1 on insert, +1 on every commit.
    public var version: Int

    public init(id: String, businessKey: String? = nil, workflow: String, definitionHash: String,
                parentId: String? = nil, state: String, status: InstanceStatus = .active, outcome: String? = nil,
                snapshot: String, createdAt: Instant, updatedAt: Instant, version: Int = 1) {
        self.id = id
        self.businessKey = businessKey
        self.workflow = workflow
        self.definitionHash = definitionHash
        self.parentId = parentId
        self.state = state
        self.status = status
        self.outcome = outcome
        self.snapshot = snapshot
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// A pending timer; `key` names it within its instance so that a step can keep, move or drop it.
public struct TimerRecord: Sendable, Hashable {
    public var instanceId: String
    public var key: String
    public var dueAt: Instant

    public init(instanceId: String, key: String, dueAt: Instant) {
        self.instanceId = instanceId
        self.key = key
        self.dueAt = dueAt
    }
}

/// Delivery state of an effect: `dead` effects wait for an operator's `retryDead`.
public enum OutboxStatus: String, Sendable, Hashable, CaseIterable {
    case pending, delivered, dead
}

/// An effect to deliver to an action handler. The row is written in the same transaction as
/// the step that produced it, so an effect is never lost nor emitted for a step that did not
/// commit; `effectId` is the interpreter's deterministic idempotency key.
public struct OutboxRecord: Sendable, Hashable {
    public var effectId: String
    public var instanceId: String
    public var action: String
    /// JSON text.
    public var arguments: String
    public var status: OutboxStatus
    public var attempts: Int
    public var nextAttemptAt: Instant
    public var lastError: String?
    public var createdAt: Instant
    public var deliveredAt: Instant?
    /// JSON of the handler's answer, kept so a replay can feed the same answer back.
    public var answer: String?

    public init(effectId: String, instanceId: String, action: String, arguments: String,
                status: OutboxStatus = .pending, attempts: Int = 0, nextAttemptAt: Instant,
                lastError: String? = nil, createdAt: Instant, deliveredAt: Instant? = nil, answer: String? = nil) {
        self.effectId = effectId
        self.instanceId = instanceId
        self.action = action
        self.arguments = arguments
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.answer = answer
    }
}

/// A history entry as the interpreter produces it: the store assigns `seq` and the hashes,
/// because only the store knows the chain's current head inside the transaction.
public struct NewHistoryEntry: Sendable, Hashable {
    public var at: Instant
    public var kind: String
    /// JSON text.
    public var data: String
    public var actor: String

    public init(at: Instant, kind: String, data: String, actor: String) {
        self.at = at
        self.kind = kind
        self.data = data
        self.actor = actor
    }
}

/// A stored history entry, linked to its predecessor by `prevHash` (see `HistoryChain`).
public struct HistoryRecord: Sendable, Hashable {
    public var instanceId: String
    public var seq: Int
    public var at: Instant
    public var kind: String
    public var data: String
    public var actor: String
    public var prevHash: String
    public var hash: String

    public init(instanceId: String, seq: Int, at: Instant, kind: String, data: String, actor: String,
                prevHash: String, hash: String) {
        self.instanceId = instanceId
        self.seq = seq
        self.at = at
        self.kind = kind
        self.data = data
        self.actor = actor
        self.prevHash = prevHash
        self.hash = hash
    }
}

/// The first broken link of one instance's history chain; later links are not reported
/// because every one after a break would fail too.
public struct ChainBreak: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The row's content no longer produces its stored hash (the row was edited).
        case hashMismatch(stored: String, computed: String)
        /// The row does not point at its predecessor's hash (a row was replaced or reordered).
        case prevHashMismatch(expected: String, found: String)
        /// A sequence number is missing (a row was deleted).
        case seqGap(expected: Int, found: Int)

        public var description: String {
            switch self {
            case .hashMismatch(let stored, let computed):
                "content does not match its hash (stored \(stored.prefix(12))…, computed \(computed.prefix(12))…)"
            case .prevHashMismatch(let expected, let found):
                "link to the previous entry is broken (expected \(expected.prefix(12))…, found \(found.prefix(12))…)"
            case .seqGap(let expected, let found):
                "entry \(expected) is missing (next entry is \(found))"
            }
        }
    }

    public var instanceId: String
    public var seq: Int
    public var reason: Reason

    public init(instanceId: String, seq: Int, reason: Reason) {
        self.instanceId = instanceId
        self.seq = seq
        self.reason = reason
    }

    public var description: String { "instance `\(instanceId)` history #\(seq): \(reason)" }
}

/// Filters for listing instances; nil means "any". Results are ordered by createdAt, id so
/// that paging with limit/offset is stable.
public struct InstanceFilter: Sendable, Hashable {
    public var workflow: String?
    public var state: String?
    public var status: InstanceStatus?
    /// nil = no limit.
    public var limit: Int?
    public var offset: Int

    public init(workflow: String? = nil, state: String? = nil, status: InstanceStatus? = nil,
                limit: Int? = nil, offset: Int = 0) {
        self.workflow = workflow
        self.state = state
        self.status = status
        self.limit = limit
        self.offset = offset
    }
}
