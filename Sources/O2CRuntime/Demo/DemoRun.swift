import Logging
import O2CCore
import O2CEngine
import O2CModel
import O2CSim
import O2CStore
import Synchronization

/// `o2c demo` without the terminal: runs a seeded book of business through the real runtime.
///
/// Every order is started with `Runtime.start` at its arrival time; every answer of the
/// outside world (warehouse, carrier, reviewers, customers, agency; `BehaviourModel`) is
/// delivered with `Runtime.advance` at its own time, or returned by the registered handler when
/// it is immediate; `Runtime.tick` walks the clock day by day so every timer and ladder step
/// fires at its deadline. Same seed, same library → same database contents and same report.
public enum Demo {
    public struct Options: Sendable {
        public var spec: PopulationSpec
        /// Days the clock keeps running after orders stop arriving, so late invoices mature
        /// (0: the books close while orders still arrive, a live book).
        public var settleDays: Int
        /// The KPIs are computed over this many days before the close (a quarter), the rest of
        /// the summary over the whole run.
        public var kpiDays: Int
        /// Where `notify` writes the notices (`nil`: rendered nowhere, only counted).
        public var noticesFolder: String?
        public var templatesFolder: String

        public init(spec: PopulationSpec, settleDays: Int = 0, kpiDays: Int = 90, noticesFolder: String? = nil, templatesFolder: String = "templates") {
            self.spec = spec
            self.settleDays = settleDays
            self.kpiDays = kpiDays
            self.noticesFolder = noticesFolder
            self.templatesFolder = templatesFolder
        }
    }

    /// Reported once per simulated week, and at the close.
    public struct Progress: Sendable {
        /// nil at the close.
        public var week: Int?
        public var day: Day
        public var ordersStarted: Int
        public var eventsDelivered: Int
        public var paymentsReceived: Int
        public var noticesSent: Int
    }

    public struct Outcome: Sendable {
        /// The whole run: orders, activity, money and reconciliation as of the close.
        public var report: O2CReport
        /// The KPIs over the last `kpiDays` before the close.
        public var kpis: O2CReport
        public var ordersStarted: Int
        public var eventsDelivered: Int
        /// Answers the workflows did not accept, by reason (a payment after the invoice was handed
        /// to the agency, a reply after the order was cancelled…): the world is not in sync with
        /// the process, as in real life; nothing is changed by them.
        public var refused: [(reason: String, count: Int)]
        /// Events still waiting at the end (payments promised after the last simulated day).
        public var eventsAfterEnd: Int
    }

    /// Runs the demo on `store` (a new, empty database). `progress` is called once a simulated week.
    public static func run(_ options: Options, library: Library, store: any InstanceStore,
                           progress: (Progress) -> Void = { _ in }) throws -> Outcome {
        let spec = options.spec
        let queue = EventQueue()
        let counts = ActionCounts()
        let quiet = Logger(label: "o2c.demo", factory: { _ in SwiftLogNoOpLogHandler() })
        var registry = HandlerRegistry(config: RuntimeConfig(outboxFolder: options.noticesFolder ?? "demo-out",
                                                             templatesFolder: options.templatesFolder),
                                       projectRoot: ".", logger: quiet)
        let model = BehaviourModel(spec: spec, library: library)
        let notify = options.noticesFolder.map { NoticeWriter(notify: NotifyHandler(templatesFolder: options.templatesFolder, outboxFolder: $0)) }
        for action in actions(in: library) {
            registry.register(action, BehaviourHandler(model: model, queue: queue, inner: action == "notify" ? notify : nil, counts: counts))
        }
        let runtime = Runtime(store: store, library: library, handlers: registry,
                              retry: RetryPolicy(maxAttempts: 3, baseDelay: Duration(seconds: 60), maxDelay: Duration(seconds: 3600)),
                              actor: "demo", logger: quiet)
        var driver = Driver(runtime: runtime, library: library, queue: queue)
        var plans = Population(spec, library: library).makeIterator()
        var next = plans.next()
        let first = spec.start.day
        let totalDays = spec.days + options.settleDays
        for d in 0..<totalDays {
            let dayEnd = Day(daysSinceEpoch: first.daysSinceEpoch + d + 1).startInstant
            while true {
                let tPlan = next.map(\.at).flatMap { $0 < dayEnd ? $0 : nil }
                let tEvent = queue.nextTime.flatMap { $0 < dayEnd ? $0 : nil }
                guard tPlan != nil || tEvent != nil else { break }
                if let tp = tPlan, tEvent == nil || tp < tEvent!, let plan = next {
                    try driver.start(plan)
                    next = plans.next()
                } else if let te = tEvent, let e = queue.pop(dueBy: te) {
                    try driver.deliver(e)
                }
            }
            // The books close at the end of the last day: what falls due at the next midnight belongs
            // to the next period (reports count [from, to)), so the last tick stops a second short.
            try runtime.tick(now: d + 1 == totalDays ? dayEnd.adding(Duration(seconds: -1)) : dayEnd)
            if (d + 1) % 7 == 0 || d + 1 == totalDays {
                progress(Progress(week: (d + 1) % 7 == 0 ? (d + 1) / 7 : nil, day: dayEnd.day, ordersStarted: driver.started, eventsDelivered: driver.delivered,
                                  paymentsReceived: driver.payments, noticesSent: counts.count("notify")))
            }
        }
        let end = Day(daysSinceEpoch: first.daysSinceEpoch + totalDays).startInstant
        let schema = ReportSchema(library: library)
        let input = try ReportInput.read(store, historyOf: schema.historyWorkflows)
        let begin = spec.start.day.startInstant
        let report = O2CReport(input, schema: schema, from: begin, to: end)
        let kpis = O2CReport(input, schema: schema, from: max(begin, end.adding(.days(-options.kpiDays))), to: end)
        return Outcome(report: report, kpis: kpis, ordersStarted: driver.started, eventsDelivered: driver.delivered,
                       refused: driver.refused.keys.sorted().map { ($0, driver.refused[$0]!) }, eventsAfterEnd: queue.count)
    }

    /// Every action the library can emit (ladder fees included), except `start` and `emit`, which
    /// the runtime performs itself.
    static func actions(in library: Library) -> Set<String> {
        var names: Set<String> = ["notify", "fee"]
        for wf in library.workflows {
            for st in wf.states {
                var calls = st.entry + st.exit
                calls += st.on.flatMap { $0.transitions.flatMap(\.actions) }
                calls += st.after.flatMap(\.transition.actions) + st.always.flatMap(\.actions)
                for c in calls { names.insert(c.name) }
            }
        }
        for ladder in library.ladders { for s in ladder.steps { for c in s.actions { names.insert(c.name) } } }
        return names.subtracting(["start", "emit"])
    }
}

/// Counts effects per action as the demo handlers receive them (first attempts only).
final class ActionCounts: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func add(_ action: String) { counts.withLock { $0[action, default: 0] += 1 } }
    func count(_ action: String) -> Int { counts.withLock { $0[action] ?? 0 } }
}
