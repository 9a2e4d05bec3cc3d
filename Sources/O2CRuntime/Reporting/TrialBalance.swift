import O2CCore

/// The general ledger as the library books it: every `journal` effect {debit, credit, amount,
/// memo} summed per account. Pure.
public struct TrialBalance: Sendable {
    public struct Account: Sendable, Equatable {
        public var name: String
        public var debit: ExactDecimal
        public var credit: ExactDecimal
        /// Debit minus credit.
        public var balance: ExactDecimal { (try? debit - credit) ?? .zero }
    }

    /// Sorted by name.
    public var accounts: [Account]
    /// Entries that were not well formed (no account on a side, no money amount): they make the
    /// totals differ, which is the point of the check.
    public var malformed: Int
    public var entries: Int

    public var debits: ExactDecimal { accounts.reduce(.zero) { (try? $0 + $1.debit) ?? $0 } }
    public var credits: ExactDecimal { accounts.reduce(.zero) { (try? $0 + $1.credit) ?? $0 } }

    public init(_ effects: [ReportInput.EffectRow], action: String = "journal", through t: Instant? = nil) {
        var sums: [String: (ExactDecimal, ExactDecimal)] = [:]
        var malformed = 0, entries = 0
        for e in effects where e.action == action && (t == nil || e.at <= t!) {
            entries += 1
            guard case .money(let m)? = e.arguments["amount"] else { malformed += 1; continue }
            let debit = e.arguments["debit"].flatMap(Self.name), credit = e.arguments["credit"].flatMap(Self.name)
            if debit == nil || credit == nil { malformed += 1 }
            if let debit { sums[debit, default: (.zero, .zero)].0 = (try? sums[debit, default: (.zero, .zero)].0 + m.amount) ?? .zero }
            if let credit { sums[credit, default: (.zero, .zero)].1 = (try? sums[credit, default: (.zero, .zero)].1 + m.amount) ?? .zero }
        }
        accounts = sums.keys.sorted().map { Account(name: $0, debit: sums[$0]!.0, credit: sums[$0]!.1) }
        self.malformed = malformed
        self.entries = entries
    }

    static func name(_ v: Value) -> String? {
        if case .string(let s) = v, !s.isEmpty { return s }
        return nil
    }

    /// Net balance of the accounts whose name matches.
    public func balance(where matches: (String) -> Bool) -> ExactDecimal? {
        let hits = accounts.filter { matches($0.name) }
        guard !hits.isEmpty else { return nil }
        return hits.reduce(.zero) { (try? $0 + $1.balance) ?? $0 }
    }
}
