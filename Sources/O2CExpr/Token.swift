import O2CCore

/// Punctuation and operators. `=` is lexed only so that the parser can say "use `==`".
enum Symbol: String, Sendable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", dot = ".", dotdot = "..", colon = ":"
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case question = "?", coalesce = "??"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", assign = "="
}

enum Keyword: String, Sendable, CaseIterable {
    case `if`, then, `else`, and, or, not, `in`, `true`, `false`, null
}

enum TokenKind: Sendable {
    case number(ExactDecimal, isInteger: Bool)
    case money(Money)
    case string(String)
    case date(Day)
    case datetime(Instant)
    case duration(Duration)
    case identifier(String)
    case keyword(Keyword)
    case symbol(Symbol)
    case end
}

/// A token and where it is, as scalar offsets into the expression text.
struct Token: Sendable {
    var kind: TokenKind
    var start: Int
    var end: Int

    func isSymbol(_ s: Symbol) -> Bool {
        if case .symbol(let x) = kind { return x == s }
        return false
    }

    func isKeyword(_ k: Keyword) -> Bool {
        if case .keyword(let x) = kind { return x == k }
        return false
    }

    var isEnd: Bool {
        if case .end = kind { return true }
        return false
    }
}

/// A lexing, parsing or cell-structure error, in offsets; `SourceMap` turns it into a `Diagnostic`.
struct SyntaxError: Error, Sendable {
    struct Related: Sendable {
        var start: Int
        var end: Int
        var label: String
    }

    var code: String = Code.syntax
    var message: String
    var start: Int
    var end: Int
    var label: String = ""
    var help: String?
    var notes: [String] = []
    var related: [Related] = []

    func diagnostic(_ map: SourceMap) -> Diagnostic {
        Diagnostic(.error, code, message, at: Label(map.span(start, end), label),
                   secondary: related.map { Label(map.span($0.start, $0.end), $0.label) }, notes: notes, help: help)
    }
}
