import Logging
import O2CCore
import O2CEngine
import O2CLoader
import O2CModel
import O2CStore
import Synchronization

/// The imperative shell around the pure interpreter: reads the store, calls `Interpreter`,
/// writes each step in one transaction, and dispatches effects to handlers after commit.
///
/// Time always comes from the caller (`now:`), never from a clock read in here, so tests and
/// analysts can walk a 90-day ladder in milliseconds.
public final class Runtime: Sendable {
    public let store: any InstanceStore
    /// The library in `workflows/` and `rules/` now: what new instances start with.
    public let library: Library
    public let handlers: HandlerRegistry
    public let retry: RetryPolicy
    /// Who is acting (recorded in history): `--actor`, or the OS user.
    public let actor: String
    let logger: Logger
    private let pinned = Mutex<[String: Library]>([:])
    /// Interpreters by definition and workflow: building one binds the policy and prepares the
    /// workflow's decision tables, which is worth doing once per process, not once per event.
    private let interpreters = Mutex<[String: Interpreter]>([:])

    public init(store: any InstanceStore, library: Library, handlers: HandlerRegistry, retry: RetryPolicy,
                actor: String, logger: Logger = Logger(label: "o2c.runtime")) {
        self.store = store
        self.library = library
        self.handlers = handlers
        self.retry = retry
        self.actor = actor
        self.logger = logger
        definitionRecord = Self.definitionRecord(of: library)
        pinned.withLock { $0[library.hash] = library }
    }

    /// The definition an instance started with: loaded from the stored sources, not the files.
    public func library(hash: String) throws(RuntimeError) -> Library {
        if let cached = pinned.withLock({ $0[hash] }) { return cached }
        let record: DefinitionRecord?
        do { record = try store.definition(hash: hash) } catch { throw .store(error as? StoreError ?? .sqlite(code: -1, message: "\(error)")) }
        guard let record else { throw .corrupt("definition \(hash.prefix(12)) is missing from the database") }
        guard case .object(let files)? = try? JSON.parse(record.source) else {
            throw .corrupt("definition \(hash.prefix(12)) has unreadable sources")
        }
        let sources = files.compactMap { path, text -> LibraryLoader.Source? in
            if case .string(let t) = text { return LibraryLoader.Source(path: path, text: t) }
            return nil
        }
        let (lib, ds) = LibraryLoader.load(sources)
        guard !ds.hasErrors else { throw .corrupt("definition \(hash.prefix(12)) no longer loads: \(ds.first!.message)") }
        var pinnedLibrary = lib
        pinnedLibrary.hash = hash
        pinned.withLock { $0[hash] = pinnedLibrary }
        return pinnedLibrary
    }

    /// The row that pins the current library, written with every start (insert-or-ignore).
    /// Serialized once here: re-serializing every source file on each start cost a third of
    /// `o2c demo`'s time.
    let definitionRecord: DefinitionRecord

    static func definitionRecord(of library: Library) -> DefinitionRecord {
        let files = library.sources.keys.sorted().map { ($0, JSON.string(library.sources[$0]!)) }
        return DefinitionRecord(hash: library.hash, name: "library", version: library.workflows.map { "\($0.name)@\($0.version)" }.joined(separator: ","),
                                source: JSON.object(files).serialized(), createdAt: Instant(secondsSinceEpoch: 0))
    }

    func interpreter(for record: InstanceRecord) throws(RuntimeError) -> Interpreter {
        let key = record.definitionHash + "/" + record.workflow
        if let cached = interpreters.withLock({ $0[key] }) { return cached }
        let lib = try library(hash: record.definitionHash)
        guard let wf = lib.workflow(record.workflow) else { throw .corrupt("workflow `\(record.workflow)` is missing from its pinned definition") }
        return interpreter(lib, wf, key: key)
    }

    /// The interpreter of `workflow` in `library`, built once per definition.
    func interpreter(_ library: Library, _ workflow: Workflow, key: String? = nil) -> Interpreter {
        let key = key ?? library.hash + "/" + workflow.name
        if let cached = interpreters.withLock({ $0[key] }) { return cached }
        let built = Interpreter(library: library, workflow: workflow)
        interpreters.withLock { $0[key] = built }
        return built
    }

    @discardableResult
    func read<T>(_ body: () throws -> T) throws(RuntimeError) -> T {
        do { return try body() } catch let e as StoreError { throw .store(e) } catch { throw .store(.sqlite(code: -1, message: "\(error)")) }
    }
}
