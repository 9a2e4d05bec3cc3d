import O2CCore
import O2CLoader
import O2CModel

extension PopulationSpec {
    /// Keys of a scenario file this parser reads.
    public static let keys = ["population", "description", "seed", "start", "days", "orders", "currency", "workflow",
                              "segments", "order_total", "stock", "payment", "disputes", "channels"]
    /// Keys other readers of the same file own (`o2c simulate`): skipped here, not reported.
    public static let reservedKeys = ["policy", "baseline", "candidate", "compare", "horizon"]

    /// Reads a scenario file. Every problem is a located diagnostic (all of them, in one pass);
    /// the spec is returned only when there are no errors. Sections left out take the values of
    /// `PopulationSpec.demo`; `seed`, `start`, `days` and `orders` are required.
    public static func parse(_ text: String, file: String) -> (PopulationSpec?, [Diagnostic]) {
        let (docs, ds) = YAMLReader.documents(text, file: file)
        guard ds.isEmpty else { return (nil, ds) }
        guard let root = docs.first, case .mapping(let pairs, let span) = root else {
            return (nil, [.error("E0104", "a scenario file must be a mapping", at: Span(file: file, line: 1, column: 1),
                                 help: "start with `population: <name>`")])
        }
        var p = SpecReader(file: file)
        for (k, _) in pairs where !keys.contains(k.text) && !reservedKeys.contains(k.text) {
            p.fail("E0101", "unknown key `\(k.text)` in a scenario file", k.span, help: Suggest.didYouMean(k.text, in: keys))
        }
        var spec = PopulationSpec.demo
        spec.name = root["population"]?.scalar?.text ?? file
        if let v = p.required(root, "seed", in: span) {
            if let n = UInt64(v.text) { spec.seed = n } else { p.fail("E0105", "`seed` must be a whole number ≥ 0", v.span) }
        }
        if let v = p.required(root, "start", in: span) {
            if let t = Instant(parsing: v.text) { spec.start = t } else { p.fail("E0105", "`start` is not a date or datetime", v.span, help: "write it like 2026-07-01") }
        }
        if let n = p.count(root, "days", in: span, minimum: 1) { spec.days = n }
        if let n = p.count(root, "orders", in: span, minimum: 1) { spec.orders = n }
        if let v = root["currency"] {
            if let s = v.scalar, let c = Currency(s.text) { spec.currency = c } else { p.fail("E0105", "`currency` must be a three-letter code like EUR", v.span) }
        }
        spec.workflow = root["workflow"]?.scalar?.text
        if let n = root["segments"] { spec.segments = p.mix(n, "segments") ?? spec.segments }
        if let n = root["channels"] { spec.channels = p.mix(n, "channels") ?? spec.channels }
        if let n = root["order_total"] { spec.orderTotal = p.curve(n, currency: spec.currency) ?? spec.orderTotal }
        if spec.orderTotal.median.currency != spec.currency, root["order_total"] == nil {
            let c = spec.currency, t = spec.orderTotal
            spec.orderTotal = AmountCurve(minimum: Money(t.minimum.amount, c), median: Money(t.median.amount, c), maximum: Money(t.maximum.amount, c))
        }
        if let n = root["stock"] { spec.stock = p.stock(n) ?? spec.stock }
        if let n = root["payment"] { spec.payment = p.payment(n) ?? spec.payment }
        if let n = root["disputes"] { spec.disputes = p.disputes(n) ?? spec.disputes }
        return (p.problems.hasErrors ? nil : spec, p.problems)
    }

    /// The workflow every order starts must exist in each library the scenario runs on
    /// (`role`: "baseline", "candidate", or "library" for a single one).
    ///
    /// Why a check of its own: the file parses without the library, and a misspelt `workflow:`
    /// otherwise shows up only as every order refused, in a report whose figures are all zero.
    public static func checkWorkflow(_ spec: PopulationSpec, text: String, file: String,
                                     in libraries: [(role: String, library: Library)]) -> [Diagnostic] {
        let missing = libraries.filter { Population.entryWorkflow(spec, $0.library) == nil }
        guard let first = missing.first else { return [] }
        let names = first.library.workflows.map(\.name)
        let which = libraries.count > 1 && missing.count == 1 ? " (the \(first.role) has none)" : ""
        if let name = spec.workflow {
            let span = YAMLReader.documents(text, file: file).0.first?["workflow"]?.span ?? Span(file: file, line: 1, column: 1)
            return [.error("E0209", "unknown workflow `\(name)` in `workflow:`\(which)", at: span,
                           help: Suggest.didYouMean(name, in: names) ?? "the \(first.role) has: \(names.joined(separator: ", "))")]
        }
        let fix = text.isEmpty ? "give a scenario file (--scenario) with `workflow: <name>`" : "add `workflow: <name>`"
        return [.error("E0209", "no workflow to start orders with\(which): no `order` workflow and none takes an `order` input",
                       at: Span(file: file, line: 1, column: 1), help: "\(fix); the \(first.role) has: \(names.joined(separator: ", "))")]
    }
}

/// The checks behind `PopulationSpec.parse`, collecting diagnostics instead of stopping.
struct SpecReader {
    let file: String
    var problems: [Diagnostic] = []

    mutating func fail(_ code: String, _ message: String, _ span: Span, help: String? = nil) {
        problems.append(.error(code, message, at: span, help: help))
    }

    mutating func required(_ node: YAMLNode, _ key: String, in span: Span) -> YAMLScalar? {
        guard let v = node[key] else {
            fail("E0102", "a scenario file needs `\(key)`", span, help: "add `\(key): …`")
            return nil
        }
        guard let s = v.scalar else {
            fail("E0104", "`\(key)` must be a single value, found \(v.kindName)", v.span)
            return nil
        }
        return s
    }

