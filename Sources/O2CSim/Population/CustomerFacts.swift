import O2CCore

/// A customer of the book of business, as the credit check sees it when an order arrives.
///
/// Customers are drawn per segment from a pool of about a third as many customers as orders
/// (so most customers order several times); everything about one customer comes from its own
/// stream `(seed, "customer", id)`, so the same customer looks the same on every order.
/// `openAR`, `oldestOverdueDays` and `dunningLevel` are the customer's standing from before the
/// simulation: an input, not something the simulation tracks.
public struct CustomerFacts: Sendable, Hashable {
    public var id: String
    public var name: String
    public var email: String
    public var segment: String
    /// `email` or `post`: how invoices and notices reach them.
    public var channel: String
    public var openAR: Money
    public var openOrders: Money
    public var oldestOverdueDays: Int
    public var dunningLevel: Int
    /// A payment-terms code (`NET30`, `2_10_NET30`…) as rules/payment-terms.yaml names them.
    public var paymentTerms: String
    public var address: String

    static func pick(_ spec: PopulationSpec, segment: String, rng: inout SplitMix64) -> CustomerFacts {
        let index = spec.segments.names.firstIndex(of: segment) ?? 0
        let expected = (try? spec.segments.share(of: segment) * ExactDecimal(spec.orders)) ?? .zero
        let pool = max(1, (expected.rounded(places: 0, mode: .down).intValue ?? 1) / 3)
        let number = rng.int(in: 1...pool)
        let id = "C-\(index + 1)\(String(repeating: "0", count: max(0, 4 - String(number).count)))\(number)"
        return make(spec, id: id, segment: segment)
    }

    static func make(_ spec: PopulationSpec, id: String, segment: String) -> CustomerFacts {
        var r = SplitMix64(seed: spec.seed, "customer", id)
        let first = ["Acme", "Borealis", "Cobalt", "Delta", "Elmwood", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kestrel", "Lumen",
                     "Meridian", "Nordic", "Orchid", "Pioneer", "Quarry", "Riverside", "Summit", "Tidewater", "Vertex", "Willow", "Zenith"]
        let second = ["Tools", "Foods", "Logistics", "Retail", "Labs", "Textiles", "Machines", "Pharma", "Builders", "Electric"]
        let form = ["GmbH", "Ltd", "SA", "BV", "AB", "Oy", "SpA", "Inc"]
        let a = first[r.int(in: 0...(first.count - 1))], b = second[r.int(in: 0...(second.count - 1))], c = form[r.int(in: 0...(form.count - 1))]
        let slug = (a + "-" + b).lowercased()
        let channel = spec.channels.pick(r.unit())
        func money(_ range: ClosedRange<Int>) -> Money { Money(ExactDecimal(r.int(in: range) * 10), spec.currency) }
        let standing: (ar: Money, orders: Money, overdue: Int, level: Int)
        switch segment {
        case "new": standing = (money(0...0), money(0...0), 0, 0)
        case "preferred": standing = (money(0...4_000), money(0...1_500), r.chance(ExactDecimal(9).shifted(-1)) ? 0 : r.int(in: 1...30), 0)
        case "on_watch": standing = (money(200...1_500), money(0...500), r.int(in: 20...60), 2)
        case "blocked": standing = (money(500...2_000), money(0...0), r.int(in: 90...150), 3)
        default: standing = (money(0...800), money(0...300), r.chance(ExactDecimal(85).shifted(-2)) ? 0 : r.int(in: 1...40), 0)
        }
        let terms = ["NET15", "NET30", "NET30", "NET30", "NET30_EOM", "2_10_NET30"][r.int(in: 0...5)]
        let streets = ["Harbour Street", "Market Square", "Mill Lane", "Station Road", "Canal Walk", "Industrial Park"]
        let cities = ["10115 Berlin", "3011 Rotterdam", "69002 Lyon", "20121 Milano", "1050 Bruxelles", "8001 Zürich"]
        let address = "\(r.int(in: 1...120)) \(streets[r.int(in: 0...5)]), \(cities[r.int(in: 0...5)])"
        return CustomerFacts(id: id, name: "\(a) \(b) \(c)", email: "ap-\(id.lowercased())@\(slug).example", segment: segment, channel: channel,
                             openAR: standing.ar, openOrders: standing.orders, oldestOverdueDays: standing.overdue,
                             dunningLevel: standing.level, paymentTerms: terms, address: address)
    }
}
