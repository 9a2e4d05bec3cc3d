/// Names visible to an expression, in declaration order.
///
/// Order matters because "did you mean" prefers the first declared of equally close names, and
/// notes list names the way the author declared them.
public struct TypeScope: Sendable {
    private var order: [String] = []
    private var types: [String: ExprType] = [:]

    public init(_ entries: [(String, ExprType)] = []) {
        for (name, type) in entries { add(name, type) }
    }

    /// A scope with one more name; a name already present is shadowed but keeps its place in `names`.
    public func adding(_ name: String, _ type: ExprType) -> TypeScope {
        var copy = self
        copy.add(name, type)
        return copy
    }

    private mutating func add(_ name: String, _ type: ExprType) {
        if types.updateValue(type, forKey: name) == nil { order.append(name) }
    }

    public subscript(name: String) -> ExprType? { types[name] }

    public var names: [String] { order }
}
