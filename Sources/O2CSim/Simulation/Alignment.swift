/// Aligns two lists of texts (table rows, ladder steps) the way a reader compares versions:
/// longest common subsequence first, then, between two kept items, a removed and an added item
/// at the same place are one *changed* item, and identical items that changed place are *moved*.
enum Alignment {
    enum Step: Equatable {
        case same(Int, Int)
        case removed(Int)
        case added(Int)
        case changed(Int, Int)
        case moved(Int, Int)
    }

    static func align(_ a: [String], _ b: [String]) -> [Step] {
        let n = a.count, m = b.count
        var lcs = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var steps: [Step] = []
        var removed: [Int] = [], added: [Int] = []
        var movedFrom: [Int: Int] = [:] // new index → old index, for identical texts in other places
        func flush() {
            var r = removed[...], d = added[...]
            while let i = r.first, let j = d.first {
                steps.append(.changed(i, j))
                r = r.dropFirst()
                d = d.dropFirst()
            }
            steps += r.map { .removed($0) } + d.map { .added($0) }
            removed = []
            added = []
        }
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                flush()
                steps.append(.same(i, j))
                i += 1
                j += 1
            } else if j < m, i == n || lcs[i][j + 1] >= lcs[i + 1][j] {
                added.append(j)
                j += 1
            } else {
                removed.append(i)
                i += 1
            }
        }
        flush()
        // A removed item whose text reappears as an added item elsewhere was moved, not edited.
        var out: [Step] = []
        var pendingRemoved = Set(steps.compactMap { if case .removed(let i) = $0 { return i } else { return nil } })
        for s in steps {
            if case .added(let j) = s, let i = pendingRemoved.sorted().first(where: { a[$0] == b[j] }) {
                pendingRemoved.remove(i)
                movedFrom[j] = i
            }
        }
        let movedOld = Set(movedFrom.values)
        for s in steps {
            switch s {
            case .removed(let i) where movedOld.contains(i): continue
            case .added(let j): if let i = movedFrom[j] { out.append(.moved(i, j)) } else { out.append(s) }
            default: out.append(s)
            }
        }
        return out
    }
}
