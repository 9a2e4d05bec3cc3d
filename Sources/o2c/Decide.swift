import ArgumentParser
import O2CCore
import O2CEngine
import O2CExpr
import O2CModel

struct Decide: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Evaluate one decision table and show its outputs and the rows that matched.",
        discussion: #"Example: o2c decide credit_decision --input '{"segment": "new", "exposure": "4200 EUR", ...}'"#
    )

    @OptionGroup var project: ProjectOptions
    @Argument(help: "Decision table name.") var table: String
    @Option(help: "The table's inputs as a JSON object.") var input: String = "{}"
    @Option(help: "The current time, for tables that read now().") var now: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let library = try LibraryLoading.load(project.defaultPaths)
            guard let t = library.table(table) else {
                let names = library.tables.map(\.name)
                throw CLIError(message: "unknown decision table `\(table)`" + (Suggest.didYouMean(table, in: names).map { "; \($0)" } ?? "")
                               + " (tables: \(names.joined(separator: ", ")))", code: Exit.unknownWorkflow)
            }
            let type = ObjectType(t.inputs.map { .init(name: $0.name, type: $0.type) })
            let values = try InputParsing.object(input, as: type, what: "--input")
            let clock = try InputParsing.instant(now)
            let result: DecisionResult
            do {
                result = try DecisionEvaluator.evaluate(t, inputs: values, env: Environment(now: clock, values: ["policy": library.policyValue]))
            } catch {
                throw CLIError(message: "table `\(t.name)`: \(error)", code: Exit.badInput)
            }
            if json {
                Console.out(JSON.object([
                    ("table", .string(t.name)), ("hit", .string(t.hitPolicy.description)),
                    ("inputs", Value.object(result.inputs).plainJSON), ("matched", .array(result.matchedRows.map { .number(ExactDecimal($0)) })),
                    ("selected", .array(result.selectedRows.map { .number(ExactDecimal($0)) })), ("outputs", result.value.plainJSON),
                ]).serialized(pretty: true))
                return
            }
            var out = "table \(t.name) (hit policy: \(t.hitPolicy)) in \(t.file)\n"
            out += "inputs:\n" + t.inputs.map { "  \($0.name) = \(result.inputs[$0.name]?.description ?? "null")" }.joined(separator: "\n") + "\n"
            out += "matched rows: " + (result.matchedRows.isEmpty ? "none" : result.matchedRows.map(String.init).joined(separator: ", ")) + "\n"
            for n in result.selectedRows {
                if let row = t.rules.first(where: { $0.number == n }) { out += "  row \(n) at line \(row.span.line)\(row.annotation.map { ": \($0)" } ?? "")\n" }
            }
            out += "outputs:\n"
            if case .object(let o) = result.value {
                for output in t.outputs { out += "  \(output.name) = \(o[output.name]?.description ?? "null")\n" }
            }
            Console.out(out)
        }
    }
}
