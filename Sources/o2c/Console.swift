import ArgumentParser
import Foundation
import O2CRuntime
import O2CStore

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
