import O2CCore
import O2CExpr
import O2CModel

/// Taking transitions, entering states, and running to completion.
extension Run {
    /// The trigger is formatted only for a full history (`recordTransition`).
    mutating func take(_ t: Transition, trigger: @autoclosure () -> String) throws(RunFailure) {
        try assign(t.assignments)
        try perform(t.actions)
        guard let target = t.target else { return }
        try leaveState()
        recordTransition(from: snapshot.state, to: target, trigger: trigger())
        try enter(target)
    }

    /// Parallel assignment: every right-hand side reads the values from before the `set`.
    mutating func assign(_ assignments: [Assignment]) throws(RunFailure) {
        guard !assignments.isEmpty else { return }
        let env = environment()
        // A short list rather than a dictionary (a later assignment to the same variable wins),
        // sorted by name as history records it: hashing each name in, then sorting the
        // dictionary's pairs back out, cost more than the handful of assignments a `set` has.
        var changed: [(String, Value)] = []
        changed.reserveCapacity(assignments.count)
        for a in assignments {
            var v = try evaluate(a.value, in: env)
            if case .money(let m) = v { v = .money(m.roundedToMinor()) }
            if let i = changed.firstIndex(where: { $0.0 == a.variable }) { changed[i].1 = v } else { changed.append((a.variable, v)) }
        }
        changed.sort { $0.0 < $1.0 }
        for (k, v) in changed { setContext(k, v) }
        record("assigned", HistoryFields(sortedPairs: changed))
    }

    mutating func leaveState() throws(RunFailure) {
        if let i = workflow.indexOfState(snapshot.state) { try perform(workflow.states[i].exit) }
        snapshot.timers = []
        clearDecisions()
    }

    /// Enters `name`, then follows `always` transitions until the instance rests.
    mutating func enter(_ name: String) throws(RunFailure) {
        var current = name
        while true {
            transitions += 1
            if transitions > Interpreter.maxTransitionsPerInput {
                throw RunFailure(message: "more than \(Interpreter.maxTransitionsPerInput) transitions after one input (a loop of `always` transitions?) at state `\(current)`")
            }
            guard let st = workflow.state(current) else { throw RunFailure(message: "unknown state `\(current)`") }
            setState(current)
            try perform(st.entry)
            try schedule(st)
            try decide(st)
            if st.isFinal {
                snapshot.status = .completed
                snapshot.outcome = st.outcome ?? st.name
                snapshot.timers = []
                let outcome = snapshot.outcome!
                record("completed", ["state": .string(st.name), "outcome": .string(outcome)])
                return
            }
            guard let t = try firstEnabled(st.always) else { return }
            try assign(t.assignments)
            try perform(t.actions)
            guard let next = t.target else { return } // an `always` without `goto` stays put
            try leaveState()
            recordTransition(from: current, to: next, trigger: "always")
            current = next
        }
    }

    /// Schedules the state's timers and ladder steps as absolute deadlines.
    mutating func schedule(_ st: State) throws(RunFailure) {
        var timers: [ScheduledTimer] = []
        for t in st.after {
            switch t.deadline {
            case .relative(let d): timers.append(ScheduledTimer(key: t.key, due: now.adding(d)))
            case .relativeExpression(let e):
                guard case .duration(let d) = try evaluate(e) else {
                    throw RunFailure(message: "timer delay `\(e.source)` is not a duration", span: e.span)
                }
                timers.append(ScheduledTimer(key: t.key, due: now.adding(d)))
            case .absolute(let e):
                switch try evaluate(e) {
                case .date(let day): timers.append(ScheduledTimer(key: t.key, due: day.startInstant))
                case .datetime(let at): timers.append(ScheduledTimer(key: t.key, due: at))
                case .null: break // no deadline: the timer never fires
                case let other: throw RunFailure(message: "timer deadline `\(e.source)` is \(other.kindName), not a date", span: e.span)
                }
            }
        }
        if let binding = st.ladder, let ladder = interpreter.library.ladder(binding.ladder) {
            let inputs = try ladderInputs(binding)
            let anchor: Instant
            switch inputs[ladder.anchor] {
            case .date(let d)?: anchor = d.startInstant
            case .datetime(let t)?: anchor = t
            default: throw RunFailure(message: "ladder `\(ladder.name)` anchor `\(ladder.anchor)` has no date", span: binding.span)
            }
            let keys = ladderKeys(ladder)
            for (i, step) in ladder.steps.enumerated() {
                let due = anchor.adding(step.offsetFromAnchor)
                // A step already past when the state is entered (an invoice issued after its
                // reminder date, a ladder re-entered after a dispute) is not fired late: a notice
                // or a fee weeks after its day would be wrong. A step marked `catch_up` (it moves
                // the instance on) is due at once: an invoice imported 200 days overdue belongs in
                // collections, not in a state whose every step has passed.
                guard due >= now else {
                    if step.catchUp, step.target != nil {
                        timers.append(ScheduledTimer(key: keys[i], due: now))
                        record("ladder", ["ladder": .string(ladder.name), "step": .string(step.name), "result": .string("due now"),
                                          "reason": .string("already past when `\(st.name)` was entered; it moves the instance on")])
                        continue
                    }
                    record("ladder", ["ladder": .string(ladder.name), "step": .string(step.name), "result": .string("skipped"),
                                      "reason": .string("already past when `\(st.name)` was entered")])
                    continue
                }
                timers.append(ScheduledTimer(key: keys[i], due: due))
            }
        }
        snapshot.timers = timers.sorted { ($0.due, $0.key) < ($1.due, $1.key) }
    }

