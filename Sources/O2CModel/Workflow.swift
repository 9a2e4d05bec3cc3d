import O2CCore
import O2CExpr

/// A validated workflow: a state machine over typed inputs, context variables and events.
///
/// Everything here is an immutable value built by the loader; the interpreter only reads it.
/// Expressions are already type-checked and compiled.
public struct Workflow: Sendable {
    /// The fields, in one object shared by every copy: the interpreter reaches its workflow
    /// through a computed property on every step, several times, and copying eleven stored
    /// fields retained and released ten references each time. Copy-on-write: a write to a copy
    /// that shares its storage copies the storage first, so copies stay independent values.
    private final class Storage: @unchecked Sendable {
        // @unchecked: written only through `Workflow`'s setters, and only while uniquely referenced.
        var name: String
        var version: String
        var description: String
        var file: String
        var span: Span
        var inputs: ObjectType
        var context: [ContextVariable]
        var events: [EventDeclaration]
        var start: String
        var startSpan: Span?
        var states: [State]
        var stateIndex: [String: Int]

        init(name: String, version: String, description: String, file: String, span: Span, inputs: ObjectType,
             context: [ContextVariable], events: [EventDeclaration], start: String, startSpan: Span?, states: [State],
             stateIndex: [String: Int]) {
            self.name = name
            self.version = version
            self.description = description
            self.file = file
            self.span = span
            self.inputs = inputs
            self.context = context
            self.events = events
            self.start = start
            self.startSpan = startSpan
            self.states = states
            self.stateIndex = stateIndex
        }

        func copy() -> Storage {
            Storage(name: name, version: version, description: description, file: file, span: span, inputs: inputs, context: context,
                    events: events, start: start, startSpan: startSpan, states: states, stateIndex: stateIndex)
        }
    }

    private var storage: Storage

    /// The storage, copied first when another copy of this workflow shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var name: String {
        get { storage.name }
        set { unique().name = newValue }
    }
    public var version: String {
        get { storage.version }
        set { unique().version = newValue }
    }
    public var description: String {
        get { storage.description }
        set { unique().description = newValue }
    }
    public var file: String {
        get { storage.file }
        set { unique().file = newValue }
    }
    public var span: Span {
        get { storage.span }
        set { unique().span = newValue }
    }
    /// Typed data given at start; each field is a top-level name in expressions.
    public var inputs: ObjectType {
        get { storage.inputs }
        set { unique().inputs = newValue }
    }
    /// Variables the workflow updates with `set`, in declaration order.
    public var context: [ContextVariable] {
        get { storage.context }
        set { unique().context = newValue }
    }
    /// Events the workflow accepts from outside, with their payload schemas.
    public var events: [EventDeclaration] {
        get { storage.events }
        set { unique().events = newValue }
    }
    public var start: String {
        get { storage.start }
        set { unique().start = newValue }
    }
    /// Where `start:` names its state, for diagnostics about it (the workflow's name otherwise).
    public var startSpan: Span? {
        get { storage.startSpan }
        set { unique().startSpan = newValue }
    }
    /// States in document order (document order is the deterministic order of everything derived from them).
    public var states: [State] {
        get { storage.states }
        set {
            let s = unique()
            s.states = newValue
            s.stateIndex = Workflow.index(newValue)
        }
    }
    private var stateIndex: [String: Int] { storage.stateIndex }

    public init(name: String, version: String, description: String, file: String, span: Span, inputs: ObjectType,
                context: [ContextVariable], events: [EventDeclaration], start: String, states: [State]) {
        storage = Storage(name: name, version: version, description: description, file: file, span: span, inputs: inputs,
                          context: context, events: events, start: start, startSpan: nil, states: states,
                          stateIndex: Workflow.index(states))
    }

    private static func index(_ states: [State]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, s) in states.enumerated() where index[s.name] == nil { index[s.name] = i }
        return index
    }

    public func state(_ name: String) -> State? { stateIndex[name].map { states[$0] } }
    /// Where state `name` is in `states`: reading one part of a state there (`states[i].exit`)
    /// does not copy the whole state out, as `state(_:)` must.
    public func indexOfState(_ name: String) -> Int? { stateIndex[name] }
    public func event(_ name: String) -> EventDeclaration? { events.first { $0.name == name } }
    public var stateNames: [String] { states.map(\.name) }
}

public struct ContextVariable: Sendable {
    public var name: String
    public var type: ExprType
    /// Evaluated at start, with the inputs in scope.
    public var initial: Expression
    public var span: Span
    public init(name: String, type: ExprType, initial: Expression, span: Span) {
        self.name = name
        self.type = type
        self.initial = initial
        self.span = span
    }
}

