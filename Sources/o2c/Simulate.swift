import ArgumentParser
import Foundation
import O2CCore
import O2CLoader
import O2CModel
import O2CSim

/// `o2c simulate`: what a policy change would do, before it is made. Runs a baseline and a
/// candidate library over the same synthetic book of business (or a recorded database) on the
/// pure interpreter, effects recorded and never dispatched, and reports the difference.
///
/// Side-effect-free by construction: this command builds no runtime and no handler registry
/// (the simulator module cannot reach one), opens a replayed database read-only, and writes
/// nothing but `--out`.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Dry-run a policy change: compare a candidate policy with a baseline on simulated or recorded orders.",
        discussion: """
        Examples:
          o2c simulate --baseline HEAD                       # the working tree against the last commit
          o2c simulate --baseline rules-v1/ --candidate rules-v2/ --scenario scenarios/q3.yaml --format html --out impact.html
          o2c simulate --baseline HEAD --replay o2c.sqlite   # recorded orders re-run under both policies
          o2c simulate --set statutory_interest_percent=10.15  # try one value without editing a file
        See docs/simulate.md.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json, html }

    @OptionGroup var project: ProjectOptions
    @Option(help: "The policy to compare against: a folder or a git revision (default: the scenario's `baseline:`, else HEAD).") var baseline: String?
    @Option(help: "The policy to try: a folder or a git revision (default: the scenario's `candidate:`, else the working tree).") var candidate: String?
    @Option(help: "A scenario file describing the book of business (default: scenarios/demo.yaml, else the demo population).") var scenario: String?
    @Option(help: "Override the scenario's number of orders.") var orders: Int?
    @Option(help: "Override the scenario's seed.") var seed: UInt64?
    @Option(help: "Replay the orders recorded in this database instead of a synthetic population (opened read-only).") var replay: String?
    @Option(help: "Replay: run to this date or datetime (default: the recording's last moment).") var until: String?
    @Option(help: "text, markdown, json or html.") var format: Format = .text
    @Option(help: "Write the report to this file (default: standard output).") var out: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a candidate policy value, written as in rules/ (repeatable; wins over the scenario's `policy:`).", valueName: "name=value"))
    var sets: [String] = []
    @Flag(help: "Print the time taken and the orders per second to standard error.") var timing = false

    func validate() throws {
        if let orders, orders < 1 { throw ValidationError("--orders must be at least 1") }
        if replay == nil && until != nil { throw ValidationError("--until is for --replay; a synthetic run lasts as its scenario says (days, horizon)") }
        for s in sets where Self.nameAndValue(s) == nil {
            throw ValidationError("--set `\(s)`: write it as name=value, e.g. --set late_fee_percent=2.5")
        }
        if replay != nil && (scenario != nil || orders != nil || seed != nil) {
            throw ValidationError("--replay re-runs recorded orders; --scenario, --orders and --seed are for synthetic runs")
        }
    }

    func run() throws {
        try Console.run {
            let clock = ContinuousClock()
            let began = clock.now
            // The scenario file (synthetic runs) may name the policies and override candidate values.
            // Its problems (population, policy overrides, workflow) are reported together, once
            // the libraries they are checked against are loaded.
            let scenarioFile = replay == nil ? try scenarioFile() : nil
            let (path, scenarioText) = scenarioFile ?? ("(the built-in demo population)", "")
            var options = SimulationOptions()
            var spec = PopulationSpec.demo
            var problems: [Diagnostic] = []
            if scenarioFile != nil {
                let (o, optionProblems) = SimulationOptions.parse(scenarioText, file: path)
                let (parsed, specProblems) = PopulationSpec.parse(scenarioText, file: path)
                options = o
                if let parsed { spec = parsed }
                problems += optionProblems + specProblems
            }
            // `--set name=value`: read as the lines of a `policy:` mapping, so a value is written
            // exactly as in rules/ and a bad one is located in what was typed.
            // The same name twice: the last one counts, as on most command lines.
            let pairs = sets.compactMap(Self.nameAndValue)
            let setText = pairs.enumerated().filter { i, p in !pairs[(i + 1)...].contains { $0.name == p.name } }
                .map { $0.element.name + ": " + $0.element.value }.joined(separator: "\n")
            if !sets.isEmpty {
                let (nodes, ds) = YAMLReader.documents(setText + "\n", file: Self.setFile)
                problems += ds
                if case .mapping(let pairs, _)? = nodes.first {
                    for (k, v) in pairs {
                        options.policy.removeAll { $0.name == k.text }
                        options.policy.append((k.text, v))
                    }
                }
            }
            let cliSet = Set(pairs.map(\.name))
            let render = { (ds: [Diagnostic]) in Console.error(DiagnosticRenderer(sources: [path: scenarioText, Self.setFile: setText]).render(ds.normalized)) }
            let (baseLibrary, baseLabel): (Library, String)
            var (candLibrary, candLabel): (Library, String)
            do {
                let base = try PolicySource.resolve(baseline ?? options.baseline ?? "HEAD", root: project.root)
                let cand = try PolicySource.resolve(candidate ?? options.candidate, root: project.root)
                (baseLibrary, baseLabel) = try base.load(role: "baseline")
                (candLibrary, candLabel) = try cand.load(role: "candidate")
            } catch {
                // The scenario's own problems still matter (a misspelt `baseline:` may be why).
                if !problems.isEmpty { render(problems) }
                throw error
            }
            if !options.policy.isEmpty {
                let (lib, ds) = options.applyPolicy(to: candLibrary)
                problems += ds
                candLibrary = lib
            }
            if replay == nil && !problems.hasErrors {
                problems += PopulationSpec.checkWorkflow(spec, text: scenarioText, file: path, in: [("baseline", baseLibrary), ("candidate", candLibrary)])
            }
            if !problems.isEmpty { render(problems) }
            if problems.hasErrors {
                let inSets = problems.contains { $0.primary.span.file == Self.setFile && $0.severity == .error }
                throw CLIError(message: inSets ? "--set has errors (\(DiagnosticRenderer.summary(problems.normalized)))"
                                        : scenarioFile == nil ? "the built-in demo population cannot run on this library"
                                        : "the scenario file `\(path)` has errors (\(DiagnosticRenderer.summary(problems.normalized)))",
                               code: Exit.invalid)
            }
            let report: SimulationReport
            var orderCount = 0
            if let replay {
                var end: Instant?
                if let until {
                    guard let t = Instant(parsing: until) else { throw CLIError(message: "--until `\(until)` is not a date or datetime", code: Exit.usage) }
                    end = t
                }
                let (instances, outbox) = try ReplayReading.read(path: replay)
                let header = SimulationReport.Header(baseline: baseLabel, candidate: candLabel, mode: "replay",
                                                     details: ["database `\(replay)` (opened read-only): \(instances.count) recorded instance\(instances.count == 1 ? "" : "s")"]
                                                        + overrideDetail(options, candLibrary, cliSet))
                report = Simulation.replay(baseline: baseLibrary, candidate: candLibrary, instances: instances, outbox: outbox, until: end, header: header)
                orderCount = report.compared
            } else {
                if let orders { spec.orders = orders }
                if let seed { spec.seed = seed }
                orderCount = spec.orders
                var details = ["population `\(spec.name)`\(scenarioFile.map { " (\($0.path))" } ?? ""), seed \(spec.seed): \(spec.orders) orders arriving from \(spec.start.day) over \(spec.days) days"]
                details += overrideDetail(options, candLibrary, cliSet)
                let header = SimulationReport.Header(baseline: baseLabel, candidate: candLabel, mode: "synthetic", details: details)
                // A long run on a terminal shows how far it is, on one line of standard error.
                let showProgress = spec.orders >= 5_000 && isatty(STDERR_FILENO) == 1
                report = Simulation.synthetic(baseline: baseLibrary, candidate: candLibrary, spec: spec, horizon: options.horizon ?? Simulation.tail,
                                              header: header, progress: showProgress ? { arrived, total in
                                                  let tail = arrived == total ? ", running the last orders to their end…" : ""
                                                  FileHandle.standardError.write(Data("\r\u{1B}[Ksimulating: \(arrived) of \(total) orders arrived\(tail)".utf8))
                                              } : nil)
                if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            }
            let text: String = switch format {
            case .text: ReportText.render(report)
            case .markdown: ReportMarkdown.render(report)
            case .json: ReportJSON.render(report)
            case .html: ReportHTML.render(report)
            }
            if let out {
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                    throw CLIError(message: "cannot write `\(out)`: \(error.localizedDescription)", code: Exit.usage)
                }
                Console.error("wrote \(out): \(ReportText.pathsTitle(report))")
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            if timing {
                let d = clock.now - began
                let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
                let e = report.effort, steps = e.baselineSteps + e.candidateSteps
                Console.error(String(format: "simulated %d orders under two policies in %.2f s (%.0f orders/s); %d steps, %.0f%% of them taken once for both policies",
                                     orderCount, seconds, Double(orderCount) / max(seconds, 1e-9), steps, steps > 0 ? Double(2 * e.sharedSteps) / Double(steps) * 100 : 0))
            }
        }
    }

    /// `name=value` split at the first `=` (a value may hold more); nil without a name or `=`.
    static func nameAndValue(_ s: String) -> (name: String, value: String)? {
        guard let eq = s.firstIndex(of: "=") else { return nil }
        let name = s[..<eq].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : (name, String(s[s.index(after: eq)...]))
    }

    /// Where `--set` values are said to be, in diagnostics.
    static let setFile = "(--set)"

    /// The header line naming each candidate override and where it came from.
    private func overrideDetail(_ options: SimulationOptions, _ candidate: Library, _ fromCLI: Set<String>) -> [String] {
        guard !options.policy.isEmpty else { return [] }
        let value = { (name: String) in candidate.policy.first { $0.name == name }.map { "\($0.value)" } ?? "?" }
        let byScenario = options.policy.filter { !fromCLI.contains($0.name) }, bySet = options.policy.filter { fromCLI.contains($0.name) }
        var parts: [String] = []
        if !byScenario.isEmpty { parts.append("by the scenario: " + byScenario.map { "`\($0.name)` = \(value($0.name))" }.joined(separator: ", ")) }
        if !bySet.isEmpty { parts.append("by --set: " + bySet.map { "`\($0.name)` = \(value($0.name))" }.joined(separator: ", ")) }
        return ["candidate policy overridden " + parts.joined(separator: "; ")]
    }

    /// `--scenario`, else scenarios/demo.yaml under the project, else none (the built-in demo population).
    private func scenarioFile() throws -> (path: String, text: String)? {
        var path = scenario
        if path == nil {
            let demo = project.root == "." ? "scenarios/demo.yaml" : (project.root as NSString).appendingPathComponent("scenarios/demo.yaml")
            if FileManager.default.fileExists(atPath: demo) { path = demo }
        }
        guard let path else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError(message: "cannot read scenario file `\(path)`", code: Exit.usage)
        }
        return (path, text)
    }
}
