import ArgumentParser
import O2CCore
import Foundation
import Logging
import O2CLoader
import O2CRuntime

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow and rules files and report every problem at once.",
        discussion: "Exit 0 when there are no errors, 1 when there are (warnings fail only with --strict)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var project: ProjectOptions
    @Argument(help: "Files or folders (default: workflows/ and rules/).") var paths: [String] = []
    @Option(help: "Output format.") var format: Format = .text
    @Flag(help: "Treat warnings as errors.") var strict = false
    @Flag(help: "Skip the check that every action has a handler in o2c.yaml.") var noHandlers = false
    @Option(help: "The day holiday calendars are checked against (ISO date; default: today). A calendar ending within 90 days is a warning (W0406).")
    var now: String?

    func run() throws {
        try Console.run {
            let targets = paths.isEmpty ? project.defaultPaths : paths
            let (sources, readDiagnostics): ([LibraryLoader.Source], [Diagnostic])
            do throws(SourceFiles.ReadError) { (sources, readDiagnostics) = try SourceFiles.read(targets) } catch {
                throw CLIError(message: error.description, code: Exit.usage)
            }
            let (library, ds) = LibraryLoader.load(sources)
            var all = readDiagnostics + ds
            all += CalendarCheck.check(library, now: try InputParsing.instant(now).day)
            var renderSources = library.sources
            if !noHandlers {
                let configPath = project.root == "." ? "o2c.yaml" : (project.root as NSString).appendingPathComponent("o2c.yaml")
                let (config, configDiagnostics) = ConfigLoader.load(path: configPath)
                all += configDiagnostics
                renderSources[configPath] = try? String(contentsOfFile: configPath, encoding: .utf8)
                let registry = HandlerRegistry(config: config, projectRoot: project.root, logger: Logger(label: "o2c"))
                all += HandlerCoverage.check(library, registry: registry, configFile: configPath, rejected: Set(config.rejectedHandlers))
                // Templates matter only where the built-in notify handler delivers notices.
                if (config.handlers["notify"] ?? .notify) == .notify {
                    let folder = RuntimeConfig.resolve(config.templatesFolder, projectRoot: project.root)
                    let files = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                    all += NotifyCoverage.check(library, templates: files, folder: config.templatesFolder)
                }
            }
            let diagnostics = all.normalized
            switch format {
            case .json:
                Console.out(JSON.array(diagnostics.map(\.json)).serialized(pretty: true))
            case .text:
                if !diagnostics.isEmpty { Console.out(DiagnosticRenderer(sources: renderSources).render(diagnostics)) }
                func n(_ c: Int, _ word: String) -> String { "\(c) \(word)\(c == 1 ? "" : "s")" }
                let counts = [n(library.workflows.count, "workflow"), n(library.tables.count, "decision table"),
                              n(library.ladders.count, "ladder"), n(library.policy.count, "policy value")].joined(separator: ", ")
                let strictNote = strict && !diagnostics.hasErrors && diagnostics.warningCount > 0 ? " (--strict: warnings fail the check)" : ""
                Console.out("\(sources.count) file\(sources.count == 1 ? "" : "s") checked (\(counts)): \(DiagnosticRenderer.summary(diagnostics))\(strictNote)")
            }
            if diagnostics.hasErrors || (strict && diagnostics.warningCount > 0) { throw ExitCode(Exit.invalid) }
        }
    }
}
