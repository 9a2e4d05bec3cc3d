import O2CCore
import O2CEngine
import O2CModel

/// Answers effects the way the outside world would: a behaviour model in the simulator,
/// recorded answers in replay, a script in scenario tests.
public protocol EffectResponder {
    /// Events to deliver later in answer to `effect` (e.g. `reserve_stock` → `stock_reserved` now).
    mutating func respond(to effect: Effect, of instance: Snapshot, at: Instant) -> [ScheduledEvent]
    /// Whether `other` gives the same answers as this one to every effect, and asking changes
    /// neither: the paired simulator then asks only one of them for an effect both policies
    /// produced. `false` unless a responder knows better (a recording counts what it was asked).
    func answersAlike(_ other: Self) -> Bool
}

extension EffectResponder {
    public func answersAlike(_ other: Self) -> Bool { false }
}

public struct ScheduledEvent: Sendable, Equatable {
    public var instanceId: String
    public var event: String
    public var payload: [String: Value]
    public var at: Instant
    public var id: String?
    public init(instanceId: String, event: String, payload: [String: Value] = [:], at: Instant, id: String? = nil) {
        self.instanceId = instanceId
        self.event = event
        self.payload = payload
        self.at = at
        self.id = id
    }
}

/// Sees every step as it happens (KPIs, reports, divergence), so nothing needs to be kept.
public protocol StepObserver {
    mutating func observe(_ step: Step, input: Input, at: Instant)
}

/// No answers at all: effects are recorded, never performed.
public struct SilentResponder: EffectResponder {
    public init() {}
    public mutating func respond(to effect: Effect, of instance: Snapshot, at: Instant) -> [ScheduledEvent] { [] }
}

/// Runs many instances of a library on a virtual clock, in memory, with effects recorded and
/// never dispatched: the same `Interpreter` as production, a different executor (XState's
/// `transition()` versus `createActor`). Deterministic: same inputs, same order, same result.
///
/// Built-in effects are routed like the runtime routes them: `start` starts a child instance
/// (id from `key`, else derived from the effect id), `emit` delivers an event (default: to the
/// parent). Everything else goes to the responder.
public struct VirtualEngine<Responder: EffectResponder, Observer: StepObserver> {
    public let library: Library
    public private(set) var instances: [String: Snapshot] = [:]
    public private(set) var now: Instant
    public var responder: Responder
    public var observer: Observer
    /// Refused inputs (an answer the state does not accept), kept for reports.
    public private(set) var refusals: [(at: Instant, instance: String, error: StepError)] = []
    /// Drop completed instances to keep memory flat over millions of runs.
    public var forgetFinished: Bool
    public private(set) var steps = 0
    private var agenda = Agenda<AgendaItem>()
    private var interpreters: [String: Interpreter] = [:]

    public init(library: Library, start: Instant, responder: Responder, observer: Observer, forgetFinished: Bool = false) {
        self.library = library
        now = start
        self.responder = responder
        self.observer = observer
        self.forgetFinished = forgetFinished
    }

    func interpreter(_ workflow: String) throws(StepError) -> Interpreter {
        if let i = interpreters[workflow] { return i }
        return try Interpreter(library: library, workflowName: workflow)
    }

    /// Starts an instance now (or at `at`, which must not be in the past).
    @discardableResult
    public mutating func start(workflow: String, id: String, businessKey: String? = nil, parentId: String? = nil,
                               inputs: [String: Value], at: Instant? = nil) throws(StepError) -> Snapshot {
        if let at, at > now { run(until: at) }
        guard instances[id] == nil else { throw .alreadyStarted(instance: id) }
        let interp = try interpreter(workflow)
        interpreters[workflow] = interp
        let request = StartRequest(instanceId: id, businessKey: businessKey, parentId: parentId, inputs: inputs)
        let step = try interp.start(request, now: now)
        apply(step, input: .start(request))
        return step.snapshot
    }

