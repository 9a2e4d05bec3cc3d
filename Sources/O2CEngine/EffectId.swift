/// Effect ids, `<instance>:<sequence>:<index>`, written into one buffer of the final size.
///
/// Every effect gets one. Interpolation went through `description` twice; appending piece by
/// piece grew the string (a reallocation per piece once past fifteen bytes) and formatted each
/// number into a string of its own; reserving first cost more still. Here the instance id's
/// bytes are copied once and the digits written in place: the same text, one allocation.
enum EffectId {
    static func make(_ instance: String, _ sequence: Int, _ index: Int) -> String {
        guard sequence >= 0, index >= 0 else { return "\(instance):\(sequence):\(index)" }
        var instance = instance
        return instance.withUTF8 { id in
            String(unsafeUninitializedCapacity: id.count + 2 + digits(sequence) + digits(index)) { out in
                var n = 0
                if let base = id.baseAddress, id.count > 0 {
                    out.baseAddress!.initialize(from: base, count: id.count)
                    n = id.count
                }
                out[n] = UInt8(ascii: ":")
                n = write(sequence, into: out, at: n + 1)
                out[n] = UInt8(ascii: ":")
                return write(index, into: out, at: n + 1)
            }
        }
    }

    /// Decimal digits of `value` (≥ 0).
    static func digits(_ value: Int) -> Int {
        var v = value, n = 1
        while v >= 10 {
            v /= 10
            n += 1
        }
        return n
    }

    /// Writes `value` (≥ 0) in decimal at `at`; returns the offset after its last digit.
    private static func write(_ value: Int, into out: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        let end = at + digits(value)
        var v = value, i = end
        repeat {
            i -= 1
            out[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        } while v > 0
        return end
    }
}
