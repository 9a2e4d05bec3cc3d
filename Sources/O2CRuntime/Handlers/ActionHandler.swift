import O2CCore

/// What a handler receives: one effect from the outbox, with the instance it came from.
public struct EffectDelivery: Sendable {
    /// The idempotency key: the same effect is always delivered with the same id, also on retry.
    public var effectId: String
    public var instanceId: String
    public var workflow: String
    public var action: String
    /// Evaluated arguments (`template`, `to`, `amount`…).
    public var arguments: [String: Value]
    /// The instance's inputs and context at delivery time, for templates and exports.
    public var instanceData: [String: Value]
    /// Delivery attempt, 1-based.
    public var attempt: Int
    public var now: Instant

    public init(effectId: String, instanceId: String, workflow: String, action: String, arguments: [String: Value],
                instanceData: [String: Value], attempt: Int, now: Instant) {
        self.effectId = effectId
        self.instanceId = instanceId
        self.workflow = workflow
        self.action = action
        self.arguments = arguments
        self.instanceData = instanceData
        self.attempt = attempt
        self.now = now
    }

    /// The effect as handlers outside the process see it (stdin of `exec`, body of `webhook`).
    public var json: JSON {
        .object([
            ("effect_id", .string(effectId)), ("instance_id", .string(instanceId)), ("workflow", .string(workflow)),
            ("action", .string(action)), ("arguments", Value.object(arguments).plainJSON), ("attempt", .number(ExactDecimal(attempt))),
            ("now", .string(now.description)),
        ])
    }
}

/// A handler may answer with an event for the instance (`reserve_stock` → `stock_reserved`).
public struct HandlerAnswer: Sendable, Equatable {
    public var event: String
    public var payload: JSON
    public init(event: String, payload: JSON = .object([])) {
        self.event = event
        self.payload = payload
    }

    /// `{"event": "stock_reserved", "data": {...}}` — the answer format of `exec` and `webhook`.
    public init?(json: JSON) {
        guard case .string(let e)? = json["event"] else { return nil }
        event = e
        payload = json["data"] ?? .object([])
    }

    public var json: JSON { .object([("event", .string(event)), ("data", payload)]) }
}

/// Why a delivery failed. `permanent` failures are dead-lettered at once, others retried with backoff.
public struct HandlerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var permanent: Bool
    public init(_ message: String, permanent: Bool = false) {
        self.message = message
        self.permanent = permanent
    }
    public var description: String { message }
}

/// Performs one kind of effect. Implementations must tolerate the same `effectId` twice
/// (at-least-once delivery: a crash after the handler ran but before it was recorded).
public protocol ActionHandler: Sendable {
    func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer?
}
