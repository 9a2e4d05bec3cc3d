import O2CCore
import O2CEngine

/// What to feed the simulator to re-run a recorded database: for each recorded order (a
/// top-level instance), its start with the recorded inputs and every external event of its
/// instances at its recorded time; and the handlers' answers, by (instance, action, occurrence).
///
/// Children are not started from the recording: the engine re-creates them, as it did then.
/// Events an instance emitted to another (`emit`, recorded with the effect's id) and handler
/// answers (recorded with id `<effect>/answer`) are not external either: they are re-created,
/// the first by the engine, the second by `RecordedResponder`.
public struct ReplayPlan: Sendable {
    public var arrivals: [Arrival]
    public var answers: AnswerBook
    /// Orders that cannot be re-run faithfully, with why (redacted inputs).
    public var unreplayable: [(id: String, reason: String)]
    public var orders: Int
    /// The recording's first start and last moment: replays run to the same end.
    public var start: Instant
    public var end: Instant

    public static func build(instances: [RecordedInstance], outbox: [RecordedEffect]) -> ReplayPlan {
        let byId = Dictionary(instances.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func root(of i: RecordedInstance) -> String {
            var current = i
            var seen: Set<String> = [i.id]
            while let p = current.parentId, let parent = byId[p], !seen.contains(p) {
                seen.insert(p)
                current = parent
            }
            return current.id
        }
        let rootIds = instances.filter { $0.parentId == nil || byId[$0.parentId!] == nil }.map(\.id)
        var members: [String: [RecordedInstance]] = [:]
        for i in instances { members[root(of: i), default: []].append(i) }

        var emitted: Set<String> = []
        for i in instances {
            for h in i.history where h.kind == "effect" && h.data["action"] == .string("emit") {
                if case .string(let id)? = h.data["id"] { emitted.insert(id) }
            }
        }
        let rows = Dictionary(outbox.map { ($0.effectId, $0) }, uniquingKeysWith: { a, _ in a })

        var plan = ReplayPlan(arrivals: [], answers: AnswerBook(), unreplayable: [], orders: 0,
                              start: Instant(secondsSinceEpoch: .max), end: Instant(secondsSinceEpoch: .min))
        for i in instances {
            for h in i.history {
                plan.start = min(plan.start, h.at)
                plan.end = max(plan.end, h.at)
            }
        }
        for r in outbox { if let d = r.deliveredAt { plan.end = max(plan.end, d) } }
        if plan.start > plan.end { plan.start = Instant(secondsSinceEpoch: 0); plan.end = plan.start }

        for rootId in rootIds.sorted() {
            guard let r = byId[rootId] else { continue }
            var arrivals: [Arrival] = []
            var problem: String?
            guard let started = r.history.first(where: { $0.kind == "started" }), case .object(let inputs)? = started.data["inputs"] else {
                plan.unreplayable.append((rootId, "no `started` entry in its history"))
                continue
            }
            if let field = Redaction.field(in: .object(inputs)) { problem = "input `\(field)` is sensitive and was redacted in history" }
            arrivals.append(Arrival(at: started.at, root: rootId, what: .start(workflow: r.workflow, id: r.id, businessKey: r.businessKey, inputs: inputs)))
            for m in (members[rootId] ?? []).sorted(by: { $0.id < $1.id }) {
                plan.answers.add(m, rows: rows)
                for h in m.history {
                    if h.kind == "cancelled" {
                        // An operator's `o2c cancel`: outside the workflow, so replayed at its time.
                        var reason = ""
                        if case .string(let r)? = h.data["reason"] { reason = r }
                        arrivals.append(Arrival(at: h.at, root: rootId, what: .cancel(instance: m.id, reason: reason)))
                        continue
                    }
                    guard h.kind == "event", case .string(let name)? = h.data["name"] else { continue }
                    var id: String?
                    if case .string(let s)? = h.data["id"] { id = s }
                    if let id, id.hasSuffix("/answer") || emitted.contains(id) { continue }
                    var payload: [String: Value] = [:]
                    if case .object(let p)? = h.data["payload"] { payload = p }
                    if let field = Redaction.field(in: .object(payload)) {
                        problem = problem ?? "event `\(name)` of `\(m.id)` at \(h.at): field `\(field)` is sensitive and was redacted in history"
                    }
                    arrivals.append(Arrival(at: h.at, root: rootId, what: .event(instance: m.id, name: name, payload: payload, id: id)))
                }
            }
            if let problem {
                plan.unreplayable.append((rootId, problem))
                continue
            }
            plan.orders += 1
            plan.arrivals += arrivals
        }
        // Time order; at the same instant, order by root then recorded order (stable sort).
        plan.arrivals = plan.arrivals.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        return plan
    }
}

extension AnswerBook {
    /// Records every effect of one instance: its occurrence number per action, and what came of it.
    mutating func add(_ i: RecordedInstance, rows: [String: RecordedEffect]) {
        var occurrences: [String: Int] = [:]
        var answerEvents: [String: HistoryEntry] = [:]
        for h in i.history where h.kind == "event" {
            if case .string(let id)? = h.data["id"], id.hasSuffix("/answer") { answerEvents[String(id.dropLast("/answer".count))] = h }
        }
        for h in i.history where h.kind == "effect" {
            guard case .string(let action)? = h.data["action"], case .string(let effectId)? = h.data["id"] else { continue }
            if action == "start" || action == "emit" { continue }
            let n = occurrences[action, default: 0]
            occurrences[action] = n + 1
            let outcome: Outcome
            if let answer = answerEvents[effectId], case .string(let event)? = answer.data["name"] {
                var payload: [String: Value] = [:]
                if case .object(let p)? = answer.data["payload"] { payload = p }
                outcome = Redaction.field(in: .object(payload)) != nil ? .redacted
                    : .answered(event: event, payload: payload, delay: Duration(seconds: answer.at.secondsSinceEpoch - h.at.secondsSinceEpoch))
            } else if let row = rows[effectId] {
                switch row.status {
                case .delivered:
                    if let a = row.answer, case .string(let event)? = a["event"] {
                        let delay = Duration(seconds: (row.deliveredAt ?? row.createdAt).secondsSinceEpoch - row.createdAt.secondsSinceEpoch)
                        outcome = .answeredJSON(event: event, data: a["data"] ?? .object([]), delay: delay)
                    } else {
                        outcome = .noAnswer
                    }
                case .pending: outcome = .undelivered("still pending in the recording")
                case .dead: outcome = .undelivered("dead-lettered in the recording")
                }
            } else {
                outcome = .undelivered("not in the recorded outbox")
            }
            record(instance: i.id, action: action, occurrence: n, outcome)
        }
    }
}

/// Finds fields that history stored as `[redacted]` (declared `sensitive`).
enum Redaction {
    static let marker = "[redacted]"

    /// The path of the first redacted field, e.g. `payment.card_number`.
    static func field(in value: Value, path: String = "") -> String? {
        switch value {
        case .string(let s): return s == marker ? (path.isEmpty ? "(value)" : path) : nil
        case .object(let o):
            for k in o.keys.sorted() {
                if let f = field(in: o[k]!, path: path.isEmpty ? k : "\(path).\(k)") { return f }
            }
            return nil
        case .list(let items):
            for (n, v) in items.enumerated() { if let f = field(in: v, path: "\(path)[\(n)]") { return f } }
            return nil
        default: return nil
        }
    }
}
