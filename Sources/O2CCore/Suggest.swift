/// "Did you mean …?" by edit distance, as rustc and swift-argument-parser do it.
public enum Suggest {
    /// The closest candidate within a distance that grows with the word (1 for short names,
    /// up to 3), trying candidates in declaration order so ties go to the first declared.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let limit = word.count <= 3 ? 1 : word.count <= 6 ? 2 : 3
        var best: (String, Int)?
        let lowered = word.lowercased()
        for c in candidates where c != word {
            let d = distance(lowered, c.lowercased())
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        if let best { return best.0 }
        // A shortened name (`due` for `due_date`) is not close by edits but is by prefix.
        guard word.count >= 3 else { return nil }
        return candidates.first { $0.lowercased().hasPrefix(lowered) && $0 != word }
    }

    /// `help:` text for an unknown name, or `nil` when nothing is close.
    public static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String? {
        closest(to: word, in: candidates).map { "did you mean `\($0)`?" }
    }

    /// Levenshtein distance with transpositions counted as one edit (Damerau, optimal string alignment).
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev2 = [Int](repeating: 0, count: y.count + 1)
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[y.count]
    }

    /// `a, b, c` in backticks-free form for notes, shortened after `limit` names.
    public static func list(_ names: [String], limit: Int = 12) -> String {
        names.count <= limit ? names.joined(separator: ", ")
            : names.prefix(limit).joined(separator: ", ") + ", … (\(names.count - limit) more)"
    }
}
