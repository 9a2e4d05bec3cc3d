import O2CCore
import O2CExpr
import O2CModel

/// Resolving actions into effects, and firing ladder steps.
extension Run {
    mutating func perform(_ actions: [ActionCall]) throws(RunFailure) {
        guard !actions.isEmpty else { return }
        try perform(actions, in: environment())
    }

    /// Evaluates each action's arguments and appends an effect with a deterministic id.
    mutating func perform(_ actions: [ActionCall], in env: Environment) throws(RunFailure) {
        for call in actions {
            if let condition = call.guardExpression, try evaluate(condition, in: env) != .bool(true) { continue }
            // Written through indexes into a copy of the call's template: the same keys and
            // values as inserting them one by one, without hashing each name for every effect.
            let template = call.argumentTemplate
            var args = template.dictionary
            var k = 0
            for (_, e) in call.arguments {
                var value = try evaluate(e, in: env)
                if case .money(let m) = value { value = .money(m.roundedToMinor()) }
                template.set(k, value, in: &args)
                k += 1
            }
            emit(call.name, args)
        }
    }

    mutating func emit(_ action: String, _ arguments: [String: Value]) {
        let args = redactingSensitive(arguments)
        let effect = Effect(id: EffectId.make(snapshot.instanceId, snapshot.sequence, effects.count), action: action,
                            arguments: args, state: snapshot.state)
        effects.append(effect)
        record("effect", ["id": .string(effect.id), "action": .string(action), "arguments": .object(args)])
    }

    /// A ladder step: stop condition, guard, fee, actions, then an optional move.
    mutating func fireLadderStep(_ step: LadderStep, of ladder: Ladder, binding: LadderBinding) throws(RunFailure) {
        var values = try ladderInputs(binding)
        values["policy"] = interpreter.policy
        let env = Environment(now: now, values: values)
        if let stop = ladder.stopWhen, try evaluate(stop, in: env) == .bool(true) {
            snapshot.timers.removeAll { $0.key.hasPrefix(LadderKey.prefix) }
            record("ladder", ["ladder": .string(ladder.name), "step": .string(step.name), "result": .string("stopped"),
                              "reason": .string(stop.source)])
            return
        }
        if let g = step.guardExpression, try evaluate(g, in: env) != .bool(true) {
            record("ladder", ["ladder": .string(ladder.name), "step": .string(step.name), "result": .string("skipped"),
                              "reason": .string(g.source)])
            return
        }
        record("ladder", ["ladder": .string(ladder.name), "step": .string(step.name), "result": .string("fired")])
        var actionEnv = env
        if let rule = step.fee {
            let fee: Money
            do { fee = try FeeCalculator.fee(rule, env: env) } catch {
                throw RunFailure(message: "fee of step `\(step.name)`: \(error.message)", span: error.span)
            }
            if !fee.amount.isZero {
                for variable in binding.feesTo {
                    guard case .money(let m)? = snapshot.context[variable] else { continue }
                    guard m.currency == fee.currency else {
                        throw RunFailure(message: "fee in \(fee.currency) cannot be added to `\(variable)` in \(m.currency)", span: rule.span)
                    }
                    do { setContext(variable, .money(Money(try m.amount + fee.amount, m.currency))) } catch {
                        throw RunFailure(message: "\(error) adding the fee to `\(variable)`", span: rule.span)
                    }
                }
                emit("fee", ["amount": .money(fee), "ladder": .string(ladder.name), "step": .string(step.name)])
            }
            // The step's actions see the fee it charged (`fee`), so its journal line books that
            // amount instead of repeating the fee rule (unless an input is named `fee`).
            if values["fee"] == nil {
                values["fee"] = .money(fee)
                actionEnv = Environment(now: now, values: values)
            }
        }
        try perform(step.actions, in: actionEnv)
        if let target = step.target {
            try leaveState()
            recordTransition(from: snapshot.state, to: target, trigger: "ladder \(ladder.name).\(step.name)")
            try enter(target)
            // A ladder step that moved the instance sets off no ladder step at the same instant
            // in the state it entered (caught up, or due this very moment): two ladders could
            // otherwise hand the instance back and forth for ever within one tick, and a step
            // leading back into its own state would fire again and again.
            let now = self.now
            let due = snapshot.timers.filter { $0.key.hasPrefix(LadderKey.prefix) && $0.due <= now }
            if !due.isEmpty {
                var timers = snapshot.timers
                timers.removeAll { $0.key.hasPrefix(LadderKey.prefix) && $0.due <= now }
                snapshot.timers = timers
                let reason = "due the moment a ladder step moved the instance into `\(snapshot.state)`"
                for t in due {
                    record("ladder", ["step": .string(t.key), "result": .string("skipped"), "reason": .string(reason)])
                }
            }
        }
    }
}

extension Run {
    /// Texts of fields declared `sensitive` (the current event's payload, the inputs) are replaced
    /// by `[redacted]` wherever they appear in an action's arguments, so they reach neither the
    /// outbox, nor history, nor a handler or its log line.
    func redactingSensitive(_ args: [String: Value]) -> [String: Value] {
        var secrets = Set<Value>()
        if case .object(let payload)? = event {
            for name in interpreter.sensitiveEventFields {
                if case .string(let text)? = payload[name], !text.isEmpty { secrets.insert(.string(text)) }
            }
        }
        for name in interpreter.sensitiveInputs {
            if case .string(let text)? = snapshot.inputs[name], !text.isEmpty { secrets.insert(.string(text)) }
        }
        if secrets.isEmpty { return args }
        func scrub(_ v: Value) -> Value {
            if secrets.contains(v) { return .string("[redacted]") }
            switch v {
            case .list(let items): return .list(items.map(scrub))
            case .object(let o): return .object(o.mapValues(scrub))
            default: return v
            }
        }
        return args.mapValues(scrub)
    }
}