public struct EventDeclaration: Sendable {
    public var name: String
    public var payload: ObjectType
    public var span: Span
    public init(name: String, payload: ObjectType, span: Span) {
        self.name = name
        self.payload = payload
        self.span = span
    }
}

/// One state. Its parts run in a fixed order on entry:
/// 1. `entry` actions; 2. timers (`after`, ladder steps) are scheduled as absolute deadlines;
/// 3. `decide` tables are evaluated; 4. `always` transitions are tried in document order.
public struct State: Sendable {
    /// The fields, in one object shared by every copy: entering a state copies it out of its
    /// workflow, and copying twelve stored fields retained and released ten references, then
    /// destroyed the optional through generic value witnesses. Copy-on-write, as `Workflow`.
    private final class Storage: @unchecked Sendable {
        // @unchecked: written only through `State`'s setters, and only while uniquely referenced.
        var name: String
        var span: Span
        var description: String
        var on: [EventHandler]
        var after: [TimerDefinition]
        var always: [Transition]
        var decide: [DecisionBinding]
        var ladder: LadderBinding?
        var entry: [ActionCall]
        var exit: [ActionCall]
        var isFinal: Bool
        var outcome: String?

        init(name: String, span: Span, description: String, on: [EventHandler], after: [TimerDefinition], always: [Transition],
             decide: [DecisionBinding], ladder: LadderBinding?, entry: [ActionCall], exit: [ActionCall], isFinal: Bool, outcome: String?) {
            self.name = name
            self.span = span
            self.description = description
            self.on = on
            self.after = after
            self.always = always
            self.decide = decide
            self.ladder = ladder
            self.entry = entry
            self.exit = exit
            self.isFinal = isFinal
            self.outcome = outcome
        }

        func copy() -> Storage {
            Storage(name: name, span: span, description: description, on: on, after: after, always: always, decide: decide,
                    ladder: ladder, entry: entry, exit: exit, isFinal: isFinal, outcome: outcome)
        }
    }

    private var storage: Storage

    /// The storage, copied first when another copy of this state shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var name: String {
        get { storage.name }
        set { unique().name = newValue }
    }
    public var span: Span {
        get { storage.span }
        set { unique().span = newValue }
    }
    public var description: String {
        get { storage.description }
        set { unique().description = newValue }
    }
    /// Event name → guarded transitions, tried in document order; the first whose guard holds wins.
    public var on: [EventHandler] {
        get { storage.on }
        set { unique().on = newValue }
    }
    public var after: [TimerDefinition] {
        get { storage.after }
        set { unique().after = newValue }
    }
    public var always: [Transition] {
        get { storage.always }
        set { unique().always = newValue }
    }
    public var decide: [DecisionBinding] {
        get { storage.decide }
        set { unique().decide = newValue }
    }
    public var ladder: LadderBinding? {
        get { storage.ladder }
        set { unique().ladder = newValue }
    }
    public var entry: [ActionCall] {
        get { storage.entry }
        set { unique().entry = newValue }
    }
    public var exit: [ActionCall] {
        get { storage.exit }
        set { unique().exit = newValue }
    }
    public var isFinal: Bool {
        get { storage.isFinal }
        set { unique().isFinal = newValue }
    }
    public var outcome: String? {
        get { storage.outcome }
        set { unique().outcome = newValue }
    }

    public init(name: String, span: Span, description: String = "", on: [EventHandler] = [], after: [TimerDefinition] = [],
                always: [Transition] = [], decide: [DecisionBinding] = [], ladder: LadderBinding? = nil,
                entry: [ActionCall] = [], exit: [ActionCall] = [], isFinal: Bool = false, outcome: String? = nil) {
        storage = Storage(name: name, span: span, description: description, on: on, after: after, always: always, decide: decide,
                          ladder: ladder, entry: entry, exit: exit, isFinal: isFinal, outcome: outcome)
    }

    public func handler(for event: String) -> EventHandler? { on.first { $0.event == event } }

    /// Whether the instance can rest here waiting for something (an event or a timer).
    public var waits: Bool { !on.isEmpty || !after.isEmpty || ladder != nil }
}

public struct EventHandler: Sendable {
    public var event: String
    public var span: Span
    public var transitions: [Transition]
    public init(event: String, span: Span, transitions: [Transition]) {
        self.event = event
        self.span = span
        self.transitions = transitions
    }
}

/// A guarded move: assignments first (all right-hand sides read the old values), then actions,
/// then the move to `target` (nil: stay, without re-entering).
public struct Transition: Sendable {
    public var target: String?
    public var guardExpression: Expression?
    public var assignments: [Assignment]
    public var actions: [ActionCall]
    public var span: Span

