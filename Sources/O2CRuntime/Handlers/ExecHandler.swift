import Foundation
import O2CCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an external program, in any language, for each effect.
///
/// The contract (docs/handlers.md): the program is started directly, never through a shell,
/// with the arguments from `command` and the project root as working directory. It gets the
/// effect as one line of JSON on stdin (`EffectDelivery.json`, sorted keys) and only the
/// environment variables named in `env`, plus `O2C_EFFECT_ID`. Exit 0 with nothing on stdout
/// means done; exit 0 with `{"event": "...", "data": {...}}` answers the instance with that
/// event. Any other exit status is a failure (retried), reported with the first line of stderr.
/// Output that is not JSON, or more than `maxOutput` bytes of it, fails permanently. A program
/// still running at `timeout` gets SIGTERM, then SIGKILL after `killGrace` seconds, and the
/// delivery is retried.
public struct ExecHandler: ActionHandler {
    public let command: [String]
    public let timeout: Duration
    public let maxOutput: Int
    /// Names of the variables passed on from o2c's own environment (values are read at run time).
    public let environment: [String]
    /// Relative programs and the working directory are resolved against this folder.
    public let projectRoot: String
    /// Seconds between SIGTERM and SIGKILL when the timeout hits.
    public var killGrace: Double = 2

    /// Bytes of stderr kept for the error message.
    static let stderrLimit = 16_384

    public init(command: [String], timeout: Duration, maxOutput: Int, environment: [String], projectRoot: String) {
        self.command = command
        self.timeout = timeout
        self.maxOutput = maxOutput
        self.environment = environment
        self.projectRoot = projectRoot
    }

    var displayName: String {
        let text = command.joined(separator: " ")
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }

    public func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? {
        let result = try run(stdin: Array((delivery.json.serialized(sortedKeys: true) + "\n").utf8), effectId: delivery.effectId)
        switch result.ending {
        case .timedOut:
            throw HandlerError("`\(displayName)` timed out after \(timeout)")
        case .outputExceeded:
            throw HandlerError("`\(displayName)` output exceeded \(maxOutput) bytes", permanent: true)
        case .exited(let status) where status != 0:
            let detail = HandlerSupport.firstLine(String(decoding: result.stderr, as: UTF8.self))
            throw HandlerError("`\(displayName)` exited with status \(status)" + (detail.isEmpty ? "" : ": \(detail)"))
        case .signalled(let signal):
            let detail = HandlerSupport.firstLine(String(decoding: result.stderr, as: UTF8.self))
            throw HandlerError("`\(displayName)` was killed by signal \(signal)" + (detail.isEmpty ? "" : ": \(detail)"))
        case .exited:
            return try ExecHandler.answer(from: result.stdout, program: displayName)
        }
    }

    /// Exit 0: nothing, or an answer. An object without `event` is an acknowledgement.
    static func answer(from stdout: [UInt8], program: String) throws(HandlerError) -> HandlerAnswer? {
        let text = String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        let json: JSON
        do { json = try JSON.parse(text) } catch {
            throw HandlerError("`\(program)` printed output that is not JSON (\(error)): \(HandlerSupport.firstLine(text, limit: 120))",
                               permanent: true)
        }
        guard case .object = json else {
            throw HandlerError("`\(program)` printed JSON that is not an object; expected {\"event\": \"…\", \"data\": {…}}", permanent: true)
        }
        guard let event = json["event"] else { return nil }
        guard let answer = HandlerAnswer(json: json), !answer.event.isEmpty else {
            throw HandlerError("`\(program)` answered with an `event` that is not a name: \(event.serialized())", permanent: true)
        }
        switch answer.payload {
        case .object: return answer
        default: throw HandlerError("`\(program)` answered with `data` that is not an object", permanent: true)
        }
    }

