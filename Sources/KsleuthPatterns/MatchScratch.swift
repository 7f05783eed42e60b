// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import CPCRE2

/// The per-task memory PCRE2 needs to record a match.
///
/// Match data must never be shared between concurrent matches, so each task (each file being
/// read) owns one scratch and passes it to every ``Pattern/firstMatch(in:from:using:)``. It
/// grows to the largest capture count it has seen and is reused.
public final class MatchScratch {
    @exclusivity(unchecked) private var data: OpaquePointer?
    @exclusivity(unchecked) private var pairs: UInt32 = 0

    public init() {}

    deinit {
        if let data { pcre2_match_data_free_8(data) }
    }

    func matchData(for pattern: Pattern) -> OpaquePointer {
        let needed = UInt32(pattern.captureCount + 1)
        if let data, pairs >= needed { return data }
        if let data { pcre2_match_data_free_8(data) }
        let created = pcre2_match_data_create_8(max(needed, 16), nil)!
        data = created
        pairs = max(needed, 16)
        return created
    }
}
