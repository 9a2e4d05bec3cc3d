import O2CCore
import O2CExpr

/// A DMN decision table: typed inputs, typed outputs, a hit policy and rows of unary tests.
public struct DecisionTable: Sendable {
    public var name: String
    public var description: String
    public var file: String
    public var span: Span
    public var hitPolicy: HitPolicy
    public var inputs: [TableInput]
    public var outputs: [TableOutput]
    public var rules: [TableRule]

    public init(name: String, description: String, file: String, span: Span, hitPolicy: HitPolicy,
                inputs: [TableInput], outputs: [TableOutput], rules: [TableRule]) {
        self.name = name
        self.description = description
        self.file = file
        self.span = span
        self.hitPolicy = hitPolicy
        self.inputs = inputs
        self.outputs = outputs
        self.rules = rules
    }

    /// The type of `<alias>` in a workflow.
    ///
    /// Single-hit policies (and `collect` with an aggregation) give one object of the outputs;
    /// an output is optional unless it has a default, since no row may match. Multi-hit policies
    /// give each output as a list, plus `rows`. Every result has `matched`: the row numbers.
    public var resultType: ExprType {
        let matched = ObjectType.Field(name: "matched", type: .list(.int))
        switch hitPolicy {
        case .collect(.count?):
            return .object(ObjectType(outputs.map { .init(name: $0.name, type: .int) } + [matched]))
        case _ where hitPolicy.isSingleHit:
            return .object(ObjectType(outputs.map {
                .init(name: $0.name, type: $0.defaultValue == nil ? .optional($0.type.unwrapped) : $0.type)
            } + [matched]))
        default:
            let row = ObjectType(outputs.map { .init(name: $0.name, type: $0.type) })
            return .object(ObjectType(outputs.map { .init(name: $0.name, type: .list($0.type)) }
                                      + [.init(name: "rows", type: .list(.object(row))), matched]))
        }
    }
}

/// DMN's seven hit policies.
public enum HitPolicy: Sendable, Hashable, CustomStringConvertible {
    /// At most one row may match; overlapping rows are a validation error.
    case unique
    /// Rows are tried in order; the first match wins.
    case first
    /// All matches; the one whose output ranks highest in the output's `values` list wins.
    case priority
    /// All matches must agree on the outputs.
    case any
    /// All matches, in row order, optionally aggregated (sum, min, max, count).
    case collect(Aggregation?)
    /// All matches, in row order.
    case ruleOrder
    /// All matches, sorted by output priority (`values` order).
    case outputOrder

    public enum Aggregation: String, Sendable, Hashable { case sum, min, max, count }

    public var isSingleHit: Bool {
        switch self {
        case .unique, .first, .priority, .any: true
        case .collect(let a): a != nil
        case .ruleOrder, .outputOrder: false
        }
    }

    public var description: String {
        switch self {
        case .unique: "unique"
        case .first: "first"
        case .priority: "priority"
        case .any: "any"
        case .collect(nil): "collect"
        case .collect(let a?): "collect \(a.rawValue)"
        case .ruleOrder: "rule order"
        case .outputOrder: "output order"
        }
    }
}

public struct TableInput: Sendable {
    public var name: String
    public var type: ExprType
    public var span: Span
    public init(name: String, type: ExprType, span: Span) {
        self.name = name
        self.type = type
        self.span = span
    }
}

public struct TableOutput: Sendable {
    public var name: String
    public var type: ExprType
    /// Priority order for `priority` and `output order` policies (first = highest).
    public var values: [Value]
    /// Output when no row matches (single-hit policies); `null` when absent.
    public var defaultValue: Expression?
    public var span: Span
    public init(name: String, type: ExprType, values: [Value] = [], defaultValue: Expression? = nil, span: Span) {
        self.name = name
        self.type = type
        self.values = values
        self.defaultValue = defaultValue
        self.span = span
    }
}

