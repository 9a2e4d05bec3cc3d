import ArgumentParser
import Foundation
import O2CRuntime
import O2CStore
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

/// A failure with a message for people and a documented exit code.
struct CLIError: Error {
    var message: String
    var code: Int32
}

enum Console {
    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
    }

    static func error(_ s: String) {
        FileHandle.standardError.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
    }

    /// Runs a command body, turning `CLIError` into a message and its exit code. A store or
    /// runtime error that reached here unconverted gets its documented code too, not the
    /// argument parser's generic 1.
    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch let e as CLIError {
            error("error: \(e.message)")
            throw ExitCode(e.code)
        } catch let e as RuntimeError {
            let c = e.cli
            error("error: \(c.message)")
            throw ExitCode(c.code)
        } catch let e as StoreError {
            error("error: \(e.description)")
            throw ExitCode(e.exitCode)
        }
    }
}
