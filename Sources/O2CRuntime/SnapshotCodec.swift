import O2CCore
import O2CEngine

/// Snapshot ⇄ JSON text for the `instance.snapshot` column, lossless (tagged values).
///
/// Both directions work on the text directly (no intermediate `JSON` tree): a durable step
/// reads and writes one snapshot, and the tree made them cost more than the step itself. The
/// text is the same as `JSON.object([...]).serialized()` of the fields below, in this order.
public enum SnapshotCodec {
    public static func encode(_ s: Snapshot) -> String {
        var w = JSONWriter(capacity: 2048)
        w.ascii("{\"instanceId\":"); w.quoted(s.instanceId)
        w.ascii(",\"workflow\":"); w.quoted(s.workflow)
        w.ascii(",\"state\":"); w.quoted(s.state)
        w.ascii(",\"status\":"); w.quoted(s.status.rawValue)
        w.ascii(",\"inputs\":"); Value.writeTagged(s.inputs, into: &w)
        w.ascii(",\"context\":"); Value.writeTagged(s.context, into: &w)
        w.ascii(",\"decisions\":"); Value.writeTagged(s.decisions, into: &w)
        w.ascii(",\"timers\":")
        if s.timers.isEmpty { w.ascii("[]") } else {
            w.byte(UInt8(ascii: "["))
            for (i, t) in s.timers.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.ascii("{\"key\":"); w.quoted(t.key)
                w.ascii(",\"due\":"); w.number(Int(t.due.secondsSinceEpoch))
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
        }
        w.ascii(",\"sequence\":"); w.number(s.sequence)
        w.ascii(",\"startedAt\":"); w.number(Int(s.startedAt.secondsSinceEpoch))
        w.ascii(",\"updatedAt\":"); w.number(Int(s.updatedAt.secondsSinceEpoch))
        if let v = s.businessKey { w.ascii(",\"businessKey\":"); w.quoted(v) }
        if let v = s.parentId { w.ascii(",\"parentId\":"); w.quoted(v) }
        if let v = s.outcome { w.ascii(",\"outcome\":"); w.quoted(v) }
        if let v = s.failure { w.ascii(",\"failure\":"); w.quoted(v) }
        w.byte(UInt8(ascii: "}"))
        return w.text
    }

    public struct DecodeError: Error, CustomStringConvertible {
        public var description: String
    }

    private static let taggedFields = ["inputs", "context", "decisions"]

    public static func decode(_ text: String) throws(DecodeError) -> Snapshot {
        let fields: [(key: String, value: JSON.Field)]
        do { fields = try JSON.parseFields(text, tagged: taggedFields) } catch {
            throw DecodeError(description: "stored snapshot is not JSON: \(error)")
        }
        // The first member of a name counts, as `JSON`'s subscript reads it.
        func field(_ k: String) -> JSON.Field? { fields.first(where: { $0.key == k })?.value }
        func json(_ k: String) -> JSON? { if case .json(let j)? = field(k) { return j }; return nil }
        func string(_ k: String) -> String? { if case .string(let s)? = json(k) { return s }; return nil }
        func int(_ k: String) -> Int? { if case .number(let n)? = json(k) { return n.intValue }; return nil }
        func object(_ k: String) -> [String: Value] {
            if case .tagged(.object(let o)?)? = field(k) { return o }
            return [:]
        }
        guard let id = string("instanceId"), let wf = string("workflow"), let state = string("state"),
              let status = string("status").flatMap(Snapshot.Status.init(rawValue:)), let seq = int("sequence"),
              let started = int("startedAt"), let updated = int("updatedAt") else {
            throw DecodeError(description: "stored snapshot is missing fields")
        }
        var timers: [ScheduledTimer] = []
        if case .array(let items)? = json("timers") {
            timers.reserveCapacity(items.count)
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
