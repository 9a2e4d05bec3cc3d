import ArgumentParser
import Foundation
import O2CCore
import O2CExpr
import O2CLoader
import O2CModel

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an expression, to try the expression language out.",
        discussion: #"Example: o2c eval 'round(balance * 0.02, 2)' --input '{"balance": "1234.56 EUR"}'. Policy values are in scope as policy.<name>."#
    )

    @OptionGroup var project: ProjectOptions
    @Argument(help: "The expression.") var expression: String
    @Option(help: "Names for the expression, as a JSON object. Texts that read as money, dates, datetimes or durations become those.") var input: String = "{}"
    @Option(help: "The current time for now() and today() (default: the real clock).") var now: String?

    func run() throws {
        try Console.run {
            var scope = TypeScope()
            var values: [String: Value] = [:]
            let paths = project.defaultPaths
            if !paths.isEmpty, let library = try? LibraryLoading.load(paths) {
                scope = scope.adding("policy", library.policyType)
                values["policy"] = library.policyValue
            }
            let parsed: JSON
            do { parsed = try JSON.parse(input) } catch {
                throw CLIError(message: "--input is not valid JSON: \(error)", code: Exit.badInput)
            }
            guard case .object(let pairs) = parsed else { throw CLIError(message: "--input must be a JSON object", code: Exit.badInput) }
            for (k, v) in pairs {
                let value = InputParsing.infer(v)
                values[k] = value
                scope = scope.adding(k, InputParsing.type(of: value))
            }
            let span = Span(file: "<expression>", line: 1, column: 1)
            let (compiled, diagnostics) = Expression.compile(expression, at: span, scope: scope)
            if diagnostics.hasErrors || compiled == nil {
                Console.error(DiagnosticRenderer(sources: ["<expression>": expression]).render(diagnostics))
                throw ExitCode(Exit.invalid)
            }
            let clock = try InputParsing.instant(now)
            do throws(EvalError) {
                let v = try compiled!.evaluate(Environment(now: clock, values: values))
                Console.out("\(v)  : \(compiled!.type)")
            } catch {
                throw CLIError(message: "\(error.message)", code: Exit.badInput)
            }
        }
    }
}
