import Foundation
import O2CCore
import O2CLoader
import O2CModel
import O2CSim
import Testing

/// `swift test` runs the analysts' scenario files (tests/**/*.yaml) against the shipped library,
/// exactly as `o2c test` does.
@Suite struct ShippedScenariosTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let files = ScenarioFiles.find([root.appendingPathComponent("tests").path])

    static let library: Library = {
        let paths = ["workflows", "rules"].map { root.appendingPathComponent($0).path }
        let (sources, _) = (try? SourceFiles.read(paths)) ?? ([], [])
        return LibraryLoader.load(sources).0
    }()

    @Test("shipped scenario passes", arguments: files)
    func scenario(_ file: String) {
        let r = ScenarioFiles.run(file: file, library: Self.library)
        #expect(r.passed, "\(r.failures.map(\.description).joined(separator: "\n"))")
    }

    @Test("there are scenarios to run")
    func nonEmpty() { #expect(!Self.files.isEmpty) }
}
