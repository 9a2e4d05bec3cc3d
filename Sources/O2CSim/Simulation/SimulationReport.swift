import O2CCore

/// Everything `o2c simulate` prints, as plain values: the renderers (text, Markdown, JSON,
/// HTML) only lay it out, so every format says the same thing and a test can check the numbers.
public struct SimulationReport: Sendable {
    public struct Header: Sendable {
        /// "HEAD (89621b0)", "rules-v1/", "working tree".
        public var baseline: String
        public var candidate: String
        /// "synthetic" or "replay".
        public var mode: String
        /// Lines saying what was run: population, seed, orders, period; or the database replayed.
        public var details: [String]
        public init(baseline: String, candidate: String, mode: String, details: [String]) {
            self.baseline = baseline
            self.candidate = candidate
            self.mode = mode
            self.details = details
        }
    }

    /// One key figure under both policies.
    public struct KPIRow: Sendable, Equatable {
        /// What the figures are, so a program reading the JSON gets one type per row whatever
        /// the values: counts and decimals as numbers, money as exact text.
        public enum Kind: String, Sendable { case count, money, decimal }
        public var section: String
        public var name: String
        public var baseline: String
        public var candidate: String
        public var delta: String
        public var changed: Bool
        public var kind: Kind = .count
    }

    /// Notes that qualify the figures (refused inputs, unknown outcomes, unreplayable instances).
    public struct Note: Sendable, Equatable {
        public var title: String
        public var lines: [String]
        public init(title: String, lines: [String]) {
            self.title = title
            self.lines = lines
        }
    }

    /// Cumulative cash collected per calendar day, one currency, both policies.
    public struct CashSeries: Sendable, Equatable {
        public var currency: Currency
        public var days: [Day]
        public var baseline: [ExactDecimal]
        public var candidate: [ExactDecimal]
    }

    public var header: Header
    public var changes: [PolicyChange]
    public var kpis: [KPIRow]
    /// Orders compared, and how many behaved identically under both policies.
    public var compared: Int
    public var identical: Int
    public var groups: [ChangeGroup]
    public var notes: [Note]
    public var cash: CashSeries?
    /// How much work the run took; not part of any format (the same report comes out of a run
    /// that shares steps and one that does not), for `--timing`.
    public var effort = Effort()

    public struct Effort: Sendable, Equatable {
        /// Steps each policy took.
        public var baselineSteps = 0
        public var candidateSteps = 0
        /// Steps taken once for both policies (`PairedEngine`).
        public var sharedSteps = 0
    }

    public var changed: Int { compared - identical }
}
