import Crypto
import O2CCore

/// The tamper-evidence rule for history rows.
///
/// Why a hash chain: an auditor must be able to tell that nobody edited, deleted or reordered
/// an instance's history after the fact, even with raw access to the file. Each row's hash
/// covers its own content and its predecessor's hash, so changing any row breaks every link
/// after it. The rule is fixed (changing it would break every stored chain):
///
///     hash = hex(SHA-256(prevHash "\n" instanceId "\n" seq "\n" at "\n" kind "\n" actor "\n" data))
///
/// with `seq` and `at` (epoch seconds) in decimal and `prevHash` of seq 1 = 64 zeros.
public enum HistoryChain {
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(prevHash: String, instanceId: String, seq: Int, at: Instant,
                            kind: String, actor: String, data: String) -> String {
        // The text is assembled as bytes: building it as a `String` cost more than hashing it.
        var text = [UInt8]()
        text.reserveCapacity(prevHash.utf8.count + instanceId.utf8.count + kind.utf8.count
                             + actor.utf8.count + data.utf8.count + 48)
        text.append(contentsOf: prevHash.utf8)
        text.append(10); text.append(contentsOf: instanceId.utf8)
        text.append(10); appendDecimal(Int64(seq), to: &text)
        text.append(10); appendDecimal(at.secondsSinceEpoch, to: &text)
        text.append(10); text.append(contentsOf: kind.utf8)
        text.append(10); text.append(contentsOf: actor.utf8)
        text.append(10); text.append(contentsOf: data.utf8)
        let digest = text.withUnsafeBytes { SHA256.hash(data: $0) }
        return hex(digest)
    }

    /// `String(v)`'s digits.
    private static func appendDecimal(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var div: UInt64 = 1
        while m / div >= 10 { div *= 10 }
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(m / div))
            m %= div
            div /= 10
        } while div > 0
    }

    public static func hash(of r: HistoryRecord) -> String {
        hash(prevHash: r.prevHash, instanceId: r.instanceId, seq: r.seq, at: r.at, kind: r.kind, actor: r.actor, data: r.data)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { out in
                for (i, b) in bytes.enumerated() {
                    out[2 * i] = digits[Int(b >> 4)]
                    out[2 * i + 1] = digits[Int(b & 0x0f)]
                }
                return bytes.count * 2
            }
        }
    }
}

/// Walks one instance's rows in seq order and remembers the first broken link.
///
/// Why streaming: verification reads every row of every instance; holding one instance's
/// state instead of its rows keeps memory flat on large databases.
struct ChainVerifier {
    let instanceId: String
    private var expectedSeq = 1
    private var prevHash = HistoryChain.genesis
    private(set) var firstBreak: ChainBreak?

    init(instanceId: String) { self.instanceId = instanceId }

    mutating func check(_ r: HistoryRecord) {
        guard firstBreak == nil else { return }
        let reason: ChainBreak.Reason?
        if r.seq != expectedSeq {
            reason = .seqGap(expected: expectedSeq, found: r.seq)
        } else if r.prevHash != prevHash {
            reason = .prevHashMismatch(expected: prevHash, found: r.prevHash)
        } else {
            let computed = HistoryChain.hash(of: r)
            reason = computed == r.hash ? nil : .hashMismatch(stored: r.hash, computed: computed)
        }
        if let reason {
            firstBreak = ChainBreak(instanceId: instanceId, seq: r.seq, reason: reason)
        }
        expectedSeq += 1
        prevHash = r.hash
    }
}
