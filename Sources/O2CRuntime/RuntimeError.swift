import O2CCore
import O2CEngine
import O2CStore

/// Why a runtime command refused to act. Every case changes nothing in the database.
public enum RuntimeError: Error, CustomStringConvertible {
    case unknownInstance(String)
    case unknownWorkflow(String, known: [String])
    case refused(StepError)
    case badPayload(String)
    case duplicateBusinessKey(workflow: String, key: String, existing: String)
    case store(StoreError)
    case corrupt(String)
    case libraryInvalid(String)

    public var description: String {
        switch self {
        case .unknownInstance(let id): "unknown instance `\(id)`"
        case .unknownWorkflow(let w, let known):
            "unknown workflow `\(w)`" + (Suggest.didYouMean(w, in: known).map { "; \($0)" } ?? "") + " (workflows: \(known.joined(separator: ", ")))"
        case .refused(let e): e.description
        case .badPayload(let m): m
        case .duplicateBusinessKey(let w, let k, let existing): "workflow `\(w)` already has an instance with business key `\(k)` (`\(existing)`)"
        case .store(let e): e.description
        case .corrupt(let m): m
        case .libraryInvalid(let m): m
        }
    }
}
