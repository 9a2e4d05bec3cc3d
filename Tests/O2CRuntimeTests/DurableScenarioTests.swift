import Foundation
import O2CCore
import O2CLoader
import O2CModel
import O2CRuntime
import O2CSim
import Testing

/// Every process end to end through the real runtime and database: the analysts' scenario files
/// (tests/**/*.yaml) run again on SQLite, with the outbox, dispatch and group-committed ticks,
/// and must give the same results as on the virtual engine.
@Suite struct DurableScenarioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let files = ScenarioFiles.find([root.appendingPathComponent("tests").path])
    static let library: Library = {
        let paths = ["workflows", "rules"].map { root.appendingPathComponent($0).path }
        let (sources, _) = (try? SourceFiles.read(paths)) ?? ([], [])
        return LibraryLoader.load(sources).0
    }()

    @Test("scenario passes through the SQLite runtime", arguments: files)
    func durable(_ file: String) throws {
        let (parsed, ds) = ScenarioParser.parse(try String(contentsOfFile: file, encoding: .utf8), file: file)
        let scenario = try #require(parsed, "\(ds)")
        guard case .success(let (library, workflow, inputs)) = ScenarioRunner.prepare(scenario, library: Self.library) else {
            Issue.record("scenario does not prepare")
            return
        }
        var world = try RuntimeScenarioWorld(scenario: scenario, library: library, workflow: workflow, inputs: inputs)
        let r = ScenarioRunner.run(scenario, in: &world)
        #expect(r.passed, "\(r.failures.map(\.description).joined(separator: "\n"))")
    }
}
