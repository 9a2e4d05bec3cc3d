import O2CCore

/// The static type of an expression, a context variable, an input or an event field.
///
/// `int` is a subtype of `decimal`; `T` is a subtype of `T?`; `null` fits any optional.
public indirect enum ExprType: Sendable, Hashable, CustomStringConvertible {
    case any
    case null
    case bool
    case int
    case decimal
    case string
    case money
    case date
    case datetime
    case duration
    case list(ExprType)
    case object(ObjectType)
    case optional(ExprType)

    public var description: String {
        switch self {
        case .any: "any"
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .decimal: "decimal"
        case .string: "string"
        case .money: "money"
        case .date: "date"
        case .datetime: "datetime"
        case .duration: "duration"
        case .list(let t): "list<\(t)>"
        case .object(let o): o.description
        case .optional(let t): "\(t)?"
        }
    }

    /// The type without its `?`.
    public var unwrapped: ExprType {
        if case .optional(let t) = self { return t }
        return self
    }

    public var isOptional: Bool {
        switch self {
        case .optional, .null, .any: true
        default: false
        }
    }

    /// Whether a value of type `self` may be stored where `target` is declared.
    public func isAssignable(to target: ExprType) -> Bool {
        if self == target { return true }
        switch (self, target) {
        case (.any, _), (_, .any): return true
        case (.null, .optional): return true
        case (.int, .decimal): return true
        case (.optional(let a), .optional(let b)): return a.isAssignable(to: b)
        case (_, .optional(let b)): return isAssignable(to: b)
        case (.list(let a), .list(let b)): return a.isAssignable(to: b)
        case (.object(let a), .object(let b)):
            return b.fields.allSatisfy { f in
                if let t = a[f.name] { return t.isAssignable(to: f.type) }
                return f.type.isOptional
            }
        default: return false
        }
    }

    /// Whether a runtime value conforms to this type (used to validate payloads from outside).
    public func admits(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _): return true
        case (.optional, .null), (.null, .null): return true
        case (.optional(let t), _): return t.admits(value)
        case (.bool, .bool), (.string, .string), (.money, .money), (.date, .date),
             (.datetime, .datetime), (.duration, .duration), (.decimal, .number): return true
        case (.int, .number(let n)): return n.isInteger
        case (.list(let t), .list(let items)): return items.allSatisfy(t.admits)
        case (.object(let o), .object(let fields)):
            // Walks the value's fields and finds each one's declared type by name (a few string
            // comparisons), rather than hashing every declared name into the value: this checks
            // every order and answer that reaches the engine. Undeclared fields are not this
            // check's business.
            var declared = 0
            for (name, v) in fields {
                guard let t = o[name] else { continue }
                guard t.admits(v) else { return false }
                declared += 1
            }
            return declared == o.fields.count || o.fields.allSatisfy { f in fields[f.name] != nil || f.type.isOptional }
        default: return false
        }
    }
}

/// The fields of an object type, in declaration order (for "did you mean" and documentation).
public struct ObjectType: Sendable, Hashable, CustomStringConvertible {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var type: ExprType
        /// Redacted in history and logs (card numbers, bank accounts).
        public var sensitive: Bool
        public init(name: String, type: ExprType, sensitive: Bool = false) {
            self.name = name
            self.type = type
            self.sensitive = sensitive
        }
    }

    public var fields: [Field]

    public init(_ fields: [Field]) { self.fields = fields }

    public subscript(name: String) -> ExprType? { fields.first { $0.name == name }?.type }

    public var names: [String] { fields.map(\.name) }

    public var description: String {
        "{" + fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + "}"
    }
}
