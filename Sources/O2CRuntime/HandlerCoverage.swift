import O2CCore
import O2CModel

/// `o2c validate`'s check that every action in the library has a handler (E0206): an effect
/// without one would only be dead-lettered at run time.
public enum HandlerCoverage {
    /// `rejected`: actions whose entry in the config already has an error (reported there, not twice).
    public static func check(_ library: Library, registry: HandlerRegistry, configFile: String, rejected: Set<String> = []) -> [Diagnostic] {
        let calls = library.actionCalls
        var reported = Set<String>()
        var ds: [Diagnostic] = []
        let known = Array(registry.configuredActions.union(HandlerRegistry.builtInActions)).sorted()
        for call in calls where !registry.canPerform(call.name) && !rejected.contains(call.name) {
            guard reported.insert("\(call.span)").inserted else { continue }
            ds.append(.error("E0206", "no handler is configured for action `\(call.name)`", at: call.span,
                             notes: ["configured and built-in actions: \(Suggest.list(known))"],
                             help: Suggest.didYouMean(call.name, in: known)
                                ?? "map it in \(configFile), e.g. `handlers: {\(call.name): {kind: log}}`"))
        }
        return ds
    }
}
