/// One semantic change between two libraries, as an analyst would say it:
/// "rules/credit-policy.yaml: `policy.new_customer_limit` 5000.00 EUR → 3000.00 EUR".
///
/// Why not a text diff: reformatting a file, moving a table to another file or reordering keys
/// changes no behaviour, while a one-character edit of a cell does; the report must show the
/// second kind only, named by what it is (a policy value, a table row, a ladder step, a state).
public struct PolicyChange: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case added, removed, changed
    }

    /// The file the changed thing lives in (the candidate's; the baseline's when removed).
    public var file: String
    /// What changed: "`policy.new_customer_limit`", "ladder `b2b` step `late_fee`", "table `credit_decision` row 4".
    public var subject: String
    public var kind: Kind
    /// How: "5000.00 EUR → 3000.00 EUR", "day 30 → 21", "added: when {…} then {…}".
    public var detail: String

    public init(file: String, subject: String, kind: Kind, detail: String) {
        self.file = file
        self.subject = subject
        self.kind = kind
        self.detail = detail
    }

    /// One line: "rules/credit-policy.yaml: `policy.new_customer_limit` 5000.00 EUR → 3000.00 EUR",
    /// "rules/dunning-b2b.yaml: ladder `b2b` step `late_fee`: day 30 → 21".
    public var text: String { "\(file): \(subject)\(subject.hasPrefix("`policy.") ? " " : ": ")\(detail)" }
}
