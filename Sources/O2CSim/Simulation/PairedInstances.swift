import O2CCore
import O2CEngine

/// The instances of a paired run: one snapshot per instance while both policies agree, one per
/// policy after (none on a side where it never started, or finished and was forgotten).
///
/// Slots live in an array reached through an id index so that checks and updates happen in
/// place: reading a snapshot out of a dictionary copies (retains and releases) each of its
/// fields, several times per step.
struct PairedInstances {
    private struct Slot {
        /// Both policies' snapshot while shared; the baseline's after.
        var baseline: Snapshot?
        var candidate: Snapshot?
        var shared: Bool
    }

    /// A step asks about one instance several times in a row (whether it holds or is due on
    /// each side, its shared snapshot, its timers before, then its update): `SlotIndex`
    /// remembers the last one found.
    private var ids = SlotIndex()
    private var slots: [Slot] = []

    private mutating func slot(_ id: String) -> Int? { ids.slot(id) }

    mutating func holds(_ id: String, _ side: PolicySide) -> Bool {
        guard let i = slot(id) else { return false }
        // Tags tested in place: comparing with nil copied both optional snapshots.
        if side == .baseline || slots[i].shared {
            if case .some = slots[i].baseline { return true }
            return false
        }
        if case .some = slots[i].candidate { return true }
        return false
    }

    func snapshot(_ id: String, _ side: PolicySide) -> Snapshot? {
        guard let i = ids.peek(id) else { return nil }
        return side == .baseline || slots[i].shared ? slots[i].baseline : slots[i].candidate
    }

    /// The one snapshot of an instance both policies share.
    mutating func shared(_ id: String) -> Snapshot? {
        guard let i = slot(id), slots[i].shared else { return nil }
        return slots[i].baseline
    }

    /// Whether timer `key` is still pending and due on `side` (a timer the instance has since
    /// dropped, by leaving its state, is skipped).
    mutating func timerDue(_ id: String, _ side: PolicySide, key: String, at now: Instant) -> Bool {
        guard let i = slot(id) else { return false }
        func due(_ s: Snapshot?) -> Bool {
            guard let s, s.status == .active else { return false }
            return s.timers.contains { $0.key == key && $0.due <= now }
        }
        return side == .baseline || slots[i].shared ? due(slots[i].baseline) : due(slots[i].candidate)
    }

    /// What scheduling a step's new timers compares against: the state and timers before it.
    mutating func before(_ id: String, _ side: PolicySide) -> (state: String, timers: [ScheduledTimer])? {
        guard let i = slot(id) else { return nil }
        let s = side == .baseline || slots[i].shared ? slots[i].baseline : slots[i].candidate
        return s.map { ($0.state, $0.timers) }
    }

    /// After a step both policies took alike: kept while active, forgotten once finished.
    mutating func setShared(_ s: Snapshot) {
        guard s.status == .active else { return remove(s.instanceId) }
        if let i = slot(s.instanceId) {
            slots[i].baseline = s
            slots[i].candidate = nil
            slots[i].shared = true
        } else {
            insert(s.instanceId, Slot(baseline: s, candidate: nil, shared: true))
        }
    }

    /// After a step one policy took on its own: the instance is split from here on.
    mutating func set(_ s: Snapshot, on side: PolicySide) {
        let kept: Snapshot? = s.status == .active ? s : nil
        guard let i = slot(s.instanceId) else {
            if kept != nil { insert(s.instanceId, side == .baseline ? Slot(baseline: kept, candidate: nil, shared: false) : Slot(baseline: nil, candidate: kept, shared: false)) }
            return
        }
        if slots[i].shared {
            slots[i].candidate = slots[i].baseline
            slots[i].shared = false
        }
        if side == .baseline { slots[i].baseline = kept } else { slots[i].candidate = kept }
        if case .none = slots[i].baseline, case .none = slots[i].candidate { remove(s.instanceId) }
    }

    private mutating func insert(_ id: String, _ slot: Slot) {
        let i = ids.add(id, end: slots.count)
        if i == slots.count { slots.append(slot) } else { slots[i] = slot }
    }

    private mutating func remove(_ id: String) {
        guard let i = ids.remove(id) else { return }
        slots[i] = Slot(baseline: nil, candidate: nil, shared: false)
    }
}
