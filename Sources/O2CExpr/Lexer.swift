import O2CCore

/// Splits expression text into tokens, stopping at the first error.
///
/// Works on Unicode scalars because diagnostic columns count scalars. Literals that analysts write
/// all day get their own token kinds (`2026-01-31`, `7d`, `5000 EUR`) so the parser and checker
/// never have to guess what a run of digits and letters meant.
struct Lexer {
    private let s: [Unicode.Scalar]
    private var i = 0

    static func tokenize(_ scalars: [Unicode.Scalar]) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(s: scalars)
        var tokens: [Token] = []
        while let t = try lexer.next() { tokens.append(t) }
        tokens.append(Token(kind: .end, start: scalars.count, end: scalars.count))
        return tokens
    }

    private init(s: [Unicode.Scalar]) { self.s = s }

    private func at(_ k: Int) -> Unicode.Scalar? { k < s.count ? s[k] : nil }

    private mutating func next() throws(SyntaxError) -> Token? {
        while let c = at(i), isSpace(c) { i += 1 }
        guard let c = at(i) else { return nil }
        let start = i
        if isDigit(c) { return try number() }
        if isIdentStart(c) {
            while let d = at(i), isIdentChar(d) { i += 1 }
            let word = text(start, i)
            let kind: TokenKind = Keyword(rawValue: word).map { .keyword($0) } ?? .identifier(word)
            return Token(kind: kind, start: start, end: i)
        }
        if c == "\"" || c == "'" { return try string(quote: c) }
        for two in [Symbol.dotdot, .coalesce, .eq, .ne, .le, .ge] {
            let u = Array(two.rawValue.unicodeScalars)
            if c == u[0], at(i + 1) == u[1] {
                i += 2
                return Token(kind: .symbol(two), start: start, end: i)
            }
        }
        if let one = Symbol(rawValue: String(Character(c))) {
            i += 1
            return Token(kind: .symbol(one), start: start, end: i)
        }
        var err = SyntaxError(message: "unexpected character \(Lexer.show(c))", start: start, end: start + 1)
        switch c {
        case "!": err.help = "use `not` to negate a condition, or `!=` to compare"
        case "&": err.help = "use `and` to combine conditions"
        case "|": err.help = "use `or` to combine conditions"
        case "\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}": err.help = "use straight quotes `\"` or `'` around text"
        default: break
        }
        throw err
    }

    /// A character as a message shows it: printable ones in backticks, others as `U+XXXX`.
    static func show(_ c: Unicode.Scalar) -> String {
        if c.value < 0x20 || c.value == 0x7F || (c.value >= 0x80 && c.value < 0xA0) || c.properties.generalCategory == .format {
            let hex = String(c.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "`\(c)`"
    }

    // MARK: Numbers, dates, durations, money

    private mutating func number() throws(SyntaxError) -> Token {
        let start = i
        if let t = try dateOrDatetime() { return t }
        while let d = at(i), isDigit(d) || d == "_" { i += 1 }
        var isInteger = true
        if at(i) == ".", let d = at(i + 1), isDigit(d) {
            isInteger = false
            i += 1
            while let d = at(i), isDigit(d) || d == "_" { i += 1 }
        }
        let numberEnd = i
        let numberText = text(start, numberEnd)
        // Letters glued to the number: a duration (`7d`, `1d12h`) or a currency without a space.
        if let c = at(i), isIdentStart(c) {
            while let d = at(i), isIdentChar(d) { i += 1 }
            let whole = text(start, i)
            let suffix = text(numberEnd, i)
            if isInteger, !numberText.contains("_"), let d = Duration(parsing: whole) {
                return Token(kind: .duration(d), start: start, end: i)
            }
            if let cur = Currency(suffix), let amount = try decimal(numberText, start, numberEnd) {
                return Token(kind: .money(Money(amount, cur)), start: start, end: i)
            }
            if let f = suffix.unicodeScalars.first, "wdhms".unicodeScalars.contains(f) {
                throw SyntaxError(message: "invalid duration `\(whole)`", start: start, end: i,
                                  help: "write a whole number followed by units in the order w d h m s, like `7d`, `36h` or `1d12h`")
            }
            throw SyntaxError(message: "invalid number `\(whole)`", start: start, end: i)
        }
        guard let value = try decimal(numberText, start, numberEnd) else {
            throw SyntaxError(message: "invalid number `\(numberText)`", start: start, end: numberEnd)
        }
        // `5000 EUR`: a currency code after the number, separated by spaces.
        var j = i
        while let c = at(j), c == " " || c == "\t" { j += 1 }
        // `AND` and `NOT` are keywords typed in capitals, never currencies.
        if j > i, j + 3 <= s.count, (j..<(j + 3)).allSatisfy({ isUpper(s[$0]) }), !(at(j + 3).map(isIdentChar) ?? false),
           Keyword(rawValue: text(j, j + 3).lowercased()) == nil, let cur = Currency(text(j, j + 3)) {
            i = j + 3
            return Token(kind: .money(Money(value, cur)), start: start, end: i)
        }
        return Token(kind: .number(value, isInteger: isInteger), start: start, end: numberEnd)
    }

    private func decimal(_ t: String, _ start: Int, _ end: Int) throws(SyntaxError) -> ExactDecimal? {
        if let v = ExactDecimal(t) { return v }
        if let dot = t.firstIndex(of: "."), t[t.index(after: dot)...].filter(\.isNumber).count > ExactDecimal.scale {
            throw SyntaxError(message: "number `\(t)` has more than \(ExactDecimal.scale) decimal places", start: start, end: end)
        }
        throw SyntaxError(message: "number `\(t)` is too large", start: start, end: end)
    }

    /// `YYYY-MM-DD` with an optional `Thh:mm[:ss[.fff]][Z|±hh:mm]`; `nil` (nothing consumed) if the
    /// digits do not have that shape, so `2026-1` stays a subtraction.
    private mutating func dateOrDatetime() throws(SyntaxError) -> Token? {
        let b = i
        func digits(_ from: Int, _ n: Int) -> Bool { (from..<(from + n)).allSatisfy { at($0).map(isDigit) ?? false } }
        guard digits(b, 4), at(b + 4) == "-", digits(b + 5, 2), at(b + 7) == "-", digits(b + 8, 2),
              !(at(b + 10).map(isDigit) ?? false) else { return nil }
        var e = b + 10
        var isDatetime = false
        if at(e) == "T", digits(e + 1, 2), at(e + 3) == ":", digits(e + 4, 2) {
            isDatetime = true
            e += 6
            if at(e) == ":", digits(e + 1, 2) {
                e += 3
                if at(e) == ".", digits(e + 1, 1) {
                    e += 1
                    while at(e).map(isDigit) ?? false { e += 1 }
                }
            }
            if at(e) == "Z" {
                e += 1
            } else if at(e) == "+" || at(e) == "-", digits(e + 1, 2), at(e + 3) == ":", digits(e + 4, 2) {
                e += 6
            }
        }
        let t = text(b, e)
        i = e
        if isDatetime {
            guard let v = Instant(parsing: t) else { throw SyntaxError(message: "invalid datetime `\(t)`", start: b, end: e) }
            return Token(kind: .datetime(v), start: b, end: e)
        }
        guard let d = Day(parsing: t) else { throw SyntaxError(message: "invalid date `\(t)`", start: b, end: e) }
        return Token(kind: .date(d), start: b, end: e)
    }

    // MARK: Strings

    private mutating func string(quote: Unicode.Scalar) throws(SyntaxError) -> Token {
        let start = i
        i += 1
        var out = String.UnicodeScalarView()
        while let c = at(i) {
            if c == quote {
                i += 1
                return Token(kind: .string(String(out)), start: start, end: i)
            }
            if c == "\\" {
                guard let e = at(i + 1) else { break }
                switch e {
                case "\"", "'", "\\": out.append(e)
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default:
                    throw SyntaxError(message: "unknown escape `\\\(e)` in string", start: i, end: i + 2,
                                      help: "write `\\\\` for a backslash; the escapes are `\\\"` `\\'` `\\\\` `\\n` `\\t` `\\r`")
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        throw SyntaxError(message: "unterminated string", start: start, end: start + 1, label: "string starts here",
                          help: "close the string with \(quote == "\"" ? "`\"`" : "`'`")")
    }

    // MARK: Character classes

    private func text(_ a: Int, _ b: Int) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s[a..<b])
        return String(v)
    }
}

@inline(__always) func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
@inline(__always) func isUpper(_ c: Unicode.Scalar) -> Bool { c.value >= 65 && c.value <= 90 }
@inline(__always) func isIdentStart(_ c: Unicode.Scalar) -> Bool {
    (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122) || c == "_"
}
@inline(__always) func isIdentChar(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || isDigit(c) }
/// Spaces, tabs, line breaks, and the no-break space that spreadsheets paste into cells.
@inline(__always) func isSpace(_ c: Unicode.Scalar) -> Bool {
    c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{A0}"
}
