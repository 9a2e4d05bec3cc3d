import Foundation
import Testing

/// The simulator cannot perform an effect because it cannot reach anything that performs one:
/// the module holding it does not depend on the runtime (handlers) or the store, and the
/// simulation code does not even import Foundation (no file, no network, no process).
@Suite struct SimulateIsolationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("O2CSim depends on neither the runtime (handlers) nor the store")
    func packageDependencies() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let line = try #require(manifest.split(separator: "\n").first { $0.contains(".target(name: \"O2CSim\"") })
        #expect(!line.contains("O2CRuntime"))
        #expect(!line.contains("O2CStore"))
    }

    @Test("simulation and replay code imports no runtime, store or Foundation")
    func imports() throws {
        for folder in ["Simulation", "Replay"] {
            let dir = Self.root.appendingPathComponent("Sources/O2CSim/\(folder)")
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }
            #expect(!files.isEmpty)
            for f in files {
                let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
                for forbidden in ["import O2CRuntime", "import O2CStore", "import Foundation", "import Glibc", "import Darwin"] {
                    #expect(!text.contains(forbidden), "\(folder)/\(f) has `\(forbidden)`")
                }
            }
        }
    }
}