    mutating func count(_ node: YAMLNode, _ key: String, in span: Span, minimum: Int) -> Int? {
        guard let v = required(node, key, in: span) else { return nil }
        guard let n = Int(v.text), n >= minimum else {
            fail("E0105", "`\(key)` must be a whole number ≥ \(minimum), found `\(v.text)`", v.span)
            return nil
        }
        return n
    }

    mutating func share(_ node: YAMLNode, _ what: String) -> ExactDecimal? {
        guard let s = node.scalar, let d = ExactDecimal(s.text), d >= .zero, d <= .one else {
            fail("E0105", "`\(what)` must be a share between 0 and 1", node.span, help: "write 0.25 for a quarter")
            return nil
        }
        return d
    }

    mutating func mapping(_ node: YAMLNode, _ what: String, keys: [String]) -> [(key: YAMLScalar, value: YAMLNode)]? {
        guard case .mapping(let pairs, _) = node else {
            fail("E0104", "`\(what)` must be a mapping, found \(node.kindName)", node.span)
            return nil
        }
        for (k, _) in pairs where !keys.isEmpty && !keys.contains(k.text) {
            fail("E0101", "unknown key `\(k.text)` in `\(what)`", k.span, help: Suggest.didYouMean(k.text, in: keys) ?? "keys: \(keys.joined(separator: ", "))")
        }
        return pairs
    }

    /// Shares that must add up to exactly 1.
    mutating func mix(_ node: YAMLNode, _ what: String, keys: [String] = []) -> Mix? {
        guard let pairs = mapping(node, what, keys: keys) else { return nil }
        var shares: [Mix.Share] = []
        for (k, v) in pairs where keys.isEmpty || keys.contains(k.text) {
            if let d = share(v, "\(what).\(k.text)") { shares.append(.init(k.text, d)) }
        }
        let mix = Mix(shares)
        guard shares.count == pairs.count else { return nil }
        guard mix.total == .one else {
            fail("E0105", "the shares of `\(what)` add up to \(mix.total), not 1", node.span)
            return nil
        }
        return mix
    }

    mutating func money(_ node: YAMLNode?, _ what: String, currency: Currency, in span: Span) -> Money? {
        guard let node else { fail("E0102", "`\(what)` is missing", span); return nil }
        guard let s = node.scalar, let m = Money(parsing: s.text) ?? ExactDecimal(s.text).map({ Money($0, currency) }) else {
            fail("E0105", "`\(what)` must be money like `2400.00 \(currency)`", node.span)
            return nil
        }
        guard m.currency == currency else {
            fail("E0105", "`\(what)` is in \(m.currency) but the scenario's currency is \(currency)", node.span)
            return nil
        }
        return m
    }

    mutating func curve(_ node: YAMLNode, currency: Currency) -> AmountCurve? {
        guard mapping(node, "order_total", keys: ["min", "median", "max"]) != nil else { return nil }
        guard let lo = money(node["min"], "order_total.min", currency: currency, in: node.span),
              let mid = money(node["median"], "order_total.median", currency: currency, in: node.span),
              let hi = money(node["max"], "order_total.max", currency: currency, in: node.span) else { return nil }
        guard lo.amount > .zero, lo.amount <= mid.amount, mid.amount <= hi.amount else {
            fail("E0105", "`order_total` needs 0 < min ≤ median ≤ max", node.span)
            return nil
        }
        return AmountCurve(minimum: lo, median: mid, maximum: hi)
    }

    mutating func stock(_ node: YAMLNode) -> PopulationSpec.Stock? {
        guard mapping(node, "stock", keys: ["available", "short_customer_waits"]) != nil else { return nil }
        let base = PopulationSpec.demo.stock
        let a = node["available"].map { share($0, "stock.available") } ?? base.available
        let w = node["short_customer_waits"].map { share($0, "stock.short_customer_waits") } ?? base.shortCustomerWaits
        guard let a, let w else { return nil }
        return .init(available: a, shortCustomerWaits: w)
    }

    mutating func payment(_ node: YAMLNode) -> PopulationSpec.Payment? {
        let kinds = ["on_time", "late", "partial", "never", "after_reminder"]
        guard let pairs = mapping(node, "payment", keys: kinds + ["late_days"]) else { return nil }
        var days = PopulationSpec.demo.payment.lateDays
        if let d = node["late_days"] {
            guard mapping(d, "payment.late_days", keys: ["min", "max"]) != nil,
                  let lo = d["min"]?.scalar.flatMap({ Int($0.text) }), let hi = d["max"]?.scalar.flatMap({ Int($0.text) }), 1 <= lo, lo <= hi else {
                fail("E0105", "`payment.late_days` must be `{min: 1, max: 45}` with 1 ≤ min ≤ max", d.span)
                return nil
            }
            days = lo...hi
        }
        let shares = YAMLNode.mapping(pairs.filter { kinds.contains($0.key.text) }, node.span)
        guard let mix = self.mix(shares, "payment") else { return nil }
        return .init(mix: mix, lateDays: days)
    }

    mutating func disputes(_ node: YAMLNode) -> PopulationSpec.Disputes? {
        if node.scalar != nil {
            guard let rate = share(node, "disputes") else { return nil }
            return .init(rate: rate, upheld: PopulationSpec.demo.disputes.upheld)
        }
        guard mapping(node, "disputes", keys: ["rate", "upheld"]) != nil else { return nil }
        let rate = node["rate"].map { share($0, "disputes.rate") } ?? PopulationSpec.demo.disputes.rate
        let upheld = node["upheld"].map { share($0, "disputes.upheld") } ?? PopulationSpec.demo.disputes.upheld
        guard let rate, let upheld else { return nil }
        return .init(rate: rate, upheld: upheld)
    }
}
