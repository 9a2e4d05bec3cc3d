import Foundation
import O2CCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small pieces the handlers share: file names from effect ids, atomic writes, message trimming.
enum HandlerSupport {
    /// A file name for an effect: `inv-1:3:0` → `inv-1_3_0`. Every character other than ASCII
    /// letters, digits, `-`, `_` and `.` becomes `_`, so an id can never leave its folder.
    static func fileName(forEffect id: String) -> String {
        var out = ""
        for u in id.unicodeScalars {
            let ok = u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_" || u == ".")
            out.unicodeScalars.append(ok ? u : "_")
        }
        if out.isEmpty || out.hasPrefix(".") { out = "_" + out }
        return out
    }

    /// Writes `data` to a temporary file beside `path` and renames it over `path`: readers see the
    /// old file or the new one, never half of one. Creates missing folders.
    static func writeAtomically(_ data: Data, to path: String) throws(HandlerError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HandlerError("cannot create folder `\(folder.path)`: \(reason(error))")
        }
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp")
        do {
            try data.write(to: temp)
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw HandlerError("cannot write `\(temp.path)`: \(reason(error))")
        }
        if rename(temp.path, path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temp)
            throw HandlerError("cannot move the message into `\(path)`: \(String(cString: strerror(code)))")
        }
    }

    /// A short reason without Foundation's "The operation could not be completed" noise.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = Int32(exactly: underlying.code) {
            return String(cString: strerror(code))
        }
        return ns.localizedDescription
    }

    /// The first line of `text`, at most `limit` characters (with `…` when cut).
    static func firstLine(_ text: String, limit: Int = 300) -> String {
        let line = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" })
            .first { !$0.allSatisfy(\.isWhitespace) }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }

    /// `path` as seen from the project root (absolute paths are kept).
    static func resolve(_ path: String, projectRoot: String) -> String {
        RuntimeConfig.resolve(path, projectRoot: projectRoot)
    }
}
