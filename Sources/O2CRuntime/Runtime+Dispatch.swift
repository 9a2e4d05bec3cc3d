import O2CCore
import O2CEngine
import O2CModel
import O2CStore

/// Delivering outbox effects to handlers after commit: retries with backoff, dead letters,
/// handler answers fed back through the interpreter, child workflows and `emit`.
extension Runtime {
    public struct DispatchReport: Sendable, Equatable {
        public var delivered = 0
        public var retried = 0
        public var dead = 0
        public var answers = 0
        public init() {}

        mutating func add(_ other: DispatchReport) {
            delivered += other.delivered
            retried += other.retried
            dead += other.dead
            answers += other.answers
        }
    }

    /// Delivers every pending effect due at `now`. Delivery is at-least-once: a crash after the
    /// handler ran but before it was recorded delivers again, with the same effect id.
    @discardableResult
    public func dispatch(now: Instant, limit: Int = 500) throws(RuntimeError) -> DispatchReport {
        try drain({ try store.pendingOutbox(dueAt: now, limit: limit) }, at: { _ in now })
    }

    /// Delivers the pending `start` and `emit` effects written at or before `bound`, each at the
    /// moment it was written (its first attempt time), in the order they were written: what
    /// `tick` does between deadlines.
    func dispatchEngineEffects(upTo bound: Instant, limit: Int = 500) throws(RuntimeError) -> DispatchReport {
        try drain({ try store.pendingEngineEffects(dueAt: bound, limit: limit) }, at: \.nextAttemptAt)
    }

    /// Delivers pages of pending effects until a page brings nothing new (a retried effect is due
    /// later, so each effect is tried at most once per call).
    private func drain(_ page: () throws -> [OutboxRecord], at time: (OutboxRecord) -> Instant) throws(RuntimeError) -> DispatchReport {
        var report = DispatchReport()
        var seen = Set<String>()
        while true {
            let pending = try read { try page() }.filter { !seen.contains($0.effectId) }
            if pending.isEmpty { break }
            for effect in pending {
                seen.insert(effect.effectId)
                try deliver(effect, now: time(effect), report: &report)
            }
        }
        return report
    }

    private func deliver(_ effect: OutboxRecord, now: Instant, report: inout DispatchReport) throws(RuntimeError) {
        var arguments: [String: Value] = [:]
        if let json = try? JSON.parse(effect.arguments), case .object(let o)? = Value(taggedJSON: json) { arguments = o }
        let record = try read { try store.instance(id: effect.instanceId) }
        var instanceData: [String: Value] = [:]
        // `start` and `emit` need the record only; decoding the snapshot for them was most of the
        // cost of dispatching a busy outbox.
        if let record, effect.action != "start", effect.action != "emit", let snapshot = try? decode(record) {
            instanceData = snapshot.inputs.merging(snapshot.context) { _, b in b }
            instanceData["instance_id"] = .string(snapshot.instanceId)
        }
        let delivery = EffectDelivery(effectId: effect.effectId, instanceId: effect.instanceId, workflow: record?.workflow ?? "",
                                      action: effect.action, arguments: arguments, instanceData: instanceData,
                                      attempt: effect.attempts + 1, now: now)
        do {
            let answer: HandlerAnswer?
            switch effect.action {
            case "start": answer = try startChild(delivery, parent: record, now: now)
            case "emit": answer = try emitEvent(delivery, parent: record, now: now)
            default:
                guard let handler = handlers.handler(for: effect.action) else {
                    throw HandlerError("no handler is configured for action `\(effect.action)` (add it to o2c.yaml)", permanent: true)
                }
                answer = try handler.handle(delivery)
            }
            if let answer {
                report.answers += 1
                do {
                    try advance(effect.instanceId, event: answer.event, payload: answer.payload, eventId: effect.effectId + "/answer", now: now)
                } catch .refused(let e) where Self.isHandlerMistake(e) {
                    // An answer no version of the workflow could take (a misspelt event, a field of the
                    // wrong type) is the handler's bug: dead-lettered where `o2c outbox --dead` shows it,
                    // and retried once the handler is fixed, instead of leaving the instance waiting.
                    throw HandlerError("answer `\(answer.event)` was refused: \(e.description)", permanent: true)
                } catch {
                    // The instance moved on (timed out, cancelled, completed): a late answer has nothing to do.
                    logger.warning("answer `\(answer.event)` to effect \(effect.effectId) was refused: \(error)")
                }
            }
            try read { try store.markDelivered(effectId: effect.effectId, at: now, answer: answer?.json.serialized()) }
            report.delivered += 1
        } catch let error as HandlerError {
            let attempts = effect.attempts + 1
            let dead = error.permanent || attempts >= retry.maxAttempts
            let next = now.adding(retry.delay(afterAttempt: attempts))
            try read { try store.markFailed(effectId: effect.effectId, attempts: attempts, nextAttemptAt: next, error: error.message, dead: dead) }
            if dead { report.dead += 1 } else { report.retried += 1 }
            logger.warning("effect \(effect.effectId) (\(effect.action)) failed on attempt \(attempts): \(error.message)\(dead ? "; dead-lettered" : "")")
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw .corrupt("\(error)")
        }
    }

