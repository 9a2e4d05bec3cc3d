import Foundation
import O2CCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The demo's `notify`: renders each notice with the real `NotifyHandler` templates and writes it
/// to the same file, but without the handler's atomic, synced write.
///
/// Why: the demo writes thousands of throwaway notices; syncing each to disk cost more wall time
/// than running the workflows. A crash loses nothing that matters, the database is recreated.
struct NoticeWriter: ActionHandler {
    let notify: NotifyHandler

    func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? {
        let message = try notify.render(delivery)
        let folder = (message.path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let fd = open(message.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw HandlerError("cannot write `\(message.path)`: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(message.text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw HandlerError("cannot write `\(message.path)`: short write") }
        return nil
    }
}
