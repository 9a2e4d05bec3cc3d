import O2CCore

/// Turns scalar offsets inside an expression's text into spans in the file it came from.
///
/// The loader gives us only where the text *starts*. Tokens on the first line are simply shifted
/// along that line. For text that continues on later lines (a folded YAML scalar) we cannot know
/// the indentation the YAML parser stripped, so, as a best effort, a token on a continuation line
/// gets `line = start line + newlines before it` and `column = start column + its column within
/// its own line of the expression text`. That is exact when the continuation lines are indented
/// like the first one, which is how YAML block scalars are usually written.
struct SourceMap: Sendable {
    let base: Span
    /// Offset of the first scalar of each line of the text; `lineStarts[0] == 0`.
    let lineStarts: [Int]
    let count: Int

    init(_ scalars: [Unicode.Scalar], base: Span) {
        self.base = base
        var starts = [0]
        for (i, c) in scalars.enumerated() where c == "\n" { starts.append(i + 1) }
        lineStarts = starts
        count = scalars.count
    }

    /// The span of scalars `start..<end` (an empty range still underlines one column).
    func span(_ start: Int, _ end: Int) -> Span {
        var line = 0
        if lineStarts.count > 1 {
            var lo = 0, hi = lineStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= start { lo = mid } else { hi = mid - 1 }
            }
            line = lo
        }
        let column = start - lineStarts[line]
        let lineEnd = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : max(count, start + 1)
        let length = max(1, min(end, lineEnd) - start)
        if line == 0 { return base.shifted(by: column, length: length) }
        return Span(file: base.file, line: base.line + line, column: base.column + column, length: length)
    }
}
