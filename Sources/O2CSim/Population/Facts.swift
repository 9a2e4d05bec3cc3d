import O2CCore
import O2CExpr

/// Named values (`order.total`, `customer.segment`, `amount`) shaped into whatever a workflow
/// declares: its `inputs` when an order starts, an event's payload when the outside world answers.
///
/// Why by name and type instead of fixed JSON: the library's analysts own the field lists; the
/// population fills every declared field it has a fact for (full path first, then the field
/// name alone, then a synonym) and gives the rest a neutral value of the declared type (null
/// when optional). A renamed or added input keeps the demo running instead of breaking it.
public struct Facts: Sendable {
    public var values: [String: Value]
    /// The date and time to use for undeclared `date`/`datetime` fields, and the currency for money.
    public var now: Instant
    public var currency: Currency

    public init(_ values: [String: Value] = [:], now: Instant, currency: Currency) {
        self.values = values
        self.now = now
        self.currency = currency
    }

    /// Field names that mean the same fact.
    static let synonyms: [String: [String]] = [
        "id": ["number", "order_number"], "total": ["order_total", "net_total"],
        "email": ["customer_email", "contact_email"], "ordered_at": ["created_at", "placed_at", "received_at"],
        "ordered_on": ["order_date"], "quantity": ["qty"], "unit_price": ["price"], "customer_id": ["customer"],
        "reference": ["ref", "payment_reference"], "tracking_no": ["tracking_number", "tracking"],
    ]

    public subscript(path: String) -> Value? {
        get { values[path] }
        set { values[path] = newValue }
    }

    /// The canonical name of each synonym (every synonym belongs to one canonical name).
    static let canonical: [String: String] = {
        var out: [String: String] = [:]
        for (name, aliases) in synonyms { for alias in aliases { out[alias] = name } }
        return out
    }()

    /// The fact for a field at `path` (`["order", "total"]`).
    func lookup(_ path: [String]) -> Value? {
        guard let name = path.last else { return nil }
        return lookup(parent: path.count > 1 ? path.dropLast().joined(separator: ".") : nil, name)
    }

    /// The fact for field `name` of the object at `parent` (its dotted path; nil at the top):
    /// the full path, a synonym under the same parent, the name alone, a synonym alone, then
    /// the canonical name the field is a synonym of. The path travels joined, not as an array
    /// joined again for every field: a population draw looks up a few dozen fields per order.
    func lookup(parent: String?, _ name: String) -> Value? {
        let prefix = parent.map { $0 + "." }
        if let v = values[prefix.map { $0 + name } ?? name] { return v }
        let aliases = Self.synonyms[name]
        if let prefix, let aliases {
            for alias in aliases { if let v = values[prefix + alias] { return v } }
        }
        if prefix != nil, let v = values[name] { return v }
        if let aliases {
            for alias in aliases { if let v = values[alias] { return v } }
        }
        if let canonical = Self.canonical[name] {
            if let prefix, let v = values[prefix + canonical] { return v }
            if let v = values[canonical] { return v }
        }
        return nil
    }

    /// Every declared field, filled.
    public func build(_ type: ObjectType, at path: [String] = []) -> [String: Value] {
        build(type, parent: path.isEmpty ? nil : path.joined(separator: "."))
    }

    func build(_ type: ObjectType, parent: String?) -> [String: Value] {
        var out: [String: Value] = [:]
        out.reserveCapacity(type.fields.count)
        for f in type.fields { out[f.name] = value(f.type, parent: parent, f.name) }
        return out
    }

    func value(_ type: ExprType, at path: [String]) -> Value {
        value(type, parent: path.count > 1 ? path.dropLast().joined(separator: ".") : nil, path.last ?? "")
    }

    /// The value of field `name` under `parent` (as in `lookup(parent:_:)`).
    func value(_ type: ExprType, parent: String?, _ name: String) -> Value {
        var path: String { parent.map { $0 + "." + name } ?? name }
        if case .optional(let inner) = type {
            guard let fact = lookup(parent: parent, name), let v = convert(fact, to: inner) else {
                if case .object = inner, parent == nil { return .object(build(objectType(inner), parent: path)) }
                return .null
            }
            return v
        }
        switch type {
        case .object(let o): return .object(build(o, parent: path))
        case .list(let element):
            if case .object(let o) = element.unwrapped { return .list([.object(build(o, parent: parent.map { $0 + ".line" } ?? "line"))]) }
            if let fact = lookup(parent: parent, name) {
                if case .list(let items) = fact { return .list(items.compactMap { convert($0, to: element) }) }
                if let v = convert(fact, to: element) { return .list([v]) }
            }
            return .list([])
        default:
            if let fact = lookup(parent: parent, name), let v = convert(fact, to: type) { return v }
            return neutral(type)
        }
    }

    private func objectType(_ t: ExprType) -> ObjectType {
        if case .object(let o) = t { return o }
        return ObjectType([])
    }

    func neutral(_ type: ExprType) -> Value {
        switch type {
        case .bool: .bool(false)
        case .int, .decimal: .number(.zero)
        case .string: .string("")
        case .money: .money(Money(.zero, currency))
        case .date: .date(now.day)
        case .datetime: .datetime(now)
        case .duration: .duration(Duration(seconds: 0))
        case .list: .list([])
        case .object(let o): .object(build(o))
        case .optional, .null, .any: .null
        }
    }

    /// A fact converted to the declared type, or nil when it cannot be (a list for a number…).
    func convert(_ v: Value, to type: ExprType) -> Value? {
        switch (type, v) {
        case (.any, _): return v
        case (.optional(let t), _): return convert(v, to: t)
        case (.string, .string), (.bool, .bool), (.money, .money), (.date, .date), (.datetime, .datetime),
             (.duration, .duration), (.decimal, .number): return v
        case (.int, .number(let n)): return n.isInteger ? v : nil
        case (.string, .number(let n)): return .string(n.description)
        case (.string, .money(let m)): return .string(m.description)
        case (.string, .date(let d)): return .string(d.description)
        case (.string, .datetime(let t)): return .string(t.description)
        case (.string, .bool(let b)): return .string(b ? "true" : "false")
        case (.date, .datetime(let t)): return .date(t.day)
        case (.datetime, .date(let d)): return .datetime(d.startInstant)
        case (.duration, .number(let n)): return n.intValue.map { .duration(.days($0)) }
        case (.int, .duration(let d)): return .int(d.days)
        case (.decimal, .money(let m)): return .number(m.amount)
        case (.money, .number(let n)): return .money(Money(n, currency))
        default: return nil
        }
    }
}
