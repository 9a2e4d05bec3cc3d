import Foundation
import O2CCore
import O2CEngine
import O2CSim
import O2CStore

/// Reads a recorded database for `o2c simulate --replay` into plain values, opened read-only
/// (`SQLiteStore.open(path:readOnly: true)`: no migration, no checkpoint, every write refused),
/// so a replay leaves the file byte-identical. The simulator itself never sees the store.
enum ReplayReading {
    static func read(path: String) throws -> ([RecordedInstance], [RecordedEffect]) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError(message: "no database at `\(path)`", code: Exit.usage)
        }
        let store: SQLiteStore
        do { store = try SQLiteStore.open(path: path, readOnly: true) } catch let e as StoreError {
            if case .databaseNewerThanBinary = e { throw CLIError(message: e.description, code: Exit.databaseNewer) }
            throw CLIError(message: "cannot open `\(path)` read-only: \(e)", code: Exit.invalid)
        }
        do {
            var instances: [RecordedInstance] = []
            for r in try store.instances(filter: InstanceFilter()) {
                let history = try store.history(instanceId: r.id).map { h in
                    HistoryEntry(at: h.at, kind: h.kind, data: decode(h.data))
                }
                instances.append(RecordedInstance(id: r.id, workflow: r.workflow, businessKey: r.businessKey, parentId: r.parentId,
                                                  state: r.state, status: r.status.rawValue, outcome: r.outcome, history: history))
            }
            let outbox = try store.outbox(status: nil).map { o in
                RecordedEffect(effectId: o.effectId, instanceId: o.instanceId, action: o.action,
                               status: RecordedEffect.Status(rawValue: o.status.rawValue) ?? .pending, createdAt: o.createdAt,
                               deliveredAt: o.deliveredAt, answer: o.answer.flatMap { try? JSON.parse($0) })
            }
            return (instances, outbox)
        } catch {
            throw CLIError(message: "cannot read `\(path)`: \(error)", code: Exit.invalid)
        }
    }

    /// History data is tagged JSON (`{"$money": "12.50 EUR"}`): typed values back.
    static func decode(_ text: String) -> [String: Value] {
        if let j = try? JSON.parse(text), case .object(let o)? = Value(taggedJSON: j) { return o }
        return [:]
    }
}