    // MARK: - Running the program

    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        case outputExceeded
    }

    struct Result {
        var ending: Ending
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    /// The program's full path: absolute, relative to the project root, or found in `PATH`.
    func executablePath() throws(HandlerError) -> String {
        guard let program = command.first, !program.isEmpty else { throw HandlerError("the exec handler has no command", permanent: true) }
        if program.contains("/") {
            let path = HandlerSupport.resolve(program, projectRoot: projectRoot)
            guard ExecHandler.isExecutableFile(path) else {
                throw HandlerError("`\(program)` is not an executable file (looked at `\(path)`)", permanent: true)
            }
            return path
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            let dir = HandlerSupport.resolve(String(folder), projectRoot: projectRoot)
            let candidate = dir.hasSuffix("/") ? dir + program : dir + "/" + program
            if ExecHandler.isExecutableFile(candidate) { return candidate }
        }
        throw HandlerError("program `\(program)` was not found in PATH", permanent: true)
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    /// The child's environment: the declared names that are set here, and `O2C_EFFECT_ID`.
    func childEnvironment(effectId: String) -> [String: String] {
        let here = ProcessInfo.processInfo.environment
        var env: [String: String] = [:]
        for name in environment { if let v = here[name] { env[name] = v } }
        env["O2C_EFFECT_ID"] = effectId
        return env
    }

    func run(stdin input: [UInt8], effectId: String) throws(HandlerError) -> Result {
        let path = try executablePath()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(command.dropFirst())
        process.environment = childEnvironment(effectId: effectId)
        process.currentDirectoryURL = URL(fileURLWithPath: projectRoot.isEmpty ? "." : projectRoot)
        let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe

        // Foundation's Process spawns with the calling thread's signal mask, and worker threads
        // (Dispatch, Swift concurrency, test runners) block nearly every signal: the program would
        // start deaf to SIGTERM and SIGPIPE. Spawn with an empty mask, then, while we talk to the
        // child, block SIGPIPE on this thread, so that writing to a child that exited without
        // reading its stdin fails with EPIPE instead of killing o2c. A pending one is swallowed.
        var previousMask = sigset_t(), emptyMask = sigset_t(), pipeSignal = sigset_t()
        sigemptyset(&emptyMask)
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_SETMASK, &emptyMask, &previousMask)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var zero = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeSignal, nil, &zero)
            }
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }
        let launched: Swift.Result<Void, any Error> = Swift.Result { try process.run() }
        var ioMask = previousMask
        sigaddset(&ioMask, SIGPIPE)
        pthread_sigmask(SIG_SETMASK, &ioMask, nil)
        if case .failure(let error) = launched {
            // Not found / not executable were checked above; what is left (busy file, no processes left) may pass.
            throw HandlerError("cannot start `\(displayName)`: \(HandlerSupport.reason(error))")
        }
        // Foundation has closed our copies of the child's ends of the pipes (else they would never
        // report end-of-file; `pump` stops waiting for that shortly after the program exits anyway).
        let io = ChildIO(stdin: stdinPipe.fileHandleForWriting, stdout: stdoutPipe.fileHandleForReading,
                         stderr: stderrPipe.fileHandleForReading, input: input, maxOutput: maxOutput)
        let ending = io.pump(process: process, timeoutSeconds: Double(max(0, timeout.seconds)), killGrace: killGrace)
        return Result(ending: ending, stdout: io.out, stderr: io.err)
    }
}

/// Moves bytes between o2c and the child on the calling thread with `poll`: stdin is written,
/// stdout and stderr read, all at once, so a child that fills one pipe while we wait on another
/// cannot deadlock. Also enforces the timeout and the output cap.
private final class ChildIO {
    let stdin: FileHandle, stdout: FileHandle, stderr: FileHandle
    /// The descriptors, read once: a closed FileHandle no longer reports its own.
    let inFD: Int32, outFD: Int32, errFD: Int32
    let input: [UInt8]
    let maxOutput: Int
    var written = 0
    var out: [UInt8] = []
    var err: [UInt8] = []
    var stdinOpen = true, stdoutOpen = true, stderrOpen = true