    static func isHandlerMistake(_ e: StepError) -> Bool {
        switch e {
        case .unknownEvent, .invalidPayload: true
        default: false
        }
    }

    /// `start: {workflow, key, input}`: the child's id derives from the effect, so a redelivery
    /// finds the child already there instead of starting a second one.
    private func startChild(_ d: EffectDelivery, parent: InstanceRecord?, now: Instant) throws -> HandlerAnswer? {
        guard case .string(let name)? = d.arguments["workflow"] else { throw HandlerError("`start` has no workflow", permanent: true) }
        let lib = try parent.map { try library(hash: $0.definitionHash) } ?? library
        guard let wf = lib.workflow(name) else { throw HandlerError("unknown workflow `\(name)`", permanent: true) }
        var key: String?
        if case .string(let k)? = d.arguments["key"] { key = k }
        let childId = key.map { "\(name)-\($0)" } ?? "\(d.instanceId).\(name).\(d.effectId.split(separator: ":").dropFirst().joined(separator: "."))"
        if try read({ try store.instance(id: childId) }) != nil { return nil }
        var input: [String: Value] = [:]
        if case .object(let o)? = d.arguments["input"] { input = o }
        do {
            try start(workflow: wf, in: lib, instanceId: childId, businessKey: key, parentId: d.instanceId, values: input, now: now)
        } catch {
            if case .refused(.alreadyStarted) = error { return nil }
            if case .duplicateBusinessKey = error { return nil }
            throw HandlerError("cannot start `\(name)`: \(error)", permanent: true)
        }
        return nil
    }

    /// `emit: {event, to, data}`: delivers an event to another instance (default: the parent).
    private func emitEvent(_ d: EffectDelivery, parent: InstanceRecord?, now: Instant) throws -> HandlerAnswer? {
        guard case .string(let event)? = d.arguments["event"] else { throw HandlerError("`emit` has no event", permanent: true) }
        var target = parent?.parentId
        if case .string(let t)? = d.arguments["to"] { target = t }
        guard let target else {
            // A workflow run on its own (an invoice without an order) has nobody to tell: not an error.
            logger.info("effect \(d.effectId): `emit` of `\(event)` has no parent instance; nothing to deliver")
            return nil
        }
        var data: JSON = .object([])
        if let v = d.arguments["data"] { data = v.plainJSON }
        do {
            try advance(target, event: event, payload: data, eventId: d.effectId, now: now)
        } catch {
            throw HandlerError("event `\(event)` to `\(target)` was refused: \(error)", permanent: true)
        }
        return nil
    }
}
