import Foundation
import Testing

/// `o2c report` on a database the demo made.
@Suite struct ReportCLITests {
    @Test("the report command `o2c demo` prints shows the demo's period and KPIs")
    func demoPrintsItsReportCommand() throws {
        // Given a demo database and the summary the demo printed
        let cli = try CLIHarness.withShippedLibrary()
        let demo = try cli.run("demo", "--db", "demo.sqlite", "--orders", "40", "--out", "none", "--quiet")
        #expect(demo.status == 0, "\(demo.stderr)")
        func lines(_ text: String, _ prefixes: [String]) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { l in prefixes.contains { l.hasPrefix($0) } }
        }
        let kpis = ["KPIs ", "DSO ", "countback DSO ", "CEI "]
        let demoKPIs = lines(demo.stdout, kpis)
        #expect(demoKPIs.count == 4, "\(demo.stdout)")
        let closer = try #require(lines(demo.stdout, ["Look closer: "]).first)
        let command = try #require(closer.dropFirst("Look closer: ".count).split(separator: " · ").first)
        let words = command.split(separator: " ").map(String.init)
        #expect(words.prefix(2) == ["o2c", "report"] && words.contains("--from") && words.contains("--to"), "\(command)")

        // When that command is run
        let report = try cli.run(Array(words.dropFirst()))

        // Then it shows the demo's period and figures; `--to` names the last day included, so
        // the printed end is the next midnight
        #expect(report.status == 0, "\(report.stderr)")
        #expect(lines(report.stdout, kpis) == demoKPIs, "\(report.stdout)")
        let to = try #require(words.firstIndex(of: "--to").map { words[$0 + 1] })
        #expect(!demoKPIs[0].contains("→ \(to) "), "the printed end is the day after --to")
    }
}
