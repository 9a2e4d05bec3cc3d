import Logging
import O2CCore
import O2CEngine
import O2CModel
import O2CSim
import O2CStore

/// Runs analysts' scenarios through the durable runtime: SQLite (in memory), the outbox,
/// dispatch and group-committed ticks — the end-to-end twin of the virtual engine. Handlers
/// are replaced by the scenario's scripted answers; every other action is recorded, not performed.
public struct RuntimeScenarioWorld: ScenarioWorld {
    let runtime: Runtime
    public private(set) var now: Instant
    public private(set) var effects: [(instance: String, at: Instant, effect: Effect)] = []
    public private(set) var decisions: [(instance: String, data: [String: Value])] = []
    public private(set) var refusalNotes: [String] = []
    private var seenEffects = Set<String>()
    private var seenHistory: [String: Int] = [:]

    public var library: Library { runtime.library }

    /// Starts the scenario's workflow; answers and children due at the start are processed.
    public init(scenario s: Scenario, library: Library, workflow: Workflow, inputs: [String: Value]) throws {
        var registry = HandlerRegistry(config: .defaults, projectRoot: ".", logger: Logger(label: "o2c.scenario"))
        for action in LibraryActions.names(library) { registry.register(action, RecordOnlyHandler()) }
        for (action, answer) in s.answers { registry.register(action, ScriptedAnswerHandler(answer: answer)) }
        runtime = Runtime(store: try SQLiteStore.inMemory(), library: library, handlers: registry, retry: RetryPolicy(), actor: "scenario")
        now = s.start
        do { try runtime.start(workflow: workflow, in: library, instanceId: s.workflow, businessKey: nil, parentId: nil, values: inputs, now: now) } catch {
            throw error
        }
        // Timers due at the start itself (a ladder step caught up) fire before the first check,
        // as in the virtual engine.
        run(until: now)
    }

    public func snapshot(_ id: String) -> Snapshot? {
        guard let record = try? runtime.store.instance(id: id) else { return nil }
        return try? SnapshotCodec.decode(record.snapshot)
    }

    public var instanceIds: [String] { (try? runtime.store.allInstanceIds()) ?? [] }

    public mutating func deliver(_ id: String, event: String, payload: [String: Value], id eventId: String?) throws {
        do { try runtime.advance(id, event: event, payload: Value.object(payload).plainJSON, eventId: eventId, now: now) } catch {
            if case .refused(let stepError) = error { throw stepError }
            throw error
        }
        settle()
    }

    /// Ticks from deadline to deadline, so the outbox is delivered when each timer fires, as a
    /// worker polling the real clock would.
    public mutating func run(until: Instant) {
        for _ in 0..<100_000 {
            guard let next = (try? runtime.store.dueTimers(at: until, limit: 1))?.first else { break }
            now = max(now, next.dueAt)
            _ = try? runtime.tick(now: now)
            record()
        }
        now = max(now, until)
        settle()
    }

    private mutating func settle() {
        do { _ = try runtime.dispatch(now: now) } catch { refusalNotes.append("dispatch failed: \(error)") }
        record()
    }

    /// Appends new outbox effects and decision entries, in the order they appeared.
    private mutating func record() {
        for row in (try? runtime.store.outbox(status: nil)) ?? [] where seenEffects.insert(row.effectId).inserted {
            var args: [String: Value] = [:]
            if let j = try? JSON.parse(row.arguments), case .object(let o)? = Value(taggedJSON: j) { args = o }
            effects.append((row.instanceId, row.createdAt, Effect(id: row.effectId, action: row.action, arguments: args, state: "")))
            if row.status == .dead { refusalNotes.append("effect \(row.effectId) (\(row.action)) was dead-lettered: \(row.lastError ?? "")") }
        }
        for id in instanceIds {
            let rows = (try? runtime.store.history(instanceId: id)) ?? []
            let from = seenHistory[id] ?? 0
            for r in rows where r.seq > from && r.kind == "decision" {
                if let j = try? JSON.parse(r.data), case .object(let o)? = Value(taggedJSON: j) { decisions.append((id, o)) }
            }
            seenHistory[id] = rows.last?.seq ?? from
        }
    }
}

/// Performs nothing: the scenario only records the effect.
struct RecordOnlyHandler: ActionHandler {
    func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? { nil }
}

/// Answers as the scenario's `answers:` say.
struct ScriptedAnswerHandler: ActionHandler {
    let answer: Scenario.Answer
    func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? {
        HandlerAnswer(event: answer.event, payload: answer.data)
    }
}

/// Every action name a library can emit.
public enum LibraryActions {
    public static func names(_ library: Library) -> Set<String> {
        var names = Set(library.actionCalls.map(\.name))
        names.insert("fee")
        return names.subtracting(["start", "emit"])
    }
}
