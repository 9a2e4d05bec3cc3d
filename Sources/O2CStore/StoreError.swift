/// Why a store operation failed.
///
/// Why a closed enum instead of passing GRDB's `DatabaseError` through: callers decide on the
/// case (retry a conflict, drop a duplicate event, tell the user to upgrade) and must not
/// depend on the SQL engine behind the facade.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another writer committed this instance since it was read; reload and recompute.
    case conflict(instanceId: String)
    /// The event was already applied to this instance; nothing was written.
    case duplicateEvent(instanceId: String, eventId: String)
    /// An insert named an instance id that already exists.
    case duplicateInstance(id: String)
    /// An insert reused a business key already taken in the same workflow.
    case duplicateBusinessKey(workflow: String, businessKey: String)
    /// An update named an instance that does not exist.
    case unknownInstance(id: String)
    /// An outbox operation named an effect that does not exist.
    case unknownEffect(effectId: String)
    /// The commit contradicts itself (wrong version step, a timer of another instance); a bug in the caller.
    case invalidCommit(String)
    /// A newer o2c migrated this database; this binary refuses to touch it.
    case databaseNewerThanBinary(known: [String], found: [String])
    /// A read-only open found a database this binary would have to migrate first.
    case databaseNeedsMigration(missing: [String])
    /// Any other SQLite failure (I/O, disk full, constraint, read-only file).
    case sqlite(code: Int32, message: String)

    public var description: String {
        switch self {
        case .conflict(let id):
            "instance `\(id)` was changed by another writer since it was read"
        case .duplicateEvent(let id, let eventId):
            "event `\(eventId)` was already processed by instance `\(id)`"
        case .duplicateInstance(let id):
            "instance `\(id)` already exists"
        case .duplicateBusinessKey(let workflow, let key):
            "workflow `\(workflow)` already has an instance with business key `\(key)`"
        case .unknownInstance(let id):
            "no instance `\(id)`"
        case .unknownEffect(let effectId):
            "no outbox effect `\(effectId)`"
        case .invalidCommit(let reason):
            "invalid commit: \(reason)"
        case .databaseNewerThanBinary(let known, let found):
            "the database was created by a newer o2c (migrations \(Self.list(found.filter { !known.contains($0) })) "
                + "are unknown to this binary, which knows \(Self.list(known))); upgrade o2c to open it"
        case .databaseNeedsMigration(let missing):
            "the database needs migrations \(Self.list(missing)) and was opened read-only; "
                + "open it once read-write to migrate it"
        case .sqlite(let code, let message):
            "database error \(code): \(message)"
        }
    }

    private static func list(_ ids: [String]) -> String {
        ids.isEmpty ? "(none)" : ids.map { "`\($0)`" }.joined(separator: ", ")
    }
}
