// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Groups the OOM kills of one input into storms: the same memory cgroup (or the whole
/// machine) running out of memory again and again within a short time.
///
/// The pipeline makes one tracker per input and shows it every analysed incident in log order;
/// the tracker adds `storm {key, index, count_so_far, first_seen_seconds, span_seconds,
/// gap_seconds}` to each `oom-kill` incident's details, so each kill is still listed with its
/// place in the storm. Memory is bounded: at most ``maximumKeys`` keys are kept, the one seen
/// longest ago is forgotten first. An OOM without a monotonic time continues the storm of its
/// key (the gap cannot be measured).
public struct OOMStormTracker: Sendable {
    /// What is remembered about one key.
    struct Storm: Sendable {
        var count = 0
        var index = 0
        var firstMicroseconds: Int64?
        var lastMicroseconds: Int64?
        var lastSequence = 0
    }

    /// The longest quiet time between two OOMs of one key that keeps them in one storm.
    public var windowMicroseconds: Int64
    /// How many keys are remembered at once.
    public var maximumKeys: Int
    private var storms: [String: Storm] = [:]
    private var sequence = 0

    public init(windowSeconds: Int64 = 600, maximumKeys: Int = 256) {
        windowMicroseconds = windowSeconds * 1_000_000
        self.maximumKeys = maximumKeys
    }

    /// The storm key of an analysed OOM: `memcg:<path>` for a memcg OOM, else its scope.
    public static func key(of incident: Incident) -> String? {
        guard incident.kind == .oom, case .string(let scope)? = incident.details["scope"] else { return nil }
        if scope == "memcg" {
            if case .object(let memcg)? = incident.details["memcg"], case .string(let path)? = memcg["oom_path"] {
                return "memcg:" + path
            }
            return "memcg"
        }
        return scope
    }

    /// Adds the storm fields to `incident` when it is an analysed OOM.
    public mutating func record(_ incident: inout Incident) {
        guard let key = Self.key(of: incident) else { return }
        sequence += 1
        let now = incident.monotonicMicroseconds
        var storm = storms[key] ?? Storm()
        var gap: Int64?
        if let now, let last = storm.lastMicroseconds { gap = now - last }
        if storm.count == 0 || (gap ?? 0) > windowMicroseconds || (gap ?? 0) < 0 {
            storm.index = 0
            storm.firstMicroseconds = now
        }
        storm.count += 1
        storm.index += 1
        if storm.firstMicroseconds == nil { storm.firstMicroseconds = now }
        if now != nil { storm.lastMicroseconds = now }
        storm.lastSequence = sequence
        if storms[key] == nil, storms.count >= maximumKeys,
            let oldest = storms.min(by: { $0.value.lastSequence < $1.value.lastSequence })
        {
            storms[oldest.key] = nil
        }
        storms[key] = storm
        var details = Details()
        details["key"] = .string(key)
        details["index"] = .integer(Int64(storm.index))
        details["count_so_far"] = .integer(Int64(storm.count))
        if let first = storm.firstMicroseconds {
            details["first_seen_seconds"] = .number(Double(first) / 1_000_000)
            if let now { details["span_seconds"] = .number(Double(now - first) / 1_000_000) }
        }
        if let gap, storm.index > 1 { details["gap_seconds"] = .number(Double(gap) / 1_000_000) }
        incident.details["storm"] = .object(details)
    }
}
