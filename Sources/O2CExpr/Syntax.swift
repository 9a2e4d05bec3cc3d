import O2CCore

/// Binary operators that become one node each. `and`/`or` are n-ary (`Syntax.Kind.logical`) and
/// `??` has its own node because both short-circuit.
enum BinaryOp: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case `in` = "in", notIn = "not in"

    var isArithmetic: Bool { self == .add || self == .sub || self == .mul || self == .div || self == .mod }
    var isOrdering: Bool { self == .lt || self == .le || self == .gt || self == .ge }
    var isEquality: Bool { self == .eq || self == .ne }
    var isMembership: Bool { self == .in || self == .notIn }
}

/// The untyped syntax tree, with scalar offsets for diagnostics and `height` for the depth limit.
struct Syntax: Sendable {
    indirect enum Kind: Sendable {
        case literal(Value, ExprType)
        case name(String)
        /// `?`, the input value of a decision-table cell.
        case input
        case member(Syntax, field: String, fieldStart: Int)
        case index(Syntax, Syntax)
        case call(String, nameEnd: Int, [Syntax])
        case negate(Syntax, opEnd: Int)
        case not(Syntax, opEnd: Int)
        case binary(BinaryOp, Syntax, Syntax, opStart: Int, opEnd: Int)
        case logical(isAnd: Bool, [Syntax])
        case coalesce(Syntax, Syntax, opStart: Int)
        case condition(Syntax, then: Syntax, else: Syntax)
        case list([Syntax])
        case object([(key: String, value: Syntax)])
    }

    var kind: Kind
    var start: Int
    var end: Int
    var height: Int

    init(_ kind: Kind, _ start: Int, _ end: Int, children: [Syntax] = []) {
        self.kind = kind
        self.start = start
        self.end = end
        height = 1 + (children.map(\.height).max() ?? 0)
    }
}
