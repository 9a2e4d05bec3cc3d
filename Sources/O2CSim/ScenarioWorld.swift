import O2CCore
import O2CEngine
import O2CModel

/// What a scenario script needs from whatever runs it: the virtual engine (fast, in memory) or
/// the durable runtime over SQLite. The same steps and expectations run against both.
public protocol ScenarioWorld {
    var now: Instant { get }
    func snapshot(_ id: String) -> Snapshot?
    var instanceIds: [String] { get }
    /// Every effect so far, in order.
    var effects: [(instance: String, at: Instant, effect: Effect)] { get }
    /// Every decision history entry so far, in order.
    var decisions: [(instance: String, data: [String: Value])] { get }
    /// Refused answers and other notes worth showing next to a failure.
    var refusalNotes: [String] { get }
    mutating func deliver(_ id: String, event: String, payload: [String: Value], id eventId: String?) throws
    mutating func run(until: Instant)
    var library: Library { get }
}

/// The virtual engine as a scenario world.
struct VirtualWorld: ScenarioWorld {
    var engine: VirtualEngine<ScriptedResponder, Recorder>
    var now: Instant { engine.now }
    var library: Library { engine.library }
    func snapshot(_ id: String) -> Snapshot? { engine.instances[id] }
    var instanceIds: [String] { engine.instances.keys.sorted() }
    var effects: [(instance: String, at: Instant, effect: Effect)] { engine.observer.effects }
    var decisions: [(instance: String, data: [String: Value])] { engine.observer.decisions }
    var refusalNotes: [String] { engine.refusals.map { "an answer was refused at \($0.at) by `\($0.instance)`: \($0.error)" } }
    mutating func deliver(_ id: String, event: String, payload: [String: Value], id eventId: String?) throws {
        try engine.deliver(id, event: event, payload: payload, id: eventId)
    }
    mutating func run(until: Instant) { engine.run(until: until) }
}
