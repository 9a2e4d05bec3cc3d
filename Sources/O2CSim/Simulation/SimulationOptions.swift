import O2CCore
import O2CExpr
import O2CLoader
import O2CModel

/// The keys of a scenario file that belong to the simulator rather than to the population
/// (`PopulationSpec.reservedKeys`): which policies to compare by default, candidate policy
/// overrides, and how long to keep the clock running after the last order.
///
/// ```yaml
/// baseline: HEAD                    # used when --baseline is not given
/// candidate: rules-v2/              # used when --candidate is not given
/// policy:                           # overrides applied to the candidate
///   new_customer_limit: 3000.00 EUR
/// horizon: 365d                     # run this long after the last order arrives (default 730d)
/// ```
public struct SimulationOptions: Sendable {
    public var baseline: String?
    public var candidate: String?
    public var policy: [(name: String, value: YAMLNode)] = []
    public var horizon: Duration?

    public init() {}

    /// Reads the simulator's keys; the population's keys are `PopulationSpec.parse`'s business.
    public static func parse(_ text: String, file: String) -> (SimulationOptions, [Diagnostic]) {
        var options = SimulationOptions()
        var problems: [Diagnostic] = []
        let (docs, ds) = YAMLReader.documents(text, file: file)
        guard ds.isEmpty, let root = docs.first, case .mapping = root else { return (options, []) } // reported by the population reader
        func scalar(_ key: String) -> YAMLScalar? {
            guard let node = root[key] else { return nil }
            guard let s = node.scalar else {
                problems.append(.error("E0104", "`\(key)` must be a single value, found \(node.kindName)", at: node.span))
                return nil
            }
            return s
        }
        options.baseline = scalar("baseline")?.text
        options.candidate = scalar("candidate")?.text
        if let h = scalar("horizon") {
            if let d = Duration(parsing: h.text), d.seconds > 0 { options.horizon = d } else {
                problems.append(.error("E0105", "`horizon` must be a positive duration like `365d`", at: h.span))
            }
        }
        if let p = root["policy"] {
            if case .mapping(let pairs, _) = p {
                for (k, v) in pairs {
                    options.policy.append((k.text, v))
                }
            } else {
                problems.append(.error("E0104", "`policy` must be a mapping of policy values, found \(p.kindName)", at: p.span))
            }
        }
        if let c = root["compare"] {
            problems.append(.error("E0101", "`compare` is not supported by `o2c simulate`", at: c.span,
                                   help: "give the two policies with `baseline:` and `candidate:` (or --baseline, --candidate)"))
        }
        return (options, problems)
    }

    /// The library with the `policy:` overrides applied; each value must be a constant of the
    /// policy value's declared type (`3000.00 EUR` for money, `21d` for a duration, `delivery`
    /// for text), read as in a rules file (`PolicyConstant`).
    public func applyPolicy(to library: Library) -> (Library, [Diagnostic]) {
        var lib = library
        var problems: [Diagnostic] = []
        for (name, node) in policy {
            guard let i = lib.policy.firstIndex(where: { $0.name == name }) else {
                problems.append(.error("E0101", "unknown policy value `\(name)`", at: node.span,
                                       help: Suggest.didYouMean(name, in: lib.policy.map(\.name))))
                continue
            }
            switch PolicyConstant.override(node, of: lib.policy[i]) {
            case .success(let v): lib.policy[i].value = v
            case .failure(let r): problems.append(.error("E0105", r.message, at: r.span, help: r.help))
            }
        }
        return (lib, problems)
    }
}
