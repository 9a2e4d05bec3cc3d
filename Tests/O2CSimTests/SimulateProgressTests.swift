import O2CCore
import O2CModel
import O2CSim
import Testing

/// A long synthetic run reports how far it is, so `o2c simulate` can show it on a terminal.
@Suite struct SimulateProgressTests {
    @Test("progress is heard about every 1% of arrivals, last with every order arrived, and changes nothing")
    func progress() {
        let library = PopulationTests.library
        var spec = PopulationSpec.demo
        spec.orders = 200
        let header = SimulationReport.Header(baseline: "a", candidate: "b", mode: "synthetic", details: [])
        nonisolated(unsafe) var heard: [(Int, Int)] = []
        let withProgress = Simulation.synthetic(baseline: library, candidate: library, spec: spec, header: header) { heard.append(($0, $1)) }
        let without = Simulation.synthetic(baseline: library, candidate: library, spec: spec, header: header)
        #expect(heard.count == 101)
        #expect(heard.map(\.0) == Array(stride(from: 2, through: 200, by: 2)) + [200])
        #expect(heard.allSatisfy { $0.1 == 200 })
        #expect(ReportJSON.render(withProgress) == ReportJSON.render(without))
    }
}
