import ArgumentParser
import Foundation
import O2CCore
import O2CLoader
import O2CModel

/// Where the library is: `workflows/` and `rules/` under `--root` (default: the current folder).
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "Project folder holding workflows/ and rules/.")
    var root: String = "."

    var defaultPaths: [String] {
        ["workflows", "rules"].map { root == "." ? $0 : (root as NSString).appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0) }
    }
}

/// Loads a library and prints its diagnostics to stderr; exits 1 when it has errors.
enum LibraryLoading {
    static func load(_ paths: [String], quietWarnings: Bool = true) throws -> Library {
        let sources: [LibraryLoader.Source]
        var diagnostics: [Diagnostic]
        do throws(SourceFiles.ReadError) { (sources, diagnostics) = try SourceFiles.read(paths) } catch {
            throw CLIError(message: error.description, code: Exit.usage)
        }
        let (library, ds) = LibraryLoader.load(sources)
        diagnostics += ds
        let shown = quietWarnings ? diagnostics.filter { $0.severity == .error } : diagnostics
        if !shown.isEmpty {
            let renderer = DiagnosticRenderer(sources: library.sources)
            Console.error(renderer.render(shown.normalized))
        }
        if diagnostics.hasErrors {
            throw CLIError(message: "the library has errors (\(DiagnosticRenderer.summary(diagnostics))); run `o2c validate`", code: Exit.invalid)
        }
        return library
    }
}
