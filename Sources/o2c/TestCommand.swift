import ArgumentParser
import Foundation
import O2CCore
import O2CSim

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scenario tests (tests/**/*.yaml) against the library, on a virtual clock, with no side effects.",
        discussion: "Each failure prints the file and line of the step, what was expected and what happened. See docs/testing.md."
    )

    @OptionGroup var project: ProjectOptions
    @Argument(help: "Scenario files or folders (default: tests/).") var paths: [String] = []
    @Flag(help: "Print passing scenarios too.") var verbose = false

    func run() throws {
        try Console.run {
            let library = try LibraryLoading.load(project.defaultPaths)
            let targets = paths.isEmpty ? [project.root == "." ? "tests" : project.root + "/tests"] : paths
            if let missing = targets.first(where: { !FileManager.default.fileExists(atPath: $0) }) {
                throw CLIError(message: "no file or folder `\(missing)`", code: Exit.usage)
            }
            let files = ScenarioFiles.find(targets)
            guard !files.isEmpty else { throw CLIError(message: "no scenario files (*.yaml) in \(targets.map { "`\($0)`" }.joined(separator: ", "))", code: Exit.usage) }
            var passed = 0, failed = 0
            for file in files {
                let r = ScenarioFiles.run(file: file, library: library)
                if r.passed {
                    passed += 1
                    if verbose { Console.out("PASS \(file): \(r.scenario)") }
                } else {
                    failed += 1
                    Console.out("FAIL \(file): \(r.scenario)")
                    for f in r.failures { Console.out("  \(f)") }
                }
            }
            Console.out("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(Exit.invalid) }
        }
    }
}
