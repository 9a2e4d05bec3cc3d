import O2CCore
import O2CEngine

/// The two effects a virtual engine performs itself, as the runtime does: `start` a child and
/// `emit` an event. Read here once for both virtual engines.
enum BuiltinEffect {
    /// `start {workflow, key?, input?}`: the child's id comes from `key`, else from the effect id.
    case start(workflow: String, childId: String, key: String?, inputs: [String: Value])
    /// `emit {event, to?, data?}`: to the parent unless `to` names another instance.
    case emit(target: String, event: String, payload: [String: Value])
    /// Anything else: for a responder.
    case other

    /// `nil` for a built-in effect without what it needs (no workflow, no event, no parent):
    /// nothing to do. Borrowed: an initializer owns its arguments otherwise, and every effect
    /// routed copied (retained, then released) its instance's whole snapshot to be read here.
    init?(_ effect: borrowing Effect, from s: borrowing Snapshot) {
        switch effect.action {
        case "start":
            guard case .string(let wf)? = effect.arguments["workflow"] else { return nil }
            var key: String?
            if case .string(let k)? = effect.arguments["key"] { key = k }
            let childId = key.map { "\(wf)-\($0)" } ?? "\(s.instanceId).\(wf).\(effect.id.split(separator: ":").dropFirst().joined(separator: "."))"
            var inputs: [String: Value] = [:]
            if case .object(let o)? = effect.arguments["input"] { inputs = o }
            self = .start(workflow: wf, childId: childId, key: key, inputs: inputs)
        case "emit":
            guard case .string(let event)? = effect.arguments["event"] else { return nil }
            var target = s.parentId
            if case .string(let t)? = effect.arguments["to"] { target = t }
            guard let target else { return nil }
            var payload: [String: Value] = [:]
            if case .object(let o)? = effect.arguments["data"] { payload = o }
            self = .emit(target: target, event: event, payload: payload)
        default:
            self = .other
        }
    }
}
