import O2CCore

/// Input the engine refuses. A refused input changes nothing: no snapshot, no history, no effect.
public enum StepError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownWorkflow(String)
    case notActive(instance: String, status: Snapshot.Status)
    case unknownEvent(event: String, workflow: String, declared: [String])
    case eventNotAccepted(event: String, state: String, accepted: [String])
    case invalidPayload(event: String, field: String, problem: String)
    case invalidInput(field: String, problem: String)
    case unknownTimer(key: String)
    case alreadyStarted(instance: String)

    public var description: String {
        switch self {
        case .unknownWorkflow(let w): "unknown workflow `\(w)`"
        case .notActive(let i, let s): "instance `\(i)` is \(s.rawValue) and accepts no more input"
        case .unknownEvent(let e, let w, let declared):
            "workflow `\(w)` has no event `\(e)`" + (declared.isEmpty ? "" : " (events: \(declared.joined(separator: ", ")))")
                + (Suggest.didYouMean(e, in: declared).map { "; \($0)" } ?? "")
        case .eventNotAccepted(let e, let s, let accepted):
            "event `\(e)` is not accepted in state `\(s)`" + (accepted.isEmpty ? " (it accepts no events)" : " (accepted: \(accepted.joined(separator: ", ")))")
        case .invalidPayload(let e, let f, let p): "event `\(e)`: field `\(f)` \(p)"
        case .invalidInput(let f, let p): "input `\(f)` \(p)"
        case .unknownTimer(let k): "no timer `\(k)` is pending"
        case .alreadyStarted(let i): "instance `\(i)` already exists"
        }
    }

    /// Stable code for the CLI's messages and docs/cli.md.
    public var code: String {
        switch self {
        case .unknownWorkflow: "E0601"
        case .notActive: "E0602"
        case .unknownEvent: "E0603"
        case .eventNotAccepted: "E0604"
        case .invalidPayload, .invalidInput: "E0605"
        case .unknownTimer: "E0606"
        case .alreadyStarted: "E0607"
        }
    }
}
