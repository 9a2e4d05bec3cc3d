import Foundation
import O2CCore
import O2CEngine
import O2CExpr

/// Turns command-line text (`--data`, `--input`, `--now`, `--set`) into typed values.
enum InputParsing {
    static func object(_ text: String, as type: ObjectType, what: String) throws -> [String: Value] {
        let parsed: JSON
        do { parsed = try JSON.parse(text) } catch { throw CLIError(message: "\(what) is not valid JSON: \(error)", code: Exit.badInput) }
        guard case .object(let pairs) = parsed else { throw CLIError(message: "\(what) must be a JSON object", code: Exit.badInput) }
        do { return try TypedValues.object(pairs, as: type, path: "") } catch {
            throw CLIError(message: "\(what): field `\(error.path)` \(error.message)", code: Exit.badInput)
        }
    }

    /// `--now`: an ISO date or datetime; default the real clock (the only place the CLI reads it).
    static func instant(_ text: String?) throws -> Instant {
        guard let text else { return Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }
        guard let t = Instant(parsing: text) else {
            throw CLIError(message: "--now `\(text)` is not a date or datetime (e.g. 2026-03-01 or 2026-03-01T09:00:00Z)", code: Exit.usage)
        }
        return t
    }

    /// For `eval`: texts that read as money, dates, datetimes or durations become those.
    static func infer(_ json: JSON) -> Value {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s):
            if let m = Money(parsing: s) { return .money(m) }
            if let d = Day(parsing: s) { return .date(d) }
            if let t = Instant(parsing: s) { return .datetime(t) }
            if let d = Duration(parsing: s) { return .duration(d) }
            return .string(s)
        case .array(let a): return .list(a.map(infer))
        case .object(let o): return .object(Dictionary(o.map { ($0.0, infer($0.1)) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    static func type(of v: Value) -> ExprType {
        switch v {
        case .null: .optional(.any)
        case .bool: .bool
        case .number(let n): n.isInteger ? .int : .decimal
        case .string: .string
        case .money: .money
        case .date: .date
        case .datetime: .datetime
        case .duration: .duration
        case .list(let items): .list(items.first.map(type(of:)) ?? .any)
        case .object(let o): .object(ObjectType(o.keys.sorted().map { .init(name: $0, type: type(of: o[$0]!)) }))
        }
    }
}
