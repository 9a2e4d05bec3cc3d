import ArgumentParser
import Foundation
import O2CCore
import O2CModel
import O2CRuntime
import O2CSim
import O2CStore

/// `o2c demo`: the main job, end to end on a laptop. See docs/demo.md.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a seeded book of business through the shipped library on a new SQLite database, and print what finance would see.",
        discussion: """
        Loads workflows/ and rules/, creates a NEW database (--db, replaced each run), generates the orders \
        (scenarios/demo.yaml's population unless --scenario), and drives every event and timer through the real \
        runtime, one simulated day at a time. Same seed, same numbers. Then: o2c report --db demo.sqlite.
        """
    )

    @OptionGroup var project: ProjectOptions
    @Option(help: "The database to create; an existing file is replaced.") var db = "demo.sqlite"
    @Option(help: "A scenario file with the population (default: the built-in demo book, the same as scenarios/demo.yaml).") var scenario: String?
    @Option(help: "Number of orders (default 400).") var orders: Int?
    @Option(help: "Days over which orders arrive (default 120).") var days: Int?
    @Option(help: "The seed: the same seed gives the same numbers (default 7).") var seed: UInt64?
    @Option(help: "Days the clock keeps running after orders stop, so invoices mature (default 0: a live book).") var settleDays = 0
    @Option(help: "Folder the notices are written to, like --db relative to the current folder (its email/, post/ and sms/ are replaced); `none` to write none.") var out = "demo-out"
    @Flag(help: "Print the summary as JSON.") var json = false
    @Flag(help: "No progress lines on stderr.") var quiet = false

    func validate() throws {
        if let orders, orders < 1 { throw ValidationError("--orders must be at least 1") }
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
        if settleDays < 0 { throw ValidationError("--settle-days must not be negative") }
    }

    func run() throws {
        try Console.run {
            let clock = ContinuousClock()
            let began = clock.now
            let library = try LibraryLoading.load(project.defaultPaths)
            let spec = try population(library)
            let store = try freshDatabase()
            let noticesFolder = out == "none" ? nil : out
            if let noticesFolder { clearNotices(noticesFolder) }
            let (config, _) = ConfigLoader.load(path: path(RuntimeConfig.fileName))
            let options = Demo.Options(spec: spec, settleDays: settleDays, noticesFolder: noticesFolder,
                                       templatesFolder: RuntimeConfig.resolve(config.templatesFolder, projectRoot: project.root))
            if !quiet {
                Console.error("o2c demo: \(spec.orders) orders over \(spec.days) days from \(spec.start.day), seed \(spec.seed), "
                    + "clock runs \(spec.days + settleDays) days; database \(db)")
            }
            let outcome = try Demo.run(options, library: library, store: store) { p in
                guard !quiet else { return }
                let seconds = began.duration(to: clock.now)
                Console.error("  \(p.week.map { "week \(pad($0, 2))" } ?? "close  ")  \(p.day)  orders \(pad(p.ordersStarted, 5))  events \(pad(p.eventsDelivered, 6))  "
                    + "payments \(pad(p.paymentsReceived, 5))  notices \(pad(p.noticesSent, 5))  \(Self.format(seconds))")
            }
            let elapsed = began.duration(to: clock.now)
            if json {
                Console.out(DemoSummary.json(outcome, spec: spec, database: db).serialized(pretty: true))
            } else {
                Console.out(DemoSummary.text(outcome, spec: spec, database: db, notices: noticesFolder))
            }
            if !quiet { Console.error("o2c demo: done in \(Self.format(elapsed))") }
        }
    }

    func population(_ library: Library) throws -> PopulationSpec {
        var spec = PopulationSpec.demo
        var text = ""
        if let scenario {
            guard let read = try? String(contentsOfFile: scenario, encoding: .utf8) else {
                throw CLIError(message: "cannot read the scenario file `\(scenario)`", code: Exit.usage)
            }
            text = read
            let (parsed, ds) = PopulationSpec.parse(text, file: scenario)
            if !ds.isEmpty { Console.error(DiagnosticRenderer(sources: [scenario: text]).render(ds)) }
            guard let parsed else { throw CLIError(message: "the scenario file has errors", code: Exit.invalid) }
            spec = parsed
        }
        let file = scenario ?? "(the built-in demo population)"
        let unknown = PopulationSpec.checkWorkflow(spec, text: text, file: file, in: [("library", library)])
        if !unknown.isEmpty {
            Console.error(DiagnosticRenderer(sources: [file: text]).render(unknown))
            throw CLIError(message: scenario == nil ? "the built-in demo population cannot run on this library" : "the scenario file has errors", code: Exit.invalid)
        }
        if let orders { spec.orders = orders }
        if let days { spec.days = days }
        if let seed { spec.seed = seed }
        return spec
    }

    /// Deletes the previous demo database (and its WAL files) and opens a new one. Durability
    /// `normal`: a throwaway database need not wait for the disk at every commit.
    func freshDatabase() throws -> SQLiteStore {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        do { return try SQLiteStore.open(path: db, synchronous: .normal) } catch {
            throw CLIError(message: "cannot create the database `\(db)`: \(error)", code: Exit.invalid)
        }
    }

    /// Only the channel folders notify writes are removed, never the folder itself.
    func clearNotices(_ folder: String) {
        for channel in ["email", "post", "sms"] { try? FileManager.default.removeItem(atPath: folder + "/" + channel) }
    }

    func path(_ p: String) -> String { RuntimeConfig.resolve(p, projectRoot: project.root) }

    func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }

    static func format(_ d: Swift.Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return "\(ms / 1000).\(ms % 1000 / 100)s"
    }
}
