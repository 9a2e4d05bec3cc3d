import ArgumentParser
import O2CCore
import O2CLoader

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check workflow and rules files and report every problem at once.",
        discussion: "Exit 0 when there are no errors, 1 when there are (warnings fail only with --strict)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var project: ProjectOptions
    @Argument(help: "Files or folders (default: workflows/ and rules/).") var paths: [String] = []
    @Option(help: "Output format.") var format: Format = .text
    @Flag(help: "Treat warnings as errors.") var strict = false

    func run() throws {
        try Console.run {
            let targets = paths.isEmpty ? project.defaultPaths : paths
            let (sources, readDiagnostics): ([LibraryLoader.Source], [Diagnostic])
            do throws(SourceFiles.ReadError) { (sources, readDiagnostics) = try SourceFiles.read(targets) } catch {
                throw CLIError(message: error.description, code: Exit.usage)
            }
            let (library, ds) = LibraryLoader.load(sources)
            let diagnostics = (readDiagnostics + ds).normalized
            switch format {
            case .json:
                Console.out(JSON.array(diagnostics.map(\.json)).serialized(pretty: true))
            case .text:
                if !diagnostics.isEmpty { Console.out(DiagnosticRenderer(sources: library.sources).render(diagnostics)) }
                func n(_ c: Int, _ word: String) -> String { "\(c) \(word)\(c == 1 ? "" : "s")" }
                let counts = [n(library.workflows.count, "workflow"), n(library.tables.count, "decision table"),
                              n(library.ladders.count, "ladder"), n(library.policy.count, "policy value")].joined(separator: ", ")
                Console.out("\(sources.count) file\(sources.count == 1 ? "" : "s") checked (\(counts)): \(DiagnosticRenderer.summary(diagnostics))")
            }
            if diagnostics.hasErrors || (strict && diagnostics.warningCount > 0) { throw ExitCode(Exit.invalid) }
        }
    }
}
