import O2CCore

/// Named shares that add up to 1 (`{new: 0.25, standard: 0.50, …}`): a weighted choice.
///
/// Shares are exact decimals and the pick walks them in the order written, so the same draw
/// always lands on the same name.
public struct Mix: Sendable, Hashable, CustomStringConvertible {
    public struct Share: Sendable, Hashable {
        public var name: String
        public var share: ExactDecimal
        public init(_ name: String, _ share: ExactDecimal) {
            self.name = name
            self.share = share
        }
    }

    public var shares: [Share]

    public init(_ shares: [Share]) { self.shares = shares }

    /// `Mix(["email": "0.85", "post": "0.15"])`-style construction from text, for defaults and tests.
    public init(_ pairs: KeyValuePairs<String, String>) {
        shares = pairs.map { Share($0.key, ExactDecimal($0.value) ?? .zero) }
    }

    public var names: [String] { shares.map(\.name) }

    public var total: ExactDecimal {
        shares.reduce(ExactDecimal.zero) { (try? $0 + $1.share) ?? $0 }
    }

    public func share(of name: String) -> ExactDecimal { shares.first { $0.name == name }?.share ?? .zero }

    /// The name whose cumulative band holds `u` (0 ≤ u < 1); the last name absorbs rounding.
    public func pick(_ u: ExactDecimal) -> String {
        var cumulative = ExactDecimal.zero
        for s in shares {
            cumulative = (try? cumulative + s.share) ?? cumulative
            if u < cumulative { return s.name }
        }
        return shares.last?.name ?? ""
    }

    public var description: String {
        "{" + shares.map { "\($0.name): \($0.share)" }.joined(separator: ", ") + "}"
    }
}
