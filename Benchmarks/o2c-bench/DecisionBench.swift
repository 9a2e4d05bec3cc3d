import O2CCore
import O2CEngine
import O2CExpr
import O2CModel

/// Figure 5: the shipped credit table (`credit_decision`) and a typical guard, compiled once.
enum DecisionBench {
    static func main(_ options: Options, library: Library) {
        let minSeconds = options.quick ? 0.3 : 1.0
        let rounds = options.quick ? 2 : 5
        guard let table = library.table("credit_decision") else {
            Report.info("no table credit_decision in the shipped library")
            return
        }
        let eur = Currency("EUR")!
        func m(_ s: String) -> Value { .money(Money(ExactDecimal(s)!, eur)) }
        // One input per row family: blocked, on watch, in dunning, new within/over limits, standard, preferred, overdue.
        let cases: [[String: Value]] = [
            ["segment": .string("new"), "exposure": m("4200"), "order_total": m("1200"), "oldest_overdue_days": .number(0), "dunning_level": .number(0)],
            ["segment": .string("standard"), "exposure": m("42000"), "order_total": m("2400"), "oldest_overdue_days": .number(3), "dunning_level": .number(0)],
            ["segment": .string("preferred"), "exposure": m("120000"), "order_total": m("9000"), "oldest_overdue_days": .number(0), "dunning_level": .number(1)],
            ["segment": .string("new"), "exposure": m("9000"), "order_total": m("7000"), "oldest_overdue_days": .number(0), "dunning_level": .number(0)],
            ["segment": .string("standard"), "exposure": m("900000"), "order_total": m("2400"), "oldest_overdue_days": .number(60), "dunning_level": .number(0)],
            ["segment": .string("on_watch"), "exposure": m("100"), "order_total": m("100"), "oldest_overdue_days": .number(0), "dunning_level": .number(0)],
            ["segment": .string("blocked"), "exposure": m("100"), "order_total": m("100"), "oldest_overdue_days": .number(0), "dunning_level": .number(0)],
            ["segment": .string("standard"), "exposure": m("1000"), "order_total": m("100"), "oldest_overdue_days": .number(0), "dunning_level": .number(9)],
        ]
        let env = Environment(now: Instant(parsing: "2026-03-01")!, values: ["policy": library.policyValue])
        // Sanity: every case evaluates.
        for c in cases {
            do { _ = try DecisionEvaluator.evaluate(table, inputs: c, env: env) } catch {
                Report.info("credit_decision refused a benchmark input: \(error)")
                return
            }
        }
        let prepared = DecisionEvaluator.prepare(table)
        var sink = 0
        let preparedRate = Clock.bestRate(rounds: rounds, minSeconds: minSeconds) {
            for c in cases {
                for _ in 0..<1000 { if let r = try? DecisionEvaluator.evaluate(prepared, inputs: c, env: env) { sink &+= r.matchedRows.count } }
            }
            return cases.count * 1000
        }
        let directRate = Clock.bestRate(rounds: rounds, minSeconds: minSeconds) {
            for c in cases {
                for _ in 0..<1000 { if let r = try? DecisionEvaluator.evaluate(table, inputs: c, env: env) { sink &+= r.matchedRows.count } }
            }
            return cases.count * 1000
        }
        Report.figure("decision.credit_decision.evals_per_second", preparedRate, "/s", target: .atLeast(2_000_000, "2,000,000"),
                      note: "prepared once (PreparedTable), \(table.rules.count) rules, hit \(table.hitPolicy), 8 inputs in rotation")
        Report.figure("decision.credit_decision.unprepared_evals_per_second", directRate, "/s", note: "DecisionEvaluator.evaluate(table, …)")

        // The guard.
        let source = #"order.total > policy.new_customer_limit and customer.segment == "new""#
        let scope = TypeScope([
            ("order", .object(ObjectType([.init(name: "total", type: .money)]))),
            ("customer", .object(ObjectType([.init(name: "segment", type: .string)]))),
            ("policy", library.policyType),
        ])
        let (compiled, ds) = Expression.compile(source, at: Span(file: "bench", line: 1, column: 1), scope: scope, expecting: .bool)
        guard let guardExpr = compiled else {
            Report.info("the guard does not compile: \(ds.map(\.message))")
            return
        }
        let now = Instant(parsing: "2026-03-01")!
        let envs = [("6000", "new"), ("4000", "new"), ("6000", "standard"), ("100", "preferred")].map { total, segment in
            Environment(now: now, values: ["order": .object(["total": m(total)]), "customer": .object(["segment": .string(segment)]),
                                           "policy": library.policyValue])
        }
        let guardRate = Clock.bestRate(rounds: rounds, minSeconds: minSeconds) {
            for e in envs {
                for _ in 0..<10_000 { if (try? guardExpr.evaluate(e)) == .bool(true) { sink &+= 1 } }
            }
            return envs.count * 10_000
        }
        Report.figure("expression.guard.evals_per_second", guardRate, "/s", target: .atLeast(5_000_000, "5,000,000"),
                      note: "`\(source)`, compiled once, 4 environments in rotation")
        if sink == 42 { Report.info("") } // keeps the results alive
    }
}
