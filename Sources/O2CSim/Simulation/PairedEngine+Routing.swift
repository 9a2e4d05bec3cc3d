import O2CCore
import O2CEngine
import O2CModel

/// Effects routed the way `VirtualEngine` routes them, on the sides that produced them.
extension PairedEngine {
    /// `start` starts a child on each side that does not hold it yet; `emit` queues an event
    /// (default: to the parent); anything else goes to each side's responder (to one only when
    /// they answer alike), and answers both give alike are queued once for both.
    mutating func route(_ effect: Effect, from s: borrowing Snapshot, on sides: Sides) {
        switch BuiltinEffect(effect, from: s) {
        case nil:
            return
        case .start(let wf, let childId, let key, let inputs):
            var absent: Sides = []
            for side in sides.members where !instances.holds(childId, side) { absent.insert(Sides(side)) }
            guard !absent.isEmpty else { return }
            let request = StartRequest(instanceId: childId, businessKey: key, parentId: s.instanceId, inputs: inputs)
            let errors = start(request, workflow: wf, on: absent)
            for side in absent.members {
                if let error = errors[side.rawValue] { self[side].refusals.append((now, childId, error)) }
            }
        case .emit(let target, let event, let payload):
            agenda.push((.event(instance: target, name: event, payload: payload, id: effect.id), sides), at: now)
        case .other:
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
