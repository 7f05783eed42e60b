// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// A decoded GFP mask as the `gfp` object of `docs/json-output.md`: its names for the era and
/// what they let the allocation do.
enum GFPMeaning {
    /// The `gfp` object for `mask`; `printed` are the names the kernel printed, if any.
    static func details(_ mask: GFPMask, printed: [String]) -> Details {
        let flags = mask.flags
        var details = Details()
        details["mask"] = .string("0x" + String(mask.value, radix: 16))
        details["era"] = .string(mask.layoutName)
        if let layout = GFPLayout.named(mask.layoutName) { details["era_releases"] = .string(layout.releases) }
        details["names"] = .list(mask.names.map { .string($0) })
        if !printed.isEmpty {
            details["printed_names"] = .list(printed.map { .string($0) })
            details["printed_names_agree"] = .bool(Set(printed) == Set(mask.names))
        }
        details["flags"] = .list(flags.sorted().map { .string($0) })
        details["can_sleep"] = .bool(mask.canSleep)
        details["can_reclaim"] = .bool(mask.canSleep)
        details["wakes_kswapd"] = .bool(mask.wakesKswapd)
        details["can_do_io"] = .bool(mask.canDoIO)
        details["can_do_fs"] = .bool(mask.canDoFS)
        details["atomic"] = .bool(mask.isAtomic)
        details["high_priority"] = .bool(flags.contains("__GFP_HIGH"))
        details["nowarn"] = .bool(flags.contains("__GFP_NOWARN"))
        details["noretry"] = .bool(flags.contains("__GFP_NORETRY"))
        details["retry_mayfail"] = .bool(flags.contains("__GFP_RETRY_MAYFAIL") || flags.contains("__GFP_REPEAT"))
        details["nofail"] = .bool(flags.contains("__GFP_NOFAIL"))
        details["compound"] = .bool(flags.contains("__GFP_COMP"))
        details["movable"] = .bool(flags.contains("__GFP_MOVABLE"))
        details["this_node"] = .bool(flags.contains("__GFP_THISNODE"))
        details["zone"] = .string(mask.zone)
        if mask.unknownBits != 0 { details["unknown_bits"] = .string("0x" + String(mask.unknownBits, radix: 16)) }
        details["meaning"] = .string(summary(mask))
        return details
    }

    /// One sentence: what the mask lets the allocation do.
    static func summary(_ mask: GFPMask) -> String {
        var parts: [String] = []
        if mask.canSleep {
            parts.append("may sleep and reclaim directly")
            parts.append(mask.canDoIO ? "may start I/O" : "no I/O")
            parts.append(mask.canDoFS ? "may call into filesystems" : "no filesystem calls")
        } else if mask.isAtomic {
            parts.append("atomic: cannot sleep or reclaim, may dip into the reserves below min")
        } else {
            parts.append("cannot sleep or reclaim directly" + (mask.wakesKswapd ? " (wakes kswapd)" : ""))
        }
        for (flag, text) in [
            ("__GFP_HIGH", "high priority"), ("__GFP_NOWARN", "no warning wanted"),
            ("__GFP_NORETRY", "gives up early"), ("__GFP_NOFAIL", "must not fail"),
            ("__GFP_THISNODE", "this node only"),
        ] where mask.flags.contains(flag) && !(flag == "__GFP_HIGH" && mask.isAtomic) {
            parts.append(text)
        }
        parts.append("zones up to \(mask.zone)")
        return parts.joined(separator: "; ")
    }
}
