import O2CCore

/// A tiny seeded generator (SplitMix64, Steele, Lea & Flood 2014) plus the stream hashing the
/// population uses.
///
/// Why our own: Swift's `SystemRandomNumberGenerator` cannot be seeded, and the standard
/// library's `random(in:)` algorithms may change between Swift versions. Every draw here is
/// plain integer arithmetic, so a seed gives the same book of business on every machine and
/// every compiler. Each order (and each customer) gets its own stream, `SplitMix64(seed, "order",
/// id)`, so adding an order or changing a policy never shifts the draws of another.
public struct SplitMix64: Sendable, Hashable {
    public private(set) var state: UInt64

    public init(state: UInt64) { self.state = state }

    /// The stream named by `parts` under `seed`: independent of every other name.
    public init(seed: UInt64, _ parts: String...) {
        state = Self.hash(seed, parts)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `range` (modulo draw: the bias is below 10⁻⁹ for the ranges we use).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    /// A uniform exact decimal in [0, 1), on the 10⁻¹² grid `ExactDecimal` holds.
    public mutating func unit() -> ExactDecimal {
        ExactDecimal(raw: Int128(next() % UInt64(ExactDecimal.unit)))
    }

    /// True with probability `p` (0…1).
    public mutating func chance(_ p: ExactDecimal) -> Bool { unit() < p }

    /// FNV-1a over the parts (separated, so `("ab","c")` ≠ `("a","bc")`), then one SplitMix round
    /// to spread the bits. Stable across runs and platforms, unlike `Hasher`.
    public static func hash(_ seed: UInt64, _ parts: [String]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for part in parts {
            for byte in part.utf8 {
                h ^= UInt64(byte)
                h &*= 0x0000_0100_0000_01B3
            }
            h ^= 0xFF
            h &*= 0x0000_0100_0000_01B3
        }
        var g = SplitMix64(state: h)
        return g.next()
    }
}
