import Foundation
import O2CCore
import O2CModel

/// Reads workflow and rules files from disk: the only I/O in the loader, kept apart so that the
/// loading itself stays pure (the simulator loads from git revisions the same way).
public enum SourceFiles {
    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Every `*.yaml` / `*.yml` under the given files or folders, sorted by path, relative paths kept as given.
    /// Files that are not valid UTF-8 are left out and reported (E0005) at their first bad byte.
    public static func read(_ paths: [String]) throws(ReadError) -> ([LibraryLoader.Source], [Diagnostic]) {
        var result: [LibraryLoader.Source] = []
        var diagnostics: [Diagnostic] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw ReadError(path: path, reason: "no such file or folder") }
            if isDir.boolValue {
                guard let e = fm.enumerator(atPath: path) else { continue }
                var files: [String] = []
                while let name = e.nextObject() as? String {
                    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { files.append(name) }
                }
                for name in files.sorted() {
                    let full = path.hasSuffix("/") ? path + name : path + "/" + name
                    add(try readFile(full), to: &result, &diagnostics)
                }
            } else {
                add(try readFile(path), to: &result, &diagnostics)
            }
        }
        return (result, diagnostics)
    }

    private static func add(_ r: Result<LibraryLoader.Source, Diagnostic>, to sources: inout [LibraryLoader.Source], _ ds: inout [Diagnostic]) {
        switch r {
        case .success(let s): sources.append(s)
        case .failure(let d): ds.append(d)
        }
    }

    private static func readFile(_ path: String) throws(ReadError) -> Result<LibraryLoader.Source, Diagnostic> {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReadError(path: path, reason: "cannot be read") }
        guard data.count <= YAMLReader.maxFileBytes * 4 else { throw ReadError(path: path, reason: "larger than \(YAMLReader.maxFileBytes * 4 / 1024 / 1024) MiB") }
        let bytes = [UInt8](data)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(invalidUTF8(bytes, path: path))
        }
        return .success(LibraryLoader.Source(path: path, text: text))
    }

    /// Locates the first byte that does not decode, as line and column.
    static func invalidUTF8(_ bytes: [UInt8], path: String) -> Diagnostic {
        var validPrefix = 0
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): consumed += UTF8.width(s); validPrefix = consumed
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        let prefix = String(decoding: bytes[0..<validPrefix], as: UTF8.self)
        var line = 1, column = 1
        for ch in prefix.unicodeScalars { if ch == "\n" { line += 1; column = 1 } else { column += 1 } }
        return .error("E0005", "file is not valid UTF-8 text", at: Span(file: path, line: line, column: column),
                      label: "byte 0x\(String(bytes[min(validPrefix, bytes.count - 1)], radix: 16)) does not decode", help: "save the file as UTF-8")
    }
}
