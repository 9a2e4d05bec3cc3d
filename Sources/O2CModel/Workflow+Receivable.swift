import O2CExpr

extension Workflow {
    /// A receivable: takes money `payment…` events against a `due_date` and runs a dunning ladder
    /// (a collections case takes payments too, but has no ladder and is not a second invoice).
    /// Reports and the simulator's behaviour model find the library's invoice workflow this way,
    /// by shape rather than by name, so an analyst may rename it.
    public var isReceivable: Bool {
        events.contains { $0.name.contains("payment") && $0.payload.fields.contains { $0.type.unwrapped == .money } }
            && inputs.hasField("due_date") && states.contains { $0.ladder != nil }
    }
}

extension ObjectType {
    /// Whether a field of this name is declared here or in a nested object.
    public func hasField(_ name: String) -> Bool {
        fields.contains { f in
            if f.name == name { return true }
            if case .object(let o) = f.type.unwrapped { return o.hasField(name) }
            return false
        }
    }
}