    init(stdin: FileHandle, stdout: FileHandle, stderr: FileHandle, input: [UInt8], maxOutput: Int) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.input = input
        self.maxOutput = maxOutput
        inFD = stdin.fileDescriptor
        outFD = stdout.fileDescriptor
        errFD = stderr.fileDescriptor
        _ = fcntl(inFD, F_SETFL, fcntl(inFD, F_GETFL) | O_NONBLOCK)
    }

    static func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    func pump(process: Process, timeoutSeconds: Double, killGrace: Double) -> ExecHandler.Ending {
        let start = ChildIO.seconds()
        var forced: ExecHandler.Ending?
        var killAt: Double?
        var exitedAt: Double?
        if input.isEmpty { closeStdin() }
        while true {
            let now = ChildIO.seconds()
            let running = process.isRunning
            if !running {
                if !stdoutOpen && !stderrOpen { break }
                // A grandchild may hold the pipes open after the program exited: do not wait for it.
                if let t = exitedAt { if now - t > 0.5 { break } } else { exitedAt = now }
            } else if forced == nil, now - start >= timeoutSeconds {
                forced = .timedOut
                signalGroup(process, SIGTERM)
                killAt = now + killGrace
            } else if let k = killAt, now >= k {
                signalGroup(process, SIGKILL)
                killAt = nil
            }
            var fds: [pollfd] = []
            if stdoutOpen { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if stderrOpen { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
            if stdinOpen { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            if fds.isEmpty {
                usleep(10_000)
                continue
            }
            let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), 20) }
            if ready <= 0 { continue }
            for p in fds where p.revents != 0 {
                if p.fd == outFD {
                    if !drain(outFD, into: &out, limit: maxOutput + 1) { stdoutOpen = false; try? stdout.close() }
                    if out.count > maxOutput, forced == nil {
                        forced = .outputExceeded
                        signalGroup(process, SIGKILL)
                    }
                } else if p.fd == errFD {
                    if !drain(errFD, into: &err, limit: ExecHandler.stderrLimit) { stderrOpen = false; try? stderr.close() }
                } else if p.fd == inFD {
                    writeSome(errorEvents: p.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0)
                }
            }
        }
        if stdinOpen { closeStdin() }
        if stdoutOpen { try? stdout.close(); stdoutOpen = false }
        if stderrOpen { try? stderr.close(); stderrOpen = false }
        process.waitUntilExit()
        if let forced { return forced }
        switch process.terminationReason {
        case .exit: return .exited(process.terminationStatus)
        case .uncaughtSignal: return .signalled(process.terminationStatus)
        @unknown default: return .exited(process.terminationStatus)
        }
    }

    /// Signals the program and everything it started: Foundation spawns it as the leader of a new
    /// process group, so `sh -c "sleep 100"` does not leave `sleep` holding the pipes.
    func signalGroup(_ process: Process, _ signal: Int32) {
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    /// Reads what is available; `false` at end-of-file or on an error. Bytes past `limit` are dropped.
    func drain(_ fd: Int32, into buffer: inout [UInt8], limit: Int) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { return errno == EINTR || errno == EAGAIN }
        if n == 0 { return false }
        let room = max(0, limit - buffer.count)
        buffer.append(contentsOf: chunk[0..<min(n, room)])
        return true
    }

    func writeSome(errorEvents: Bool) {
        if errorEvents { closeStdin(); return } // the child closed its stdin: it does not want the rest
        let n = input[written...].withUnsafeBytes { write(inFD, $0.baseAddress, min($0.count, 65_536)) }
        if n > 0 {
            written += n
            if written >= input.count { closeStdin() }
        } else if n < 0, errno != EAGAIN, errno != EINTR {
            closeStdin() // EPIPE: the child does not read its input, which is its right.
        }
    }

    func closeStdin() {
        if stdinOpen { try? stdin.close() }
        stdinOpen = false
    }
}