    /// Schedules an external event (from a script or a behaviour model).
    public mutating func schedule(_ e: ScheduledEvent) {
        agenda.push(.event(instance: e.instanceId, name: e.event, payload: e.payload, id: e.id), at: max(e.at, now))
    }

    /// Delivers an event now; refusals are thrown (scripts want to know).
    @discardableResult
    public mutating func deliver(_ instanceId: String, event: String, payload: [String: Value] = [:], id: String? = nil) throws(StepError) -> Snapshot {
        guard let snapshot = instances[instanceId] else { throw .notActive(instance: instanceId, status: .cancelled) }
        let input = Input.event(name: event, payload: payload, id: id)
        let step = try interpreter(snapshot.workflow).step(snapshot, input, now: now)
        apply(step, input: input)
        return step.snapshot
    }

    /// Cancels an instance now, as `o2c cancel` does: it stops and its timers are dropped.
    @discardableResult
    public mutating func cancel(_ instanceId: String, reason: String) throws(StepError) -> Snapshot {
        guard let snapshot = instances[instanceId] else { throw .notActive(instance: instanceId, status: .cancelled) }
        let input = Input.cancel(reason: reason)
        let step = try interpreter(snapshot.workflow).step(snapshot, input, now: now)
        apply(step, input: input)
        return step.snapshot
    }

    /// Fires every timer and scheduled event due up to `until`, each at its own time.
    public mutating func run(until: Instant) {
        while let next = agenda.nextTime, next <= until {
            guard let (at, item) = agenda.pop() else { break }
            now = max(now, at)
            process(item)
        }
        now = max(now, until)
    }

    /// Runs until nothing is left to do (or `limit` is reached).
    public mutating func runToEnd(limit: Instant) { run(until: limit) }

    public var pending: Int { agenda.count }

    private mutating func process(_ item: AgendaItem) {
        switch item {
        case .timer(let id, let key):
            guard let s = instances[id], s.status == .active, s.timers.contains(where: { $0.key == key && $0.due <= now }) else { return }
            let input = Input.timer(key: key)
            do { apply(try interpreter(s.workflow).step(s, input, now: now), input: input) } catch { refusals.append((now, id, error)) }
        case .event(let id, let name, let payload, let eventId):
            guard let s = instances[id] else { return }
            let input = Input.event(name: name, payload: payload, id: eventId)
            do { apply(try interpreter(s.workflow).step(s, input, now: now), input: input) } catch { refusals.append((now, id, error)) }
        }
    }

    private mutating func apply(_ step: Step, input: Input) {
        steps += 1
        let s = step.snapshot
        let previous = instances[s.instanceId]
        if forgetFinished && s.status != .active { instances[s.instanceId] = nil } else { instances[s.instanceId] = s }
        // Schedule the timers this step created (old ones are skipped when they fire: not in the snapshot).
        for t in s.timers where !(previous?.timers.contains(t) ?? false) || previous?.state != s.state {
            agenda.push(.timer(instance: s.instanceId, key: t.key), at: max(t.due, now))
        }
        observer.observe(step, input: input, at: now)
        for effect in step.effects { route(effect, from: s) }
    }

    private mutating func route(_ effect: Effect, from s: Snapshot) {
        switch BuiltinEffect(effect, from: s) {
        case nil:
            return
        case .start(let wf, let childId, let key, let inputs):
            guard instances[childId] == nil else { return }
            do { try start(workflow: wf, id: childId, businessKey: key, parentId: s.instanceId, inputs: inputs) } catch {
                refusals.append((now, childId, error))
            }
        case .emit(let target, let event, let payload):
            agenda.push(.event(instance: target, name: event, payload: payload, id: effect.id), at: now)
        case .other:
            for e in responder.respond(to: effect, of: s, at: now) { schedule(e) }
        }
    }
}

/// Observes nothing.
public struct NoObserver: StepObserver {
    public init() {}
    public mutating func observe(_ step: Step, input: Input, at: Instant) {}
}
