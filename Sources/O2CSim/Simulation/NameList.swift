/// A few names to test membership in, compared one by one while there are few.
///
/// The key-figure spec names one or two actions and states per figure, and an observer asked
/// each set about every effect and every move: hashing the name cost ten times more than
/// comparing it with one or two others. Larger sets are still hashed.
struct NameList: Sendable {
    private let few: [String]?
    private let many: Set<String>

    init(_ names: Set<String>) {
        few = names.count <= 8 ? Array(names) : nil
        many = names
    }

    func contains(_ name: String) -> Bool {
        if let few { return few.contains(name) }
        return many.contains(name)
    }
}