    public init(target: String?, guardExpression: Expression? = nil, assignments: [Assignment] = [],
                actions: [ActionCall] = [], span: Span) {
        self.target = target
        self.guardExpression = guardExpression
        self.assignments = assignments
        self.actions = actions
        self.span = span
    }
}

public struct Assignment: Sendable {
    public var variable: String
    public var value: Expression
    public var span: Span
    public init(variable: String, value: Expression, span: Span) {
        self.variable = variable
        self.value = value
        self.span = span
    }
}

/// A timer of a state: relative to entering it (`in: 7d`) or an absolute deadline (`at: due_date + 30d`).
public struct TimerDefinition: Sendable {
    public enum Deadline: Sendable {
        /// `in: 7d`
        case relative(Duration)
        /// `in: policy.review_sla`: a duration computed on entering the state.
        case relativeExpression(Expression)
        /// `at: due_date + 30d`
        case absolute(Expression)
    }
    /// Stable within the state (`after.0`, `after.1`…): the timer's key in storage.
    public var key: String
    public var deadline: Deadline
    public var transition: Transition
    public var span: Span
    public init(key: String, deadline: Deadline, transition: Transition, span: Span) {
        self.key = key
        self.deadline = deadline
        self.transition = transition
        self.span = span
    }
}

/// An action to perform, named; the handler registry maps the name to an implementation.
public struct ActionCall: Sendable {
    public var name: String
    /// Arguments that are names, not expressions (`template`, `channel`, `event`, `workflow`).
    public var literals: [String: String] {
        didSet { lazyTemplate = LazyArgumentTemplate() }
    }
    /// Arguments evaluated when the action is resolved, in document order.
    public var arguments: [(name: String, value: Expression)] {
        didSet { lazyTemplate = LazyArgumentTemplate() }
    }
    /// `when:` beside the action: the action runs only if it holds. Lets one transition book only
    /// the journal lines that are not zero, instead of one transition per combination.
    public var guardExpression: Expression?
    public var span: Span

    public init(name: String, literals: [String: String] = [:], arguments: [(name: String, value: Expression)] = [],
                guardExpression: Expression? = nil, span: Span) {
        self.name = name
        self.literals = literals
        self.arguments = arguments
        self.guardExpression = guardExpression
        self.span = span
        lazyTemplate = LazyArgumentTemplate()
    }

    /// The arguments dictionary's shape, made on the first effect (the loader builds a call
    /// field by field, so a new, empty box replaces it on every write).
    private var lazyTemplate: LazyArgumentTemplate
    public var argumentTemplate: ArgumentTemplate {
        lazyTemplate.template { ArgumentTemplate(literals: literals, arguments: arguments) }
    }
}

/// `decide:` — evaluate a table with bound inputs; outputs are readable as `<alias>.<output>`.
public struct DecisionBinding: Sendable {
    public var table: String
    public var alias: String
    public var inputs: [(name: String, value: Expression)] {
        didSet { lazyTemplate = LazyArgumentTemplate() }
    }
    public var span: Span
    public init(table: String, alias: String, inputs: [(name: String, value: Expression)], span: Span) {
        self.table = table
        self.alias = alias
        self.inputs = inputs
        self.span = span
        lazyTemplate = LazyArgumentTemplate()
    }

    /// The inputs dictionary's shape, made on first use (as an action call's arguments; a
    /// dotted name is a name of its own here).
    private var lazyTemplate: LazyArgumentTemplate
    public var inputTemplate: ArgumentTemplate {
        lazyTemplate.template { ArgumentTemplate(literals: [:], arguments: inputs, nested: false) }
    }
}

/// `ladder:` — attach a dunning ladder; its steps become timers of the state.
public struct LadderBinding: Sendable {
    public var ladder: String
    /// Ladder input → expression in the workflow's scope, evaluated when a step is due.
    public var inputs: [(name: String, value: Expression)] {
        didSet { lazyTemplate = LazyArgumentTemplate() }
    }
    /// Context variables (money) that each charged fee is added to, e.g. `[balance, fees]`.
    public var feesTo: [String]
    public var span: Span
    public init(ladder: String, inputs: [(name: String, value: Expression)], feesTo: [String], span: Span) {
        self.ladder = ladder
        self.inputs = inputs
        self.feesTo = feesTo
        self.span = span
        lazyTemplate = LazyArgumentTemplate()
    }

    /// The inputs dictionary's shape, made on first use (as an action call's arguments; a
    /// dotted name is a name of its own here), with room for `policy`, which a ladder step adds.
    private var lazyTemplate: LazyArgumentTemplate
    public var inputTemplate: ArgumentTemplate {
        lazyTemplate.template { ArgumentTemplate(literals: [:], arguments: inputs, nested: false, room: 1) }
    }
}
