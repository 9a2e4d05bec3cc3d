/// How much of each step's history an interpreter records.
///
/// Production stores history (the audit trail, hash-chained) and needs every field. The dry-run
/// simulator reads only what its observers count — each entry's kind, a transition's `from` and
/// `to`, a decision's `table` and `outputs`, a failure's message — and it built, compared and
/// freed the rest for every step of both policies: the inputs of a start, an event's payload,
/// an effect's arguments, a decision's inputs and rows, a trigger formatted for each transition.
public enum HistoryDetail: Sendable, Equatable {
    /// Every field of every entry (what production stores).
    case full
    /// The same entries of the same kinds, in the same order, with only the fields above: a
    /// transition keeps `from` and `to`, a decision `table` and `outputs`, a failure all of its
    /// fields; every other entry has none.
    case outline
}
