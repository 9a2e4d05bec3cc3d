import O2CCore
import O2CSim

/// The demo's stand-in for the outside world, registered as the handler of every action the
/// library uses: it asks `BehaviourModel` what the warehouse, carrier, customer or agency does.
///
/// An answer due at once for the same instance goes back as the handler's answer (the
/// runtime applies it through the interpreter, as a real handler's); later ones wait in the
/// demo's `EventQueue`. `notify` is also rendered by the real notify handler when one is given.
struct BehaviourHandler: ActionHandler {
    let model: BehaviourModel
    let queue: EventQueue
    let inner: (any ActionHandler)?
    let counts: ActionCounts

    func handle(_ d: EffectDelivery) throws(HandlerError) -> HandlerAnswer? {
        var answer: HandlerAnswer?
        if d.attempt == 1 {
            counts.add(d.action)
            let context = EffectContext(effectId: d.effectId, action: d.action, arguments: d.arguments, state: nil,
                                        instanceId: d.instanceId, workflow: d.workflow, data: d.instanceData, at: d.now)
            for e in model.answers(context) {
                if answer == nil, e.instanceId == d.instanceId, e.at <= d.now {
                    answer = HandlerAnswer(event: e.event, payload: Value.object(e.payload).plainJSON)
                } else {
                    queue.push(e)
                }
            }
        }
        _ = try inner?.handle(d)
        return answer
    }
}
