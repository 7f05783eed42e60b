// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Checks show_free_areas' buddy lines against themselves.
///
/// The kernel reads every order's `nr_free` under the zone lock, adds `nr << order` into the
/// total and prints the counts, then `= <total>kB`; every zone prints the same number of orders
/// (MAX_ORDER, NR_PAGE_ORDERS since 6.8). So the orders always sum to the printed total, and a
/// line that does not — or has no total, or fewer orders than the others — lost part of its text
/// (cut by the console, or wrapped and not rejoined).
///
/// `Node 0 DMA32: 56*4kB 577*8kB 754*16kB … 0*4096kB = 251976kB`
public enum BuddyLineCheck {
    /// What is wrong with `buddies`, one sentence per damaged line (empty when none is).
    public static func problems(_ buddies: [BuddyFreeList]) -> [String] {
        let orders = buddies.map(\.counts.count).max() ?? 0
        var problems: [String] = []
        for buddy in buddies {
            let name = "buddy line of Node \(buddy.node) \(buddy.zone)"
            guard let total = buddy.totalKB else {
                problems.append("\(name) is cut: no = total, \(buddy.counts.count) of \(orders) orders read")
                continue
            }
            if buddy.counts.count < orders {
                problems.append("\(name) is cut: \(buddy.counts.count) of \(orders) orders read")
            }
            if buddy.summedKB != total {
                problems.append("\(name): its orders sum to \(buddy.summedKB)kB, not the printed = \(total)kB")
            }
        }
        return problems
    }
}
