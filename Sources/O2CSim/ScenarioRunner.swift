import O2CCore
import O2CLoader
import O2CEngine
import O2CExpr
import O2CModel

/// Runs a scenario on the virtual engine and checks its expectations, step by step.
public enum ScenarioRunner {
    /// An effect argument by name, or inside one by a dotted path (`data.shipped` of an `emit`):
    /// an analyst checks the one field that matters without restating the whole object.
    static func argument(_ path: String, of arguments: [String: Value]) -> Value? {
        if let v = arguments[path] { return v }
        var parts = path.split(separator: ".").map(String.init)
        guard parts.count > 1, var v = arguments[parts.removeFirst()] else { return nil }
        for p in parts {
            guard case .object(let o) = v, let next = o[p] else { return nil }
            v = next
        }
        return v
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var span: Span
        public var message: String
        public var description: String { "\(span): \(message)" }
    }

    public struct Result: Sendable {
        public var scenario: String
        public var file: String
        public var failures: [Failure]
        public var passed: Bool { failures.isEmpty }
    }

    /// The library with the scenario's policy overrides, and the typed start inputs.
    public static func prepare(_ s: Scenario, library base: Library) -> Swift.Result<(Library, Workflow, [String: Value]), Failure> {
        var result = Result(scenario: s.name, file: s.file, failures: [])
        func fail(_ span: Span, _ message: String) { result.failures.append(Failure(span: span, message: message)) }
        let here = Span(file: s.file, line: 1, column: 1)
        var library = base
        for (name, node) in s.policy {
            guard let i = library.policy.firstIndex(where: { $0.name == name }) else {
                fail(node.span, "unknown policy value `\(name)`" + (Suggest.didYouMean(name, in: library.policy.map(\.name)).map { "; \($0)" } ?? ""))
                continue
            }
            switch PolicyConstant.override(node, of: library.policy[i], now: s.start) {
            case .success(let v): library.policy[i].value = v
            case .failure(let r): fail(r.span, "\(r.message); \(r.help)")
            }
        }
        guard let wf = library.workflow(s.workflow) else {
            return .failure(Failure(span: here, message: "unknown workflow `\(s.workflow)`" + (Suggest.didYouMean(s.workflow, in: library.workflows.map(\.name)).map { "; \($0)" } ?? "")))
        }
        if let first = result.failures.first { return .failure(first) }
        guard case .object(let pairs) = s.input else { return .failure(Failure(span: here, message: "`input` must be a mapping")) }
        do throws(TypedValues.Problem) { return .success((library, wf, try TypedValues.object(pairs, as: wf.inputs, path: ""))) } catch {
            return .failure(Failure(span: here, message: "input `\(error.path)` \(error.message)"))
        }
    }

    public static func run(_ s: Scenario, library base: Library) -> Result {
        var result = Result(scenario: s.name, file: s.file, failures: [])
        func fail(_ span: Span, _ message: String) { result.failures.append(Failure(span: span, message: message)) }
        let here = Span(file: s.file, line: 1, column: 1)
        let library: Library, wf: Workflow, inputs: [String: Value]
        switch prepare(s, library: base) {
        case .failure(let f): result.failures.append(f); return result
        case .success(let p): (library, wf, inputs) = p
        }
        var engine = VirtualWorld(engine: VirtualEngine(library: library, start: s.start,
                                                         responder: ScriptedResponder(answers: s.answers, library: library), observer: Recorder()))
        let main = s.workflow
        do { try engine.engine.start(workflow: wf.name, id: main, inputs: inputs) } catch {
            fail(here, "the workflow refused to start: \(error)")
            return result
        }
        engine.run(until: engine.now) // answers and children due at the start run before the first check
        return run(s, in: &engine)
    }

