import O2CCore

/// Orders whose path changed the same way.
public struct ChangeGroup: Sendable {
    public struct Example: Sendable, Equatable {
        public var root: String
        public var started: Instant
        public var divergence: Divergence
    }

    public var label: String
    public private(set) var count = 0
    /// Σ the orders' values (their `total`).
    public private(set) var atStake = MoneyTotals()
    /// Σ (candidate fees − baseline fees) over these orders.
    public private(set) var feeDelta = MoneyTotals()
    public private(set) var examples: [Example] = []
    public static let maxExamples = 3
    /// How the orders of the group end differently, when they do: "`completed` → `rejected`" → count.
    public private(set) var endings: [String: Int] = [:]

    public init(label: String) { self.label = label }

    /// Endings, most frequent first: [("`completed` → `rejected`", 3)].
    public var sortedEndings: [(ending: String, count: Int)] {
        endings.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }

    mutating func add(root: String, start: Instant, amount: Money?, divergence: Divergence, feeDelta: MoneyTotals, ending: String?) {
        count += 1
        if let ending { endings[ending, default: 0] += 1 }
        if let amount { atStake.add(amount) }
        self.feeDelta.add(feeDelta)
        if examples.count < Self.maxExamples { examples.append(Example(root: root, started: start, divergence: divergence)) }
    }
}
