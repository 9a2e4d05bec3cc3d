import O2CCore
import O2CEngine

/// Snapshot ⇄ JSON text for the `instance.snapshot` column, lossless (tagged values).
public enum SnapshotCodec {
    public static func encode(_ s: Snapshot) -> String {
        var pairs: [(String, JSON)] = [
            ("instanceId", .string(s.instanceId)), ("workflow", .string(s.workflow)), ("state", .string(s.state)),
            ("status", .string(s.status.rawValue)), ("inputs", Value.object(s.inputs).taggedJSON),
            ("context", Value.object(s.context).taggedJSON), ("decisions", Value.object(s.decisions).taggedJSON),
            ("timers", .array(s.timers.map { .object([("key", .string($0.key)), ("due", .number(ExactDecimal(Int($0.due.secondsSinceEpoch))))]) })),
            ("sequence", .number(ExactDecimal(s.sequence))),
            ("startedAt", .number(ExactDecimal(Int(s.startedAt.secondsSinceEpoch)))),
            ("updatedAt", .number(ExactDecimal(Int(s.updatedAt.secondsSinceEpoch)))),
        ]
        if let v = s.businessKey { pairs.append(("businessKey", .string(v))) }
        if let v = s.parentId { pairs.append(("parentId", .string(v))) }
        if let v = s.outcome { pairs.append(("outcome", .string(v))) }
        if let v = s.failure { pairs.append(("failure", .string(v))) }
        return JSON.object(pairs).serialized()
    }

    public struct DecodeError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func decode(_ text: String) throws(DecodeError) -> Snapshot {
        let json: JSON
        do { json = try JSON.parse(text) } catch { throw DecodeError(description: "stored snapshot is not JSON: \(error)") }
        func string(_ k: String) -> String? { if case .string(let s)? = json[k] { return s }; return nil }
        func int(_ k: String) -> Int? { if case .number(let n)? = json[k] { return n.intValue }; return nil }
        func object(_ k: String) -> [String: Value] {
            if let j = json[k], case .object(let o)? = Value(taggedJSON: j) { return o }
            return [:]
        }
        guard let id = string("instanceId"), let wf = string("workflow"), let state = string("state"),
              let status = string("status").flatMap(Snapshot.Status.init(rawValue:)), let seq = int("sequence"),
              let started = int("startedAt"), let updated = int("updatedAt") else {
            throw DecodeError(description: "stored snapshot is missing fields")
        }
        var timers: [ScheduledTimer] = []
        if case .array(let items)? = json["timers"] {
            for item in items {
                guard case .string(let key)? = item["key"], case .number(let due)? = item["due"], let d = due.intValue else { continue }
                timers.append(ScheduledTimer(key: key, due: Instant(secondsSinceEpoch: Int64(d))))
            }
        }
        return Snapshot(instanceId: id, workflow: wf, businessKey: string("businessKey"), parentId: string("parentId"), state: state,
                        status: status, outcome: string("outcome"), inputs: object("inputs"), context: object("context"),
                        decisions: object("decisions"), timers: timers, sequence: seq,
                        startedAt: Instant(secondsSinceEpoch: Int64(started)), updatedAt: Instant(secondsSinceEpoch: Int64(updated)),
                        failure: string("failure"))
    }
}