    /// Checks one step against any world that runs scenarios: the virtual engine here, the
    /// SQLite runtime in O2CRuntime (`RuntimeScenarioWorld`).
    public static func check<World: ScenarioWorld>(_ step: ScenarioStep, _ engine: inout World, main: String,
                                                   window: inout Int, fail: (Span, String) -> Void) {
        switch step.kind {
        case .wait(let d):
            window = engine.effects.count
            engine.run(until: engine.now.adding(d))
        case .waitUntil(let t):
            window = engine.effects.count
            engine.run(until: t)
        case .event(let name, let data, let instance, let id, let refused):
            window = engine.effects.count
            let target = instance ?? main
            guard let snapshot = engine.snapshot(target) else { fail(step.span, "no instance `\(target)`"); return }
            do {
                let payload = try typedPayload(data, event: name, workflow: snapshot.workflow, library: engine.library)
                try engine.deliver(target, event: name, payload: payload, id: id)
                engine.run(until: engine.now)
                if let refused { fail(step.span, "expected event `\(name)` to be refused (\(refused)), but it was accepted") }
            } catch let error as StepError {
                if let refused {
                    if !error.description.contains(refused) { fail(step.span, "event `\(name)` was refused with \"\(error)\", not \"\(refused)\"") }
                } else {
                    fail(step.span, "event `\(name)` was refused: \(error)")
                }
            } catch {
                fail(step.span, "\(error)")
            }
        case .expect(let instance, let fields, let context):
            let target = instance ?? main
            guard let s = engine.snapshot(target) else {
                let known = engine.instanceIds
                fail(step.span, "no instance `\(target)`" + (Suggest.didYouMean(target, in: known).map { "; \($0)" } ?? " (instances: \(known.joined(separator: ", ")))"))
                return
            }
            for (k, want) in fields {
                let got: String
                switch k {
                case "state": got = s.state
                case "status": got = s.status.rawValue
                case "outcome": got = s.outcome ?? "null"
                case "failure": got = s.failure ?? "null"
                default: fail(step.span, "cannot expect `\(k)` (state, status, outcome, failure, context)"); continue
                }
                guard got != want else { continue }
                var hint = ""
                // A misspelt expectation fails forever, whatever the workflow does: say so.
                if k == "state", let names = engine.library.workflow(s.workflow)?.stateNames, !names.contains(want) {
                    hint = "; `\(want)` is not a state of `\(s.workflow)`" + (Suggest.didYouMean(want, in: names).map { " (\($0))" } ?? "")
                }
                fail(step.span, "expected \(k) `\(want)` of `\(target)`, found `\(got)`" + hint + (s.failure.map { " (failure: \($0))" } ?? ""))
            }
            for (k, want) in context {
                guard let value = s.context[k] ?? s.inputs[k] else {
                    let names = (Array(s.context.keys) + Array(s.inputs.keys)).sorted()
                    fail(step.span, "`\(target)` has no variable `\(k)`" + (Suggest.didYouMean(k, in: names).map { "; \($0)" } ?? " (variables: \(names.joined(separator: ", ")))"))
                    continue
                }
                if value.plainText != want { fail(step.span, "expected `\(k)` = \(want) in `\(target)`, found \(value.plainText)") }
            }
        case .expectEffect(let action, let arguments, let negated):
            let recent = engine.effects[window...]
            // `instance:` names the instance that emitted it (a child's letter, say), not an
            // argument: read as an argument it matched nothing, and expect_no_effect passed.
            let match = recent.contains { e in
                e.effect.action == action && arguments.allSatisfy { k, v in
                    k == "instance" ? e.instance == v : Self.argument(k, of: e.effect.arguments)?.plainText == v
                }
            }
            if match && negated { fail(step.span, "expected no `\(action)` effect\(describe(arguments)), but one was emitted") }
            if !match && !negated {
                let seen = recent.map { "\($0.effect.action)\(Value.object($0.effect.arguments))" }
                fail(step.span, "expected a `\(action)` effect\(describe(arguments)); emitted since the last event or wait: \(seen.isEmpty ? "none" : seen.joined(separator: "; "))")
            }
        case .expectEffects(let counts):
            for (action, want) in counts {
                let got = engine.effects.filter { $0.effect.action == action }.count
                if got != want { fail(step.span, "expected \(want) `\(action)` effect\(want == 1 ? "" : "s") in all, found \(got)") }
            }
        case .expectDecision(let table, let instance, let matched, let outputs):
            guard let d = engine.decisions.last(where: { $0.data["table"] == .string(table) && (instance == nil || $0.instance == instance) }) else {
                fail(step.span, "table `\(table)` was not evaluated")
                return
            }
            if let matched, d.data["matched"] != .list(matched.map { .int($0) }) {
                fail(step.span, "expected table `\(table)` to match rows \(matched), it matched \(d.data["matched"]?.description ?? "none")")
            }
            for (k, want) in outputs {
                let got = d.data["outputs"]?[k]?.plainText ?? "<none>"
                if got != want { fail(step.span, "expected output `\(k)` of table `\(table)` = \(want), found \(got)") }
            }
        }
    }

    private static func describe(_ args: [(String, String)]) -> String {
        args.isEmpty ? "" : " with " + args.map { "\($0.0) = \($0.1)" }.joined(separator: ", ")
    }

    static func typedPayload(_ data: JSON, event: String, workflow: String, library: Library) throws -> [String: Value] {
        guard let wf = library.workflow(workflow), let decl = wf.event(event) else {
            throw StepError.unknownEvent(event: event, workflow: workflow, declared: library.workflow(workflow)?.events.map(\.name) ?? [])
        }
        guard case .object(let pairs) = data else { return [:] }
        do { return try TypedValues.object(pairs, as: decl.payload, path: "") } catch {
            throw StepError.invalidPayload(event: event, field: error.path, problem: error.message)
        }
    }
}

/// Answers actions as the scenario's `answers:` say.
public struct ScriptedResponder: EffectResponder {
    var answers: [String: Scenario.Answer]
    let library: Library

    public mutating func respond(to effect: Effect, of instance: Snapshot, at: Instant) -> [ScheduledEvent] {
        guard let a = answers[effect.action],
              let payload = try? ScenarioRunner.typedPayload(a.data, event: a.event, workflow: instance.workflow, library: library) else { return [] }
        return [ScheduledEvent(instanceId: instance.instanceId, event: a.event, payload: payload, at: at.adding(a.after), id: effect.id + "/answer")]
    }
}

/// Keeps every effect and decision, for expectations.
public struct Recorder: StepObserver {
    public var effects: [(instance: String, at: Instant, effect: Effect)] = []
    public var decisions: [(instance: String, data: [String: Value])] = []
    public init() {}
    public mutating func observe(_ step: Step, input: Input, at: Instant) {
        for e in step.effects { effects.append((step.snapshot.instanceId, at, e)) }
        for h in step.history where h.kind == "decision" { decisions.append((step.snapshot.instanceId, h.data)) }
    }
}

extension ScenarioRunner {
    /// Runs a prepared scenario on any world (the SQLite runtime uses this).
    public static func run<World: ScenarioWorld>(_ s: Scenario, in world: inout World) -> Result {
        var result = Result(scenario: s.name, file: s.file, failures: [])
        func fail(_ span: Span, _ message: String) { result.failures.append(Failure(span: span, message: message)) }
        var window = 0
        for step in s.steps {
            let before = result.failures.count
            check(step, &world, main: s.workflow, window: &window, fail: fail)
            if result.failures.count > before {
                for r in world.refusalNotes { fail(step.span, "note: \(r)") }
                break
            }
        }
        return result
    }
}
