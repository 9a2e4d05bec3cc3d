import O2CCore
import O2CModel

/// A YAML node with exact source positions, converted from Yams' `Node` right after parsing.
///
/// Why our own: Yams' `Node` is not `Sendable`, and the loader needs spans (start + length)
/// on every key and value to underline the smallest piece of text in a diagnostic.
public indirect enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case mapping([(key: YAMLScalar, value: YAMLNode)], Span)
    case sequence([YAMLNode], Span)

    public var span: Span {
        switch self {
        case .scalar(let s): s.span
        case .mapping(_, let span), .sequence(_, let span): span
        }
    }

    /// What an analyst would call this kind of value, for "expected a mapping, found a list".
    public var kindName: String {
        switch self {
        case .scalar: "a single value"
        case .mapping: "a mapping (key: value lines)"
        case .sequence: "a list (- items)"
        }
    }
}

public struct YAMLScalar: Sendable {
    public enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }
    public var text: String
    /// Where the text (not its quote or block indicator) starts; length covers a one-line token.
    public var span: Span
    public var style: Style

    public init(text: String, span: Span, style: Style) {
        self.text = text
        self.span = span
        self.style = style
    }

    /// `null`, `~` or empty, written without quotes.
    public var isNull: Bool { style == .plain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL") }
}

extension YAMLNode {
    /// For mappings: the value of `key`, if present.
    public subscript(key: String) -> YAMLNode? {
        if case .mapping(let pairs, _) = self { return pairs.first { $0.key.text == key }?.value }
        return nil
    }

    public func keySpan(_ key: String) -> Span? {
        if case .mapping(let pairs, _) = self { return pairs.first { $0.key.text == key }?.key.span }
        return nil
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let s) = self { return s }
        return nil
    }
}
