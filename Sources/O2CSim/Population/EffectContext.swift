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
    /// The instance's own data, later layers first when looked up: context over inputs. Kept as
    /// layers rather than merged up front because most answers read one or two fields, and
    /// merging two dictionaries per effect was a sizeable part of a simulation's time.
    var layers: [[String: Value]]
    /// `instance_id`, above every layer, when the data comes from a snapshot: held as a field
    /// rather than as a one-entry dictionary built (and hashed into) for every effect.
    var instanceIdField: String?
    public var at: Instant

    /// The instance's data as one object (context over inputs, plus `instance_id`).
    public var data: [String: Value] {
        var merged: [String: Value] = [:]
        for layer in layers.reversed() { merged.merge(layer) { _, b in b } }
        if let id = instanceIdField { merged["instance_id"] = .string(id) }
        return merged
    }

    public init(effectId: String, action: String, arguments: [String: Value], state: String?, instanceId: String,
                workflow: String, data: [String: Value], at: Instant) {
        self.effectId = effectId
        self.action = action
        self.arguments = arguments
        self.state = state
        self.instanceId = instanceId
        self.workflow = workflow
        layers = [data]
        self.at = at
    }

    /// The layers are built once, in place (building one and replacing it cost an array per
    /// effect); the effect and snapshot are borrowed, not copied whole to read a few fields.
    public init(_ effect: borrowing Effect, of instance: borrowing Snapshot, at: Instant) {
        effectId = effect.id
        action = effect.action
        arguments = effect.arguments
        state = effect.state
        instanceId = instance.instanceId
        workflow = instance.workflow
        layers = [instance.context, instance.inputs]
        instanceIdField = instance.instanceId
        self.at = at
    }

    /// One top-level field of the data.
    public subscript(field name: String) -> Value? {
        if let id = instanceIdField, name == "instance_id" { return .string(id) }
        for layer in layers { if let v = layer[name] { return v } }
        return nil
    }

    /// Whether a layer before `index`, or `instance_id` above them all, has `key`.
    private func hidden(_ key: String, before index: Int) -> Bool {
        if instanceIdField != nil, key == "instance_id" { return true }
        return index > 0 && layers[..<index].contains(where: { $0[key] != nil })
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
    /// One level down, the object field whose key sorts first wins; an object is the one its
    /// key shows (the first layer that has the key). One pass, no key list to sort.
    public func find(_ name: String) -> Value? {
        if let v = self[field: name] { return v }
        var best: (key: String, value: Value)?
        for (i, layer) in layers.enumerated() {
            for (key, value) in layer {
                guard case .object(let o) = value, best == nil || key < best!.key, let v = o[name] else { continue }
                if hidden(key, before: i) { continue } // hidden by an earlier layer
                best = (key, v)
            }
        }
        return best?.value
    }
}
