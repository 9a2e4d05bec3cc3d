import Foundation
import Testing

/// Runs the built `o2c` binary in a temporary project folder, as a user would.
struct CLIHarness {
    let folder: URL
    var db: String { folder.appendingPathComponent("o2c.sqlite").path }

    /// A fresh folder with a copy of the shipped `workflows/`, `rules/`, `templates/` and `o2c.yaml`.
    static func withShippedLibrary() throws -> CLIHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("o2c-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for item in ["workflows", "rules", "templates", "o2c.yaml"] {
            let source = repositoryRoot.appendingPathComponent(item)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(item))
            }
        }
        return CLIHarness(folder: folder)
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("o2c")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try run(arguments, stdin: stdin, environment: environment)
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        var binary = Self.binary
        if !FileManager.default.fileExists(atPath: binary.path) {
            binary = Self.repositoryRoot.appendingPathComponent(".build/debug/o2c")
        }
        p.executableURL = binary
        p.arguments = arguments
        p.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["O2C_DB"] = db
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func write(_ name: String, _ text: String) throws {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}