    mutating func ladderInputs(_ binding: LadderBinding) throws(RunFailure) -> [String: Value] {
        try bound(binding.inputs, through: binding.inputTemplate, in: environment())
    }

    /// A binding's inputs evaluated into its template, as an action's arguments (`ArgumentTemplate`).
    mutating func bound(_ inputs: [(name: String, value: Expression)], through template: ArgumentTemplate,
                        in env: Environment) throws(RunFailure) -> [String: Value] {
        var values = template.dictionary
        var k = 0
        for (_, e) in inputs {
            template.set(k, try evaluate(e, in: env), in: &values)
            k += 1
        }
        return values
    }

    /// Evaluates the state's decision tables; each result is recorded with its inputs and rows.
    mutating func decide(_ st: State) throws(RunFailure) {
        for binding in st.decide {
            guard let prepared = interpreter.preparedTables[binding.table] else { continue }
            let table = prepared.table
            let inputs = try bound(binding.inputs, through: binding.inputTemplate, in: environment())
            let result: DecisionResult
            var tableEnv = interpreter.policyEnvironment
            tableEnv.now = now
            do {
                result = try DecisionEvaluator.evaluate(prepared, inputs: inputs, env: tableEnv)
            } catch {
                throw RunFailure(message: "decision table `\(table.name)`: \(error)", span: binding.span)
            }
            setDecision(binding.alias, result.value)
            if interpreter.outlinesHistory {
                // What the simulator's observers read of a decision (`RunObserver.decision`).
                history.append(HistoryEntry(at: now, kind: "decision", fields: ["table": .string(table.name), "outputs": result.value]))
                continue
            }
            history.append(HistoryEntry(at: now, kind: "decision", fields: [
                "table": .string(table.name), "alias": .string(binding.alias), "inputs": .object(result.inputs),
                "matched": .list(result.matchedRows.map { .int($0) }), "selected": .list(result.selectedRows.map { .int($0) }),
                "outputs": result.value, "hit": .string(table.hitPolicy.description), "definition": .string(interpreter.library.hash),
                "file": .string(table.file),
            ]))
        }
    }

    /// A due timer of the current state: an `after` transition or a ladder step.
    mutating func fire(_ key: String) throws(RunFailure) {
        guard let st = workflow.state(snapshot.state) else { return }
        if let t = st.after.first(where: { $0.key == key }) {
            guard try holds(t.transition.guardExpression) else {
                record("ignored", ["timer": .string(key), "reason": .string("guard did not hold")])
                return
            }
            try take(t.transition, trigger: "timer \(key)")
            return
        }
        guard key.hasPrefix(LadderKey.prefix), let binding = st.ladder, let ladder = interpreter.library.ladder(binding.ladder),
              let i = ladderKeys(ladder).firstIndex(of: key) else { return }
        try fireLadderStep(ladder.steps[i], of: ladder, binding: binding)
    }

    /// The timer keys of `ladder`'s steps, in order (made once per interpreter, see `Interpreter.ladderKeys`).
    func ladderKeys(_ ladder: Ladder) -> [String] {
        interpreter.ladderKeys[ladder.name] ?? ladder.steps.enumerated().map { LadderKey.make($0.offset, $0.element.name) }
    }
}

/// Timer keys of ladder steps: `ladder.03.late_fee`. The zero-padded position makes steps due at
/// the same instant fire in list order (timers tie-break on their key).
enum LadderKey {
    static let prefix = "ladder."
    static func make(_ index: Int, _ name: String) -> String {
        let n = String(index + 1)
        return prefix + String(repeating: "0", count: max(0, 3 - n.count)) + n + "." + name
    }
}
