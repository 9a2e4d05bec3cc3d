import O2CCore

/// Something the outside world does at a given time, fed identically to both policies: an
/// order arriving (a top-level start) or, in replay, a recorded external event or an operator's
/// cancellation (`o2c cancel`).
public struct Arrival: Sendable, Equatable {
    public enum What: Sendable, Equatable {
        case start(workflow: String, id: String, businessKey: String?, inputs: [String: Value])
        case event(instance: String, name: String, payload: [String: Value], id: String?)
        case cancel(instance: String, reason: String)
    }

    public var at: Instant
    /// The order (top-level instance) this belongs to.
    public var root: String
    public var what: What

    public init(at: Instant, root: String, what: What) {
        self.at = at
        self.root = root
        self.what = what
    }
}
