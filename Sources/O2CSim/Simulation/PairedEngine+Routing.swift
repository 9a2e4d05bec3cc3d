import O2CCore
import O2CEngine
import O2CModel

/// Effects routed the way `VirtualEngine` routes them, on the sides that produced them.
extension PairedEngine {
    /// `start` starts a child on each side that does not hold it yet; `emit` queues an event
    /// (default: to the parent); anything else goes to each side's responder (to one only when
    /// they answer alike), and answers both give alike are queued once for both.
    mutating func route(_ effect: Effect, from s: Snapshot, on sides: Sides) {
        switch effect.action {
        case "start":
            guard case .string(let wf)? = effect.arguments["workflow"] else { return }
            var key: String?
            if case .string(let k)? = effect.arguments["key"] { key = k }
            let childId = key.map { "\(wf)-\($0)" } ?? "\(s.instanceId).\(wf).\(effect.id.split(separator: ":").dropFirst().joined(separator: "."))"
            var absent: Sides = []
            for side in sides.members where !instances.holds(childId, side) { absent.insert(Sides(side)) }
            guard !absent.isEmpty else { return }
            var inputs: [String: Value] = [:]
            if case .object(let o)? = effect.arguments["input"] { inputs = o }
            let request = StartRequest(instanceId: childId, businessKey: key, parentId: s.instanceId, inputs: inputs)
            let errors = start(request, workflow: wf, on: absent)
            for side in absent.members {
                if let error = errors[side.rawValue] { self[side].refusals.append((now, childId, error)) }
            }
        case "emit":
            guard case .string(let event)? = effect.arguments["event"] else { return }
            var target = s.parentId
            if case .string(let t)? = effect.arguments["to"] { target = t }
            guard let target else { return }
            var payload: [String: Value] = [:]
            if case .object(let o)? = effect.arguments["data"] { payload = o }
            agenda.push((.event(instance: target, name: event, payload: payload, id: effect.id), sides), at: now)
        default:
            if sides == .both && respondersAlike {
                for e in baseline.responder.respond(to: effect, of: s, at: now) { queue(e, on: .both) }
            } else if sides == .both {
                let a = baseline.responder.respond(to: effect, of: s, at: now)
                let b = candidate.responder.respond(to: effect, of: s, at: now)
                if a == b {
                    for e in a { queue(e, on: .both) }
                } else {
                    for e in a { queue(e, on: .baseline) }
                    for e in b { queue(e, on: .candidate) }
                }
            } else {
                for side in sides.members {
                    for e in self[side].responder.respond(to: effect, of: s, at: now) { queue(e, on: Sides(side)) }
                }
            }
        }
    }

    private mutating func queue(_ e: ScheduledEvent, on sides: Sides) {
        agenda.push((.event(instance: e.instanceId, name: e.event, payload: e.payload, id: e.id), sides), at: max(e.at, now))
    }
}
