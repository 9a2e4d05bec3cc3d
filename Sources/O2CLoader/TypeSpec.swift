import O2CCore
import O2CModel
import O2CExpr

/// Reads type declarations: `string`, `money?`, `list<int>`, a nested mapping (an object),
/// a one-item list (a list of that item), or `{type: string, sensitive: true}`.
extension LoadContext {
    static let fieldSpecKeys: Set<String> = ["type", "sensitive", "description", "optional"]

    mutating func type(_ node: YAMLNode, _ what: String) -> (ExprType, sensitive: Bool)? {
        switch node {
        case .scalar(let s):
            guard let t = Self.parseType(s.text) else {
                report(.error("E0105", "unknown type `\(s.text)` for \(what)", at: s.span,
                              notes: ["types: string, int, decimal, money, bool, date, datetime, duration, list<T>, a nested mapping; add `?` for optional"],
                              help: Suggest.didYouMean(s.text.trimmingSuffix("?"), in: Self.typeNames)))
                return nil
            }
            return (t, false)
        case .sequence(let items, _):
            guard items.count == 1 else {
                report(.error("E0105", "a list type has exactly one item: the type of its elements", at: node.span,
                              help: "write `- string` or `list<string>`"))
                return nil
            }
            guard let (inner, _) = type(items[0], what) else { return nil }
            return (.list(inner), false)
        case .mapping(let pairs, _):
            if let typeNode = pairs.first(where: { $0.key.text == "type" })?.value,
               pairs.allSatisfy({ Self.fieldSpecKeys.contains($0.key.text) }), case .scalar = typeNode {
                guard var (t, _) = type(typeNode, what) else { return nil }
                var sensitive = false
                if let s = pairs.first(where: { $0.key.text == "sensitive" })?.value { sensitive = bool(s, "`sensitive`") ?? false }
                if let o = pairs.first(where: { $0.key.text == "optional" })?.value, bool(o, "`optional`") == true, !t.isOptional { t = .optional(t) }
                return (t, sensitive)
            }
            guard let object = objectType(node, what) else { return nil }
            return (.object(object), false)
        }
    }

    /// A mapping of field name → type, in order.
    mutating func objectType(_ node: YAMLNode, _ what: String) -> ObjectType? {
        guard let pairs = mapping(node, what) else { return nil }
        var fields: [ObjectType.Field] = []
        var seen: [String: Span] = [:]
        for (key, value) in pairs {
            guard let name = name(key, "field") else { continue }
            if let first = seen[name] {
                report(Diagnostic(.error, "E0103", "duplicate field `\(name)` in \(what)", at: Label(key.span, "declared again here"),
                                  secondary: [Label(first, "first declared here")]))
                continue
            }
            seen[name] = key.span
            if let (t, sensitive) = type(value, "field `\(name)`") {
                fields.append(.init(name: name, type: t, sensitive: sensitive))
            } else {
                // Its type is reported; dropping the field would add "no field" at every use.
                fields.append(.init(name: name, type: .any, sensitive: false))
            }
        }
        return ObjectType(fields)
    }

    static let typeNames = ["string", "int", "decimal", "money", "bool", "date", "datetime", "duration", "any"]

    static func parseType(_ text: String) -> ExprType? {
        var t = Substring(text).trimmingCharacters(" ")
        var optional = false
        if t.hasSuffix("?") { optional = true; t = t.dropLast() }
        let base: ExprType
        switch t {
        case "string", "text": base = .string
        case "int", "integer": base = .int
        case "decimal", "number": base = .decimal
        case "money": base = .money
        case "bool", "boolean": base = .bool
        case "date": base = .date
        case "datetime": base = .datetime
        case "duration": base = .duration
        case "any": base = .any
        default:
            if t.hasPrefix("list<"), t.hasSuffix(">"), let inner = parseType(String(t.dropFirst(5).dropLast())) {
                base = .list(inner)
            } else if t.hasPrefix("["), t.hasSuffix("]"), let inner = parseType(String(t.dropFirst().dropLast())) {
                base = .list(inner)
            } else {
                return nil
            }
        }
        return optional ? .optional(base) : base
    }
}

extension Substring {
    func trimmingCharacters(_ c: Character) -> Substring {
        var s = self
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return s
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
