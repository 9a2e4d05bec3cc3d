/// Finds the structure of a decision-table cell (items, `not(...)`, range brackets) without
/// parsing the expressions inside, honouring quotes and brackets so that `"a, b"` or
/// `max(a, b)` are never split.
struct CellScanner {
    let s: [Unicode.Scalar]

    /// `start..<end` with surrounding whitespace removed.
    func trim(_ start: Int, _ end: Int) -> (Int, Int) {
        var a = start, b = end
        while a < b, isSpace(s[a]) { a += 1 }
        while b > a, isSpace(s[b - 1]) { b -= 1 }
        return (a, b)
    }

    func text(_ start: Int, _ end: Int) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s[start..<end])
        return String(v)
    }

    /// Calls `body(offset, depth)` for every scalar outside string literals; `depth` counts open
    /// brackets of any kind before it. Stops early when `body` returns `false`.
    func walk(_ start: Int, _ end: Int, _ body: (Int, Int) -> Bool) {
        var i = start, depth = 0
        while i < end {
            let c = s[i]
            if c == "\"" || c == "'" {
                i += 1
                while i < end, s[i] != c { i += s[i] == "\\" ? 2 : 1 }
                i += 1
                continue
            }
            if c == ")" || c == "]" || c == "}" { depth = max(0, depth - 1) }
            if !body(i, depth) { return }
            if c == "(" || c == "[" || c == "{" { depth += 1 }
            i += 1
        }
    }

    /// The top-level comma-separated items, trimmed.
    func items(_ start: Int, _ end: Int) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var itemStart = start
        walk(start, end) { i, depth in
            if depth == 0, s[i] == "," {
                out.append(trim(itemStart, i))
                itemStart = i + 1
            }
            return true
        }
        out.append(trim(itemStart, end))
        return out
    }

    /// The offset of the bracket closing the one at `open`, if any.
    func closing(_ open: Int, _ end: Int) -> Int? {
        var found: Int?
        walk(open, end) { i, depth in
            if i > open, depth == 0 {
                found = i
                return false
            }
            return true
        }
        return found.flatMap { s[$0] == ")" || s[$0] == "]" ? $0 : nil }
    }

    /// The `..` of a range `[a..b)`: at depth 1 inside the outer bracket.
    func rangeDots(_ start: Int, _ end: Int) -> Int? {
        var found: Int?
        walk(start, end) { i, depth in
            if depth == 1, s[i] == ".", i + 1 < end, s[i + 1] == "." {
                found = i
                return false
            }
            return true
        }
        return found
    }

    /// `new`, `follow-up`, `gold_2`: a word that a string column reads as text.
    func isBareWord(_ start: Int, _ end: Int) -> Bool {
        guard start < end, isIdentStart(s[start]) else { return false }
        guard s[start..<end].allSatisfy({ isIdentChar($0) || $0 == "-" }) else { return false }
        return !["true", "false", "null", "not"].contains(text(start, end))
    }
}
