import Foundation
import O2CCore
import O2CLoader
import O2CModel
import Testing

/// `ArgumentTemplate` (an effect's arguments written through indexes into a prepared dictionary)
/// against inserting them one by one, as the engine did before.
@Suite struct ArgumentTemplateTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let library: Library = {
        let paths = ["workflows", "rules"].map { root.appendingPathComponent($0).path }
        let (sources, _) = (try? SourceFiles.read(paths)) ?? ([], [])
        return LibraryLoader.load(sources).0
    }()

    /// The arguments as the engine built them before templates: literals, then each argument in
    /// document order, a dotted name as a field of the object at its outer name.
    static func inserted(_ call: ActionCall, _ values: [Value]) -> [String: Value] {
        var args: [String: Value] = [:]
        for (k, v) in call.literals { args[k] = .string(v) }
        for (i, a) in call.arguments.enumerated() {
            if let dot = a.name.firstIndex(of: ".") {
                let outer = String(a.name[..<dot]), inner = String(a.name[a.name.index(after: dot)...])
                var object: [String: Value] = [:]
                if case .object(let o)? = args[outer] { object = o }
                object[inner] = values[i]
                args[outer] = .object(object)
            } else {
                args[a.name] = values[i]
            }
        }
        return args
    }

    static func templated(_ call: ActionCall, _ values: [Value]) -> [String: Value] {
        let template = call.argumentTemplate
        var args = template.dictionary
        for i in values.indices { template.set(i, values[i], in: &args) }
        return args
    }

    static func valueSets(_ count: Int) -> [[Value]] {
        [(0..<count).map { .number(ExactDecimal($0)) },
         (0..<count).map { .object(["n": .number(ExactDecimal($0))]) },
         (0..<count).map { _ in .null }]
    }

    @Test("every action call of the shipped library builds the same arguments through its template")
    func shippedCalls() {
        let calls = Self.library.actionCalls
        #expect(calls.count > 100)
        for call in calls {
            for values in Self.valueSets(call.arguments.count) {
                #expect(Self.templated(call, values) == Self.inserted(call, values), "\(call.name) at \(call.span)")
            }
        }
    }

    @Test("a ladder's and a table's inputs, dotted names included, build the same dictionary through their templates")
    func bindingInputs() throws {
        let e = try #require(Self.library.actionCalls.first { !$0.arguments.isEmpty }?.arguments[0].value)
        let names = ["balance", "order.total", "balance", "customer.segment"]
        let inputs = names.map { (name: $0, value: e) }
        let ladder = LadderBinding(ladder: "l", inputs: inputs, feesTo: [], span: e.span)
        let table = DecisionBinding(table: "t", alias: "a", inputs: inputs, span: e.span)
        for values in Self.valueSets(names.count) {
            var plain: [String: Value] = [:]
            for (i, n) in names.enumerated() { plain[n] = values[i] }
            for template in [ladder.inputTemplate, table.inputTemplate] {
                var filled = template.dictionary
                for i in values.indices { template.set(i, values[i], in: &filled) }
                #expect(filled == plain)
            }
        }
    }

    @Test("a literal replaced by an argument, a dotted name after a plain one, a name given twice, and a call changed after use")
    func awkwardCalls() throws {
        let e = try #require(Self.library.actionCalls.first { !$0.arguments.isEmpty }?.arguments[0].value)
        let shapes: [(literals: [String: String], names: [String])] = [
            (["template": "t", "data": "x"], ["template", "data.amount", "data.currency"]),
            ([:], ["data", "data.amount", "amount", "data"]),
            (["a": "1"], ["b.c", "b", "b.d", "a.e"]),
            ([:], []),
        ]
        for shape in shapes {
            var call = ActionCall(name: "act", literals: shape.literals, arguments: shape.names.map { ($0, e) }, span: e.span)
            for values in Self.valueSets(shape.names.count) {
                #expect(Self.templated(call, values) == Self.inserted(call, values), "\(shape)")
            }
            call.arguments.append(("late.field", e))
            call.literals["extra"] = "y"
            for values in Self.valueSets(call.arguments.count) {
                #expect(Self.templated(call, values) == Self.inserted(call, values), "\(shape) changed")
            }
        }
    }
}
