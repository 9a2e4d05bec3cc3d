import ArgumentParser
import Foundation
import Logging
import O2CCore
import O2CLoader
import O2CRuntime
import O2CStore

/// Options every engine command shares: the project, the database, the actor.
struct RuntimeOptions: ParsableArguments {
    @OptionGroup var project: ProjectOptions
    @Option(help: "SQLite database file (default: $O2C_DB or ./o2c.sqlite).") var db: String?
    @Option(help: "Who is acting, recorded in history (default: the OS user).") var actor: String?
    @Option(help: "Durability: full (default; survives power loss) or normal (faster; may lose the last commits on power loss).")
    var synchronous: String = "full"

    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["O2C_DB"] ?? "o2c.sqlite"
    }

    /// `--actor`, else the OS user: `$USER`, `$LOGNAME`, else the account of the process's uid
    /// (containers and cron jobs often set neither variable, and "unknown" in an audit trail
    /// helps nobody).
    var actorName: String {
        let env = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        return actor ?? env["USER"] ?? env["LOGNAME"] ?? Self.accountName() ?? "unknown"
    }

    private static func accountName() -> String? {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    func openStore(readOnly: Bool = false) throws -> SQLiteStore {
        guard let sync = SQLiteStore.Synchronous(rawValue: synchronous) else {
            throw CLIError(message: "--synchronous must be `full` or `normal`", code: Exit.usage)
        }
        if readOnly && !FileManager.default.fileExists(atPath: databasePath) {
            throw CLIError(message: "no database at `\(databasePath)` (start an instance first, or pass --db)", code: Exit.unknownInstance)
        }
        do { return try SQLiteStore.open(path: databasePath, synchronous: sync, readOnly: readOnly) } catch let e as StoreError {
            throw CLIError(message: e.description, code: e.exitCode)
        }
    }

    /// The instance's row, or the documented "unknown instance" refusal (exit 2).
    func record(_ id: String, in store: some InstanceStore) throws -> InstanceRecord {
        guard let record = try store.instance(id: id) else {
            throw CLIError(message: "unknown instance `\(id)`", code: Exit.unknownInstance)
        }
        return record
    }

    /// The runtime over the current library, the config in o2c.yaml, and the database.
    func runtime(readOnly: Bool = false) throws -> Runtime {
        let library = try LibraryLoading.load(project.defaultPaths)
        let configPath = project.root == "." ? "o2c.yaml" : (project.root as NSString).appendingPathComponent("o2c.yaml")
        let (config, ds) = ConfigLoader.load(path: configPath)
        if ds.hasErrors {
            Console.error(DiagnosticRenderer(sources: [configPath: (try? String(contentsOfFile: configPath, encoding: .utf8)) ?? ""]).render(ds))
            throw CLIError(message: "o2c.yaml has errors", code: Exit.invalid)
        }
        let logger = Logger(label: "o2c")
        let registry = HandlerRegistry(config: config, projectRoot: project.root, logger: logger)
        return Runtime(store: try openStore(readOnly: readOnly), library: library, handlers: registry, retry: config.retry,
                       actor: actorName, logger: logger)
    }
}

/// `--now` for commands that depend on time.
extension RuntimeOptions {
    /// Nothing found for `--workflow` may be a typo, not an empty database: say so on stderr.
    func warnIfUnknown(workflow: String, command: String) {
        guard let library = try? LibraryLoading.load(project.defaultPaths), library.workflow(workflow) == nil else { return }
        let names = library.workflows.map(\.name)
        Console.error("o2c \(command): the library has no workflow `\(workflow)`"
                      + (Suggest.didYouMean(workflow, in: names).map { "; \($0)" } ?? " (workflows: \(names.joined(separator: ", ")))"))
    }
}

struct ClockOption: ParsableArguments {
    @Option(help: "The current time (ISO date or datetime; default: the real clock).") var now: String?
    func instant() throws -> Instant { try InputParsing.instant(now) }

    /// Refuses an explicit `--now` earlier than the instance's last change (exit 4, nothing
    /// written): a backfill typed with the wrong date would otherwise put history out of time
    /// order. Without `--now` the runtime moves a lagging real clock up to the last change
    /// instead (another host's clock may run a little ahead).
    func requireNotBefore(_ instanceId: String, in runtime: Runtime, _ at: Instant) throws {
        guard now != nil, let record = try? runtime.store.instance(id: instanceId), record.updatedAt > at else { return }
        throw CLIError(message: "--now \(at) is before the last change of `\(instanceId)` (\(record.updatedAt)); history is kept in time order",
                       code: Exit.badInput)
    }
}

extension RuntimeError {
    /// The documented exit code for each refusal (docs/cli.md).
    var exitCode: Int32 {
        switch self {
        case .unknownInstance: Exit.unknownInstance
        case .unknownWorkflow: Exit.unknownWorkflow
        case .refused(let e):
            switch e {
            case .unknownWorkflow: Exit.unknownWorkflow
            case .eventNotAccepted, .unknownEvent, .notActive, .unknownTimer: Exit.notAccepted
            case .invalidPayload, .invalidInput: Exit.badInput
            case .alreadyStarted: Exit.conflict
            }
        case .badPayload: Exit.badInput
        case .duplicateBusinessKey: Exit.conflict
        case .store(let e): e.exitCode
        case .corrupt, .libraryInvalid: Exit.invalid
        }
    }

    var cli: CLIError {
        var code = ""
        if case .refused(let e) = self { code = "[\(e.code)] " }
        return CLIError(message: code + description, code: exitCode)
    }
}

extension StoreError {
    /// The documented exit code (docs/cli.md): a missing id is the same "unknown" as the
    /// runtime's, whichever layer noticed it.
    var exitCode: Int32 {
        switch self {
        case .unknownInstance, .unknownEffect: Exit.unknownInstance
        case .databaseNewerThanBinary: Exit.databaseNewer
        case .conflict, .duplicateInstance, .duplicateBusinessKey, .duplicateEvent: Exit.conflict
        case .invalidCommit, .databaseNeedsMigration, .sqlite: Exit.invalid
        }
    }
}

/// Runs a runtime body, mapping refusals to messages and exit codes.
func engine<T>(_ body: () throws(RuntimeError) -> T) throws -> T {
    do { return try body() } catch { throw error.cli }
}
