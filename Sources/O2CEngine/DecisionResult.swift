import O2CCore
import O2CExpr
import O2CModel

/// What a decision table decided, and why: the inputs it saw and the rows that matched.
///
/// `value` is what a workflow sees as `<alias>` after `decide:`; its shape is always
/// `DecisionTable.resultType` (docs/decision-tables.md, "The result").
public struct DecisionResult: Sendable, Equatable {
    public var table: String
    /// The evaluated input values, for explanations ("why is this order on hold?").
    public var inputs: [String: Value]
    /// 1-based row numbers that matched, in row order. Hit policy `first` stops at the first match,
    /// so it lists at most one row.
    public var matchedRows: [Int]
    /// Rows whose outputs made the result: one or none for `unique`, `first`, `priority` and `any`;
    /// every matched row for `collect` (aggregated or not) and `rule order`; the matched rows in
    /// priority order for `output order`.
    public var selectedRows: [Int]
    /// The `.object` seen by workflows as `<alias>`.
    public var value: Value

    public init(table: String, inputs: [String: Value], matchedRows: [Int], selectedRows: [Int], value: Value) {
        self.table = table
        self.inputs = inputs
        self.matchedRows = matchedRows
        self.selectedRows = selectedRows
        self.value = value
    }
}

/// Why a decision table produced no result.
public enum DecisionError: Error, Sendable, Equatable {
    /// A cell or output expression failed (division by zero, currencies mixed…).
    case evaluation(EvalError)
    /// Hit policy `unique`, and more than one row matched.
    case uniqueViolation(table: String, rows: [Int])
    /// Hit policy `any`, and the matching rows disagree on the outputs.
    case anyConflict(table: String, rows: [Int])
    /// An input value does not have the input's declared type (or is missing).
    case inputType(table: String, input: String, expected: String, found: String)
}

extension DecisionError: CustomStringConvertible {
    /// One lowercase line, in the style of the diagnostics.
    public var description: String {
        switch self {
        case .evaluation(let e):
            return "\(e.span): \(e.message)"
        case .uniqueViolation(let table, let rows):
            return "rows \(Self.list(rows)) of table `\(table)` all match, but its hit policy is `unique`"
        case .anyConflict(let table, let rows):
            return "rows \(Self.list(rows)) of table `\(table)` match with different outputs, but its hit policy is `any`"
        case .inputType(let table, let input, let expected, let found):
            return "input `\(input)` of table `\(table)` must be \(expected), found \(found)"
        }
    }

    private static func list(_ rows: [Int]) -> String {
        let names = rows.map(String.init)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
