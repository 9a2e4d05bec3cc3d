import Foundation
import O2CCore
import O2CModel

/// Finds and runs scenario files: the shell part of `o2c test`.
public enum ScenarioFiles {
    /// Every `*.yaml` under the given files or folders, sorted.
    public static func find(_ paths: [String]) -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                let e = fm.enumerator(atPath: path)
                while let name = e?.nextObject() as? String {
                    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { files.append((path as NSString).appendingPathComponent(name)) }
                }
            } else {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// Parses and runs one file; parse problems come back as failures with their location.
    public static func run(file: String, library: Library) -> ScenarioRunner.Result {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            return .init(scenario: file, file: file, failures: [.init(span: Span(file: file, line: 1, column: 1), message: "cannot read the file")])
        }
        let (scenario, ds) = ScenarioParser.parse(text, file: file)
        guard let scenario else {
            return .init(scenario: file, file: file, failures: ds.map { .init(span: $0.primary.span, message: $0.message + ($0.help.map { " (\($0))" } ?? "")) })
        }
        return ScenarioRunner.run(scenario, library: library)
    }
}
