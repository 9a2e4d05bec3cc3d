import Foundation
import Testing

/// `o2c report` on a database the demo made: by default it shows the demo's own figures.
@Suite struct ReportCLITests {
    @Test("right after `o2c demo`, `o2c report` shows the same period and KPIs; --to includes its day")
    func defaultPeriodIsTheDemos() throws {
        // Given a demo database
        let cli = try CLIHarness.withShippedLibrary()
        let demo = try cli.run("demo", "--db", "demo.sqlite", "--orders", "40", "--out", "none", "--quiet")
        #expect(demo.status == 0, "\(demo.stderr)")
        func lines(_ text: String, _ prefixes: [String]) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { l in prefixes.contains { l.hasPrefix($0) } }
        }
        let kpis = ["KPIs ", "DSO ", "countback DSO ", "CEI "]
        let demoKPIs = lines(demo.stdout, kpis)
        #expect(demoKPIs.count == 4, "\(demo.stdout)")

        // When the report is asked for with no period
        let report = try cli.run("report", "--db", "demo.sqlite")

        // Then it is the demo's period and figures
        #expect(report.status == 0, "\(report.stderr)")
        #expect(lines(report.stdout, kpis) == demoKPIs, "\(report.stdout)")

        // and --to names the last day included: the printed end is the next midnight
        let period = demoKPIs[0].split(separator: " ")
        let (from, end) = (String(period[1]), String(period[3]))
        let lastDay = try #require(Calendar(identifier: .gregorian).date(byAdding: .day, value: -1, to: ISO8601DateFormatter().date(from: end + "T00:00:00Z")!))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let explicit = try cli.run("report", "--db", "demo.sqlite", "--from", from, "--to", formatter.string(from: lastDay))
        #expect(lines(explicit.stdout, kpis) == demoKPIs, "\(explicit.stdout)")
    }
}
