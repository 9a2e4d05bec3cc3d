import Foundation

// o2c-bench: the performance figures of o2c, one line each: `name value unit   # target: met|MISSED; note`.
//
//   swift run -c release o2c-bench            # everything (< 10 minutes on 2 cores)
//   swift run -c release o2c-bench --quick    # CI-sized (~1 minute)
//   swift run -c release o2c-bench --only interpreter --only decision
//
// Groups: interpreter, simulation, durable (tick + advance, beside the raw SQLite floor),
// decision (table + guard), startup (o2c validate, o2c show). See docs/performance.md.

let groups = ["interpreter", "decision", "simulation", "durable", "startup"]

func usage() -> Never {
    FileHandle.standardError.write(Data("""
        usage: o2c-bench [--quick] [--only GROUP]... [--root DIR] [--o2c PATH] [--orders N] [--sim-sizes N,N…] [--tick-sizes N,N…]
          groups: \(groups.joined(separator: ", "))
          --root DIR   project folder holding workflows/ and rules/ (default: .)
          --o2c PATH   the release o2c binary for the start-up figures (default: beside o2c-bench)
          --orders N   orders for the interpreter group (default 5000, 1000 with --quick; small for profiling)
          --sim-sizes  simulation sizes (default 1000,10000,100000; 1000,3000 with --quick)
          --tick-sizes waiting instances for the durable tick (default 10000,100000; 2000 with --quick)

        """.utf8))
    exit(2)
}

var options = Options()
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--quick": options.quick = true
    case "--only":
        guard let g = args.first, groups.contains(g) else { usage() }
        options.only.insert(args.removeFirst())
    case "--root":
        guard !args.isEmpty else { usage() }
        options.root = args.removeFirst()
    case "--o2c":
        guard !args.isEmpty else { usage() }
        options.o2c = args.removeFirst()
    case "--child":
        // Internal: `--child simulate N` runs one simulation size in this process.
        guard args.count >= 2 else { usage() }
        options.child = [args.removeFirst(), args.removeFirst()]
    case "--orders":
        guard let n = args.first.flatMap({ Int($0) }), n > 0 else { usage() }
        args.removeFirst()
        options.orders = n
    case "--sim-sizes":
        guard let list = args.first?.split(separator: ",").compactMap({ Int($0) }), !list.isEmpty else { usage() }
        args.removeFirst()
        options.simSizes = list
    case "--tick-sizes":
        guard let list = args.first?.split(separator: ",").compactMap({ Int($0) }), !list.isEmpty else { usage() }
        args.removeFirst()
        options.tickSizes = list
    case "-h", "--help": usage()
    default: usage()
    }
}

let library = loadShippedLibrary(options.root)

if !options.child.isEmpty {
    if options.child[0] == "simulate", let n = Int(options.child[1]) {
        SimulationBench.child(n, baseline: library, candidate: loadShippedLibrary(options.root, edits: SimulationBench.policyChange))
        exit(0)
    }
    usage()
}

Report.info("o2c-bench \(options.quick ? "--quick" : "(full)"), \(ProcessInfo.processInfo.activeProcessorCount) cores, library \(library.hash.prefix(12))")
let total = Clock.seconds {
    if options.runs("interpreter") { InterpreterBench.main(options, library: library) }
    if options.runs("decision") { DecisionBench.main(options, library: library) }
    if options.runs("simulation") { SimulationBench.main(options) }
    if options.runs("durable") { DurableBench.main(options, library: library) }
    if options.runs("startup") { StartupBench.main(options, library: library) }
}
if let t = DurableBench.tickedDatabase {
    try? FileManager.default.removeItem(atPath: (t.path as NSString).deletingLastPathComponent)
}
Fixtures.dir.cleanup()
Report.figure("bench.total_seconds", total, "s", target: .below(options.quick ? 90 : 600, options.quick ? "~1 minute" : "10 minutes"))
