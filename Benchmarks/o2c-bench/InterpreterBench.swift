import Foundation
import O2CCore
import O2CEngine
import O2CModel
import O2CSim

/// Counts what the interpreter did: steps (inputs applied) and transitions taken.
struct CountingObserver: StepObserver {
    var steps = 0
    var transitions = 0
    var history = 0
    var effects = 0
    mutating func observe(_ step: Step, input: Input, at: Instant) {
        steps += 1
        history += step.history.count
        effects += step.effects.count
        for h in step.history where h.kind == "transition" { transitions += 1 }
    }
}

/// The demo book of business at a steady 100 orders a day, so that the number of orders in
/// flight (and memory) levels off once arrivals span an order's life (~100 days: 10k orders)
/// however many orders are simulated.
func steadySpec(orders: Int) -> PopulationSpec {
    var spec = PopulationSpec.demo
    spec.orders = orders
    spec.days = max(1, orders / 100)
    return spec
}

/// Figure 1: the pure interpreter, single core, through the whole order-to-cash library
/// (order → credit check → fulfilment → shipments → invoicing → invoices → dunning → paid),
/// on one virtual engine answered by the behaviour model.
enum InterpreterBench {
    struct Result {
        var seconds: Double
        var counts: CountingObserver
        var orders: Int
    }

    static func run(library: Library, orders: Int) -> Result {
        let spec = steadySpec(orders: orders)
        let population = Population(spec, library: library)
        var engine = VirtualEngine(library: library, start: spec.start, responder: BehaviourResponder(spec: spec, library: library),
                                   observer: CountingObserver(), forgetFinished: true)
        var last = spec.start
        let seconds = Clock.seconds {
            for plan in population {
                engine.run(until: plan.at)
                _ = try? engine.start(workflow: plan.workflow, id: plan.id, businessKey: plan.id, inputs: plan.inputs)
                last = max(last, plan.at)
            }
            engine.run(until: last.adding(Simulation.tail))
        }
        return Result(seconds: seconds, counts: engine.observer, orders: orders)
    }

    static func main(_ options: Options, library: Library) {
        let orders = options.orders ?? (options.quick ? 1_000 : 5_000)
        _ = run(library: library, orders: min(100, orders)) // warm-up
        var best: Result?
        for _ in 0..<(options.quick ? 1 : 2) {
            let r = run(library: library, orders: orders)
            if best == nil || r.seconds < best!.seconds { best = r }
        }
        let r = best!
        let c = r.counts
        let moves = Double(c.transitions + c.steps)
        Report.figure("interpreter.transitions_per_second", moves / r.seconds, "/s", target: .atLeast(1_000_000, "1,000,000"),
                      note: "\(c.transitions) transitions + \(c.steps) steps for \(r.orders) orders in \(String(format: "%.3f", r.seconds)) s")
        Report.figure("interpreter.steps_per_second", Double(c.steps) / r.seconds, "/s")
        Report.figure("interpreter.orders_per_second", Double(r.orders) / r.seconds, "/s")
        Report.figure("interpreter.steps_per_order", Double(c.steps) / Double(r.orders), "steps",
                      note: "\(String(format: "%.1f", Double(c.history) / Double(c.steps))) history entries and \(String(format: "%.2f", Double(c.effects) / Double(c.steps))) effects per step")
    }
}
