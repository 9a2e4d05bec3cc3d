import O2CCore
import O2CEngine
import O2CModel
import O2CStore

/// Start, advance and cancel: each one input, one transaction, retried on a concurrent update.
extension Runtime {
    /// How often an input is recomputed when another process updated the instance first.
    static let conflictRetries = 20

    /// Starts an instance of `workflow` with inputs given as JSON (checked against the declared types).
    @discardableResult
    public func start(workflow name: String, instanceId: String? = nil, businessKey: String? = nil, parentId: String? = nil,
                      inputs: JSON, now: Instant) throws(RuntimeError) -> Snapshot {
        guard let wf = library.workflow(name) else { throw .unknownWorkflow(name, known: library.workflows.map(\.name)) }
        guard case .object(let pairs) = inputs else { throw .badPayload("inputs must be a JSON object") }
        let values: [String: Value]
        do { values = try TypedValues.object(pairs, as: wf.inputs, path: "") } catch {
            throw .badPayload("input `\(error.path)` \(error.message)")
        }
        return try start(workflow: wf, in: library, instanceId: instanceId, businessKey: businessKey, parentId: parentId, values: values, now: now)
    }

    /// Starts with typed values, pinned to `lib` (the current library, or a parent's for a child).
    @discardableResult
    public func start(workflow wf: Workflow, in lib: Library, instanceId: String?, businessKey: String?, parentId: String?,
                      values: [String: Value], now: Instant) throws(RuntimeError) -> Snapshot {
        if let key = businessKey, let existing = try read({ try store.instance(workflow: wf.name, businessKey: key) }) {
            throw .duplicateBusinessKey(workflow: wf.name, key: key, existing: existing.id)
        }
        let id = instanceId ?? businessKey.map { "\(wf.name)-\($0)" } ?? "\(wf.name)-\(Self.randomSuffix())"
        let interp = interpreter(lib, wf)
        let step: Step
        do {
            step = try interp.start(StartRequest(instanceId: id, businessKey: businessKey, parentId: parentId, inputs: values), now: now)
        } catch { throw .refused(error) }
        let commit = CommitBuilder.commit(step, previous: nil, definitionHash: lib.hash, definition: lib.hash == library.hash ? definitionRecord : nil,
                                          actor: actor, eventId: nil, now: now)
        do { try store.commit(commit) } catch let e as StoreError {
            if case .duplicateInstance = e { throw .refused(.alreadyStarted(instance: id)) }
            throw .store(e)
        } catch { throw .store(.sqlite(code: -1, message: "\(error)")) }
        return step.snapshot
    }

    public enum AdvanceResult: Sendable {
        /// Recorded and applied; `ignored` says why, when the state handles the event but no
        /// transition's condition held (a zero payment): recorded in history, nothing else changed.
        case applied(Snapshot, ignored: String? = nil)
        /// The event id was processed before: acknowledged, nothing changed.
        case duplicate(Snapshot)
        public var snapshot: Snapshot {
            switch self { case .applied(let s, _), .duplicate(let s): s }
        }
        public var ignored: String? {
            if case .applied(_, let why) = self { why } else { nil }
        }
    }

    /// Delivers an event (payload as JSON, checked against the event's declared fields).
    @discardableResult
    public func advance(_ instanceId: String, event: String, payload: JSON = .object([]), eventId: String? = nil,
                        now: Instant) throws(RuntimeError) -> AdvanceResult {
        try apply(instanceId, eventId: eventId, now: now) { (interp: Interpreter, snapshot: Snapshot) throws(RuntimeError) -> Input in
            guard case .object(let pairs) = payload else { throw .badPayload("event data must be a JSON object") }
            guard let decl = interp.workflow.event(event) else {
                throw .refused(.unknownEvent(event: event, workflow: interp.workflow.name, declared: interp.workflow.events.map(\.name)))
            }
            let typed: [String: Value]
            do throws(TypedValues.Problem) { typed = try TypedValues.object(pairs, as: decl.payload, path: "") } catch {
                throw .refused(.invalidPayload(event: event, field: error.path, problem: error.message))
            }
            if let foreign = TypedValues.foreignCurrency(in: typed, for: snapshot) {
                throw .refused(.invalidPayload(event: event, field: foreign.path,
                                               problem: "is in \(foreign.found.code), but `\(instanceId)` holds its amounts in \(foreign.held.map(\.code).joined(separator: ", "))"))
            }
            return .event(name: event, payload: typed, id: eventId)
        }
    }

    @discardableResult
    public func cancel(_ instanceId: String, reason: String, now: Instant) throws(RuntimeError) -> Snapshot {
        try apply(instanceId, eventId: nil, now: now) { (_: Interpreter, _: Snapshot) throws(RuntimeError) -> Input in .cancel(reason: reason) }.snapshot
    }

    /// Read, step, commit; on a version conflict, read again and recompute (optimistic concurrency).
    func apply(_ instanceId: String, eventId: String?, now: Instant,
               input makeInput: (Interpreter, Snapshot) throws(RuntimeError) -> Input) throws(RuntimeError) -> AdvanceResult {
        for _ in 0..<Self.conflictRetries {
            guard let record = try read({ try store.instance(id: instanceId) }) else { throw .unknownInstance(instanceId) }
            let snapshot = try decode(record)
            if let eventId, try read({ try store.isEventProcessed(instanceId: instanceId, eventId: eventId) }) {
                return .duplicate(snapshot)
            }
            let interpreter = try interpreter(for: record)
            let input = try makeInput(interpreter, snapshot)
            // Time moves forward only, as for timers (`fireTime`): a clock behind the instance's
            // last change (another host's, a little ahead) takes effect at that change.
            let at = max(now, snapshot.updatedAt)
            let step: Step
            do { step = try interpreter.step(snapshot, input, now: at) } catch { throw .refused(error) }
            let commit = CommitBuilder.commit(step, previous: record, definitionHash: record.definitionHash, definition: nil,
                                              actor: actor, eventId: eventId, now: at)
            do {
                try store.commit(commit)
                let ignored = step.history.first { $0.kind == "ignored" && $0.fields["event"] != nil }
                return .applied(step.snapshot, ignored: ignored.map { $0.fields["reason"]?.plainText ?? "no transition applied" })
            } catch let e as StoreError {
                switch e {
                case .conflict: continue
                case .duplicateEvent: return .duplicate(snapshot)
                default: throw .store(e)
                }
            } catch { throw .store(.sqlite(code: -1, message: "\(error)")) }
        }
        throw .store(.conflict(instanceId: instanceId))
    }

    func decode(_ record: InstanceRecord) throws(RuntimeError) -> Snapshot {
        do { return try SnapshotCodec.decode(record.snapshot) } catch { throw .corrupt("instance `\(record.id)`: \(error)") }
    }

    static func randomSuffix() -> String {
        String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }
}
