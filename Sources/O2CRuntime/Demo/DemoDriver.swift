import O2CCore
import O2CModel
import O2CSim

extension Demo {
    /// Starts orders and delivers the outside world's events through the runtime, each at its
    /// own time: first the timers due by then (`tick`), then the input, then its effects.
    struct Driver {
        let runtime: Runtime
        let library: Library
        let queue: EventQueue
        var started = 0, delivered = 0, payments = 0
        var refused: [String: Int] = [:]

        mutating func start(_ plan: OrderPlan) throws {
            try runtime.tick(now: plan.at)
            guard let wf = library.workflow(plan.workflow) else {
                refused["no workflow `\(plan.workflow)` to start orders with", default: 0] += 1
                return
            }
            do {
                try runtime.start(workflow: wf, in: library, instanceId: nil, businessKey: plan.id, parentId: nil, values: plan.inputs, now: plan.at)
                started += 1
            } catch {
                refused["order refused at start: \(error)", default: 0] += 1
                return
            }
            try runtime.dispatch(now: plan.at)
        }

        mutating func deliver(_ e: ScheduledEvent) throws {
            try runtime.tick(now: e.at)
            do {
                let r = try runtime.advance(e.instanceId, event: e.event, payload: Value.object(e.payload).plainJSON, eventId: e.id, now: e.at)
                if case .applied = r {
                    delivered += 1
                    if e.event.contains("payment") { payments += 1 }
                }
            } catch {
                switch error {
                case .refused(let s):
                    let why: String = switch s {
                    case .notActive: "`\(e.event)` after the instance had finished"
                    case .eventNotAccepted(_, let state, _): "`\(e.event)` not accepted in state `\(state)`"
                    default: "`\(e.event)` refused: \(s)"
                    }
                    refused[why, default: 0] += 1
                case .unknownInstance: refused["`\(e.event)` for an instance that does not exist", default: 0] += 1
                default: throw error
                }
                return
            }
            try runtime.dispatch(now: e.at)
        }
    }
}
