import Foundation
import O2CCore
import O2CLoader
import Testing

/// Each `Fixtures/invalid/NAME.yaml` must produce exactly `NAME.expected.txt`: the diagnostics
/// as `o2c validate` prints them. Set `O2C_UPDATE_GOLDEN=1` to rewrite the expected files
/// (then read every diff before committing it).
@Suite struct GoldenDiagnosticsTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/invalid").path
    static let fixtures: [String] = (try? FileManager.default.contentsOfDirectory(atPath: folder))?
        .filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    @Test("invalid fixture gives its expected diagnostics", arguments: fixtures)
    func golden(_ name: String) throws {
        let path = Self.folder + "/" + name
        let text = Self.render(path: path, as: name)
        let expectedPath = Self.sourceFolder + "/" + name.replacingOccurrences(of: ".yaml", with: ".expected.txt")
        if ProcessInfo.processInfo.environment["O2C_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: Self.folder + "/" + name.replacingOccurrences(of: ".yaml", with: ".expected.txt"), encoding: .utf8)
        #expect(text == expected)
    }

    @Test("the corpus covers every diagnostic code")
    func everyCodeCovered() throws {
        var seen = Set<String>()
        for name in Self.fixtures {
            let text = Self.render(path: Self.folder + "/" + name, as: name)
            for line in text.split(separator: "\n") where line.hasPrefix("error[") || line.hasPrefix("warning[") {
                if let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]") {
                    seen.insert(String(line[line.index(after: open)..<close]))
                }
            }
        }
        let documented = ["E0001", "E0003", "E0004", "E0005", "E0006", "E0101", "E0102", "E0103", "E0104", "E0105",
                          "E0201", "E0202", "E0203", "E0204", "E0207", "E0208", "E0209", "W0301", "E0302", "E0303",
                          "E0401", "W0402", "E0403", "E0405", "E0501", "E0502", "E0503", "E0504", "E0505", "E0506", "E0507", "E0508"]
        #expect(Set(documented).subtracting(seen).sorted() == [])
        #expect(Self.fixtures.count >= 40)
    }

    @Test("a file larger than the limit is refused with E0002, not parsed")
    func hugeFile() {
        let big = "workflow: big\n# " + String(repeating: "x", count: YAMLReader.maxFileBytes) + "\n"
        let (_, ds) = LibraryLoader.load([.init(path: "big.yaml", text: big)])
        #expect(ds.map(\.code) == ["E0002"])
    }

    /// Diagnostics rendered with paths relative to the fixture folder.
    static func render(path: String, as name: String) -> String {
        do {
            let (sources, readDiagnostics) = try SourceFiles.read([path])
            let renamed = sources.map { LibraryLoader.Source(path: name, text: $0.text) }
            let (library, ds) = LibraryLoader.load(renamed)
            let all = (readDiagnostics.map { d -> Diagnostic in
                var d = d
                d.primary.span.file = name
                return d
            } + ds).normalized
            return DiagnosticRenderer(sources: library.sources).render(all) + DiagnosticRenderer.summary(all) + "\n"
        } catch {
            return "read error: \(error)\n"
        }
    }

    /// The fixtures folder in the source tree, for O2C_UPDATE_GOLDEN.
    static var sourceFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/invalid").path
    }
}
