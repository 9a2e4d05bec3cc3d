import O2CCore
import O2CExpr
import Synchronization

/// An action call's arguments dictionary with its keys already in place: the literals with their
/// values, every evaluated argument's name (or, for `data.amount`, its outer name) bound to null,
/// and where each evaluated argument's value goes.
///
/// Why: every effect built its arguments by hashing each name into a fresh dictionary (an effect
/// has about six), the largest single source of string hashing in a simulation. A copy of this
/// dictionary has the same layout (copy-on-write keeps the buckets), so each value is written
/// through an index found once: the same keys and values as inserting them one by one.
public final class ArgumentTemplate: @unchecked Sendable {
    public enum Slot {
        /// The argument's value replaces the key's.
        case plain(Dictionary<String, Value>.Index)
        /// `outer.inner`: the value is set as field `inner` of the object at the key (a non-object
        /// there is replaced by a new object, as when inserting).
        case dotted(Dictionary<String, Value>.Index, inner: String)
    }

    /// Immutable once built, hence `@unchecked Sendable` (`Dictionary.Index` is not declared so).
    public let dictionary: [String: Value]
    /// One per evaluated argument, in document order.
    public let slots: [Slot]

    /// Writes the `k`-th evaluated argument's value into `args`, a copy of `dictionary`.
    @inlinable @inline(__always)
    public func set(_ k: Int, _ value: Value, in args: inout [String: Value]) {
        switch slots[k] {
        case .plain(let i):
            args.values[i] = value
        case .dotted(let i, let inner):
            var object: [String: Value] = [:]
            if case .object(let o) = args.values[i] { object = o }
            object[inner] = value
            args.values[i] = .object(object)
        }
    }

    /// `nested`: whether `a.b` names field `b` of object `a` (an action's arguments) or is a
    /// name of its own (a table's or a ladder's inputs).
    init(literals: [String: String], arguments: [(name: String, value: Expression)], nested: Bool = true, room: Int = 0) {
        var d: [String: Value] = [:]
        d.reserveCapacity(literals.count + arguments.count + room)
        for (k, v) in literals { d[k] = .string(v) }
        var parts: [(outer: String, inner: String?)] = []
        parts.reserveCapacity(arguments.count)
        for a in arguments {
            let bytes = Array(a.name.utf8)
            if nested, let dot = bytes.firstIndex(of: UInt8(ascii: ".")) {
                let outer = String(decoding: bytes[..<dot], as: UTF8.self)
                parts.append((outer, String(decoding: bytes[(dot + 1)...], as: UTF8.self)))
                // A literal of the same name is replaced by the object, as when inserting.
                if case .object? = d[outer] {} else { d[outer] = .null }
            } else {
                parts.append((a.name, nil))
                if d[a.name] == nil { d[a.name] = .null }
            }
        }
        dictionary = d
        slots = parts.map { p in
            let i = d.index(forKey: p.outer)!
            return p.inner.map { .dotted(i, inner: $0) } ?? .plain(i)
        }
    }
}

/// The template of one action call, built on first use and shared by every copy of the call.
/// Lock-free like `LazyFields`: two threads racing build the same template, one is kept.
final class LazyArgumentTemplate: Sendable {
    /// `Unmanaged<ArgumentTemplate>` bits, retained by this box; 0 until built.
    private let bits = Atomic<UInt>(0)

    deinit {
        let b = bits.load(ordering: .acquiring)
        if b != 0 { Unmanaged<ArgumentTemplate>.fromOpaque(UnsafeRawPointer(bitPattern: b)!).release() }
    }

    func template(_ build: () -> ArgumentTemplate) -> ArgumentTemplate {
        let b = bits.load(ordering: .acquiring)
        if b != 0 { return Unmanaged<ArgumentTemplate>.fromOpaque(UnsafeRawPointer(bitPattern: b)!).takeUnretainedValue() }
        let built = Unmanaged.passRetained(build())
        let (stored, current) = bits.compareExchange(expected: 0, desired: UInt(bitPattern: built.toOpaque()), ordering: .acquiringAndReleasing)
        if stored { return built.takeUnretainedValue() }
        built.release()
        return Unmanaged<ArgumentTemplate>.fromOpaque(UnsafeRawPointer(bitPattern: current)!).takeUnretainedValue()
    }
}