public struct TableRule: Sendable {
    /// 1-based row number, as analysts count them.
    public var number: Int
    public var span: Span
    /// One test per table input, in input order (`-` for inputs the row omits).
    public var tests: [UnaryTest]
    /// One expression per output, in output order.
    public var outputs: [Expression]
    public var annotation: String?
    public init(number: Int, span: Span, tests: [UnaryTest], outputs: [Expression], annotation: String? = nil) {
        self.number = number
        self.span = span
        self.tests = tests
        self.outputs = outputs
        self.annotation = annotation
    }
}

/// A dunning ladder: ordered steps at offsets from an anchor date, stopped by a condition.
public struct Ladder: Sendable {
    public var name: String
    public var description: String
    public var file: String
    public var span: Span
    /// What the workflow must bind (`balance`, `due_date`…).
    public var inputs: ObjectType
    /// The input (a date or datetime) that offsets count from.
    public var anchor: String
    /// When it holds, no further step fires (e.g. `balance <= 0 EUR`).
    public var stopWhen: Expression?
    public var steps: [LadderStep]

    public init(name: String, description: String, file: String, span: Span, inputs: ObjectType, anchor: String,
                stopWhen: Expression?, steps: [LadderStep]) {
        self.name = name
        self.description = description
        self.file = file
        self.span = span
        self.inputs = inputs
        self.anchor = anchor
        self.stopWhen = stopWhen
        self.steps = steps
    }
}

public struct LadderStep: Sendable {
    public var name: String
    public var span: Span
    /// As written: from the anchor, or from the previous step when `relativeToPrevious`.
    public var offset: Duration
    public var relativeToPrevious: Bool
    /// Offset from the anchor after resolving relative steps.
    public var offsetFromAnchor: Duration
    public var guardExpression: Expression?
    public var actions: [ActionCall]
    public var fee: FeeRule?
    /// A state of the workflow to move to when the step fires.
    public var target: String?
    /// `catch_up: true`: when the step's day has already passed as the state is entered, it is
    /// due at once instead of skipped (an invoice imported long overdue still goes to collections).
    public var catchUp: Bool

    public init(name: String, span: Span, offset: Duration, relativeToPrevious: Bool, offsetFromAnchor: Duration,
                guardExpression: Expression?, actions: [ActionCall], fee: FeeRule?, target: String?, catchUp: Bool = false) {
        self.name = name
        self.span = span
        self.offset = offset
        self.relativeToPrevious = relativeToPrevious
        self.offsetFromAnchor = offsetFromAnchor
        self.guardExpression = guardExpression
        self.actions = actions
        self.fee = fee
        self.target = target
        self.catchUp = catchUp
    }
}

/// A late fee: `percent` of `base` plus `flat`, clamped to `[min, max]`, rounded to the currency.
public struct FeeRule: Sendable {
    public var base: Expression
    public var percent: Expression?
    public var flat: Expression?
    public var minimum: Expression?
    public var maximum: Expression?
    public var span: Span
    public init(base: Expression, percent: Expression?, flat: Expression?, minimum: Expression?, maximum: Expression?, span: Span) {
        self.base = base
        self.percent = percent
        self.flat = flat
        self.minimum = minimum
        self.maximum = maximum
        self.span = span
    }
}

/// A named constant analysts change most: limits, fee percents, grace days. Read as `policy.<name>`.
public struct PolicyValue: Sendable {
    public var name: String
    public var value: Value
    public var type: ExprType
    public var description: String
    public var file: String
    public var span: Span
    /// The bounds an analyst declared (`min:`, `max:`, both included): a value or an override
    /// outside them is refused, so a slip (`250` for a 2.5 % fee) is caught where it is typed.
    public var minimum: Value?
    public var maximum: Value?
    public init(name: String, value: Value, type: ExprType, description: String, file: String, span: Span,
                minimum: Value? = nil, maximum: Value? = nil) {
        self.name = name
        self.value = value
        self.type = type
        self.description = description
        self.file = file
        self.span = span
        self.minimum = minimum
        self.maximum = maximum
    }
}
