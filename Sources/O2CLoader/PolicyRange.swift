import O2CCore
import O2CModel

/// `min:` and `max:` of a policy value: whether a value (each item of a list) lies within them.
/// Bounds are compared as the expression language orders values: numbers, money of one
/// currency, durations, dates, datetimes.
public enum PolicyRange {
    /// Why `value` is outside `policy`'s bounds ("250 is above its max 100"), or nil when inside.
    public static func violation(_ value: Value, of policy: PolicyValue) -> String? {
        if case .list(let items) = value { return items.lazy.compactMap { violation($0, of: policy) }.first }
        if let min = policy.minimum, let c = compare(value, min), c < 0 { return "\(value) is below its min \(min)" }
        if let max = policy.maximum, let c = compare(value, max), c > 0 { return "\(value) is above its max \(max)" }
        return nil
    }

    /// -1, 0 or 1; nil when the two cannot be ordered (kinds or currencies differ).
    public static func compare(_ a: Value, _ b: Value) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.number(let x), .number(let y)): return sign(x, y)
        case (.money(let x), .money(let y)): return x.currency == y.currency ? sign(x.amount, y.amount) : nil
        case (.duration(let x), .duration(let y)): return sign(x.seconds, y.seconds)
        case (.date(let x), .date(let y)): return sign(x, y)
        case (.datetime(let x), .datetime(let y)): return sign(x, y)
        default: return nil
        }
    }
}
