import O2CCore
import O2CEngine

/// One effect as the outside world receives it: what was asked, by which instance, with that
/// instance's data (inputs and context merged, as handlers see them), and when.
///
/// The simulator builds it from a `Snapshot`, the runtime's demo handlers from an
/// `EffectDelivery`, so both ask the same `BehaviourModel` the same question.
public struct EffectContext: Sendable {
    public var effectId: String
    public var action: String
    public var arguments: [String: Value]
    /// The state that produced the effect, when known.
    public var state: String?
    public var instanceId: String
    public var workflow: String
    public var data: [String: Value]
    public var at: Instant

    public init(effectId: String, action: String, arguments: [String: Value], state: String?, instanceId: String,
                workflow: String, data: [String: Value], at: Instant) {
        self.effectId = effectId
        self.action = action
        self.arguments = arguments
        self.state = state
        self.instanceId = instanceId
        self.workflow = workflow
        self.data = data
        self.at = at
    }

    public init(_ effect: Effect, of instance: Snapshot, at: Instant) {
        var data = instance.inputs.merging(instance.context) { _, b in b }
        data["instance_id"] = .string(instance.instanceId)
        self.init(effectId: effect.id, action: effect.action, arguments: effect.arguments, state: effect.state,
                  instanceId: instance.instanceId, workflow: instance.workflow, data: data, at: at)
    }

    /// `notify`'s template, if any.
    public var template: String? {
        if case .string(let t)? = arguments["template"] { return t }
        return nil
    }

    /// The input sequence that produced the effect (`inv-1:3:0` → 3).
    public var sequence: Int? {
        let parts = effectId.split(separator: ":")
        return parts.count >= 3 ? Int(parts[parts.count - 2]) : nil
    }

    /// A field of the data, top level first, then one level down (`due_date` in `invoice`).
    public func find(_ name: String) -> Value? {
        if let v = data[name] { return v }
        for key in data.keys.sorted() {
            if case .object(let o)? = data[key], let v = o[name] { return v }
        }
        return nil
    }
}
