/// A runtime value of the expression language, the context and event payloads.
///
/// `int` and `decimal` share `.number`: the type checker keeps them apart, the evaluator does not
/// need to. Objects are dictionaries; every printer sorts their keys so output is deterministic.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(ExactDecimal)
    case string(String)
    case money(Money)
    case date(Day)
    case datetime(Instant)
    case duration(Duration)
    case list([Value])
    case object([String: Value])

    public static func int(_ n: Int) -> Value { .number(ExactDecimal(n)) }

    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The field of an object, or `nil`.
    public subscript(field: String) -> Value? {
        if case .object(let o) = self { return o[field] }
        return nil
    }

    /// A short name of the runtime kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .money: "money"
        case .date: "date"
        case .datetime: "datetime"
        case .duration: "duration"
        case .list: "list"
        case .object: "object"
        }
    }
}

extension Value: CustomStringConvertible {
    /// The value as an analyst would write it in an expression: `"new"`, `5000.00 EUR`, `2026-01-31`, `7d`.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n.description
        case .string(let s): "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
        case .money(let m): m.description
        case .date(let d): d.description
        case .datetime(let t): t.description
        case .duration(let d): d.description
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.keys.sorted().map { "\($0): \(o[$0]!.description)" }.joined(separator: ", ") + "}"
        }
    }

    /// Like `description`, but strings print bare: for templates, tables and messages.
    public var plainText: String {
        if case .string(let s) = self { return s }
        return description
    }
}

extension String {
    /// Foundation-free replace, so the core stays dependency-free and fast.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}

extension Substring {
    /// First occurrence of `needle`, by characters.
    func range(of needle: String) -> Range<Index>? {
        guard let first = needle.first else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i] == first, self[i...].hasPrefix(needle) {
                return i..<index(i, offsetBy: needle.count)
            }
            i = index(after: i)
        }
        return nil
    }
}
