// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A memory snapshot file: what `/proc` (or a tool reading it) printed at one moment.
///
/// The raw value is the `format` string of the JSON output (`docs/json-output.md`, "Memory
/// snapshot details").
public enum SnapshotFormat: String, Sendable, CaseIterable {
    /// `/proc/meminfo`: `MemTotal:       16318236 kB`.
    case meminfo
    /// `free` (procps), with or without `-k`/`-m`/`-g`/`-h`.
    case free
    /// `/proc/buddyinfo`: `Node 0, zone   Normal   4381   1093    185 …`.
    case buddyinfo
    /// `/proc/pagetypeinfo`: free blocks per migrate type and order, pageblocks per type.
    case pagetypeinfo
    /// `/proc/zoneinfo`: watermarks, `protection:` (lowmem_reserve) and counters per zone.
    case zoneinfo
    /// `/proc/slabinfo`, versions 1.1 and 2.x.
    case slabinfo
    /// `slabtop -o` output.
    case slabtop
    /// `/proc/vmallocinfo`: one vmalloc, vmap or ioremap area per line.
    case vmallocinfo
    /// `/proc/vmstat`: the global counters, one `name value` per line.
    case vmstat
    /// `/proc/PID/status`.
    case status
    /// `/proc/PID/statm`: seven page counts on one line.
    case statm
    /// `/proc/PID/maps`.
    case maps
    /// `/proc/PID/smaps`: maps with a block of kB counters per mapping.
    case smaps
    /// `/proc/PID/smaps_rollup`: one `[rollup]` block.
    case smapsRollup = "smaps_rollup"
}
