// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The vmalloc areas of one caller in `/proc/vmallocinfo`.
public struct VmallocCallerUsage: Sendable, Equatable {
    /// The caller as printed (`%pS`: `_do_fork+0x89/0x360`, `ebt_register_table+0xab/0x340 [ebtables]`), or the area's kind when the kernel
    /// printed no caller (`unpurged vm_area`, `vm_map_ram`).
    public var caller: String
    /// Areas.
    public var areas: Int64 = 0
    /// Address space in bytes, as printed (with the guard page the kernel counts in `size`).
    public var bytes: Int64 = 0
    /// Pages of RAM behind the areas (`pages=`); an ioremap maps device memory, not RAM.
    public var pages: Int64 = 0
    /// The kinds of area seen (`vmalloc`, `vmap`, `ioremap`, `user`, `vpages`, `unpurged`, `vm_map_ram`).
    public var kinds: Set<String> = []

    public init(caller: String) {
        self.caller = caller
    }
}

/// Reads `/proc/vmallocinfo` (`vmalloc_info_show` / `s_show`) and sums the areas by caller.
///
/// ```
/// 0xffffb50540010000-0xffffb50540015000   20480 _do_fork+0x89/0x360 pages=4 vmalloc N0=4
/// 0xffffb50540005000-0xffffb50540007000    8192 acpi_os_map_iomem+0x1ac/0x1c0 phys=0x00000000bffe1000 ioremap
/// 0xffffb505404fd000-0xffffb505404ff000    8192 unpurged vm_area
/// ```
///
/// Memory stays bounded by the number of distinct callers, whatever the number of areas.
struct VmallocInfoParser: Sendable {
    private(set) var callers: [String: VmallocCallerUsage] = [:]
    private(set) var areas: Int64 = 0
    /// Lines that were not area lines (cut or garbled).
    private(set) var unreadLines = 0

    /// The flag words `s_show` prints after the caller.
    static let kindWords: Set<Substring> = ["vmalloc", "vmap", "ioremap", "user", "vpages"]

    /// Reads one line.
    mutating func read(_ text: Substring) {
        let tokens = text.split(separator: " ")
        guard tokens.count >= 2, tokens[0].hasPrefix("0x"), tokens[0].contains("-"), let size = Int64(tokens[1])
        else {
            if !text.trimmingSpaces().isEmpty { unreadLines += 1 }
            return
        }
        areas += 1
        var caller = "(no caller)"
        var kinds: Set<String> = []
        var rest = tokens.dropFirst(2)
        if let first = rest.first {
            if first == "unpurged" {
                caller = "unpurged vm_area"
                kinds.insert("unpurged")
                rest = []
            } else if first == "vm_map_ram" {
                caller = "vm_map_ram"
                kinds.insert("vm_map_ram")
                rest = []
            } else if !first.hasPrefix("pages="), !first.hasPrefix("phys="), !Self.kindWords.contains(first) {
                caller = String(first)
                rest = rest.dropFirst()
                if let module = rest.first, module.hasPrefix("["), module.hasSuffix("]") {
                    caller += " " + module
                    rest = rest.dropFirst()
                }
            }
        }
        var pages: Int64 = 0
        for token in rest {
            if token.hasPrefix("pages=") {
                pages = Int64(token.dropFirst(6)) ?? 0
            } else if Self.kindWords.contains(token) {
                kinds.insert(String(token))
            }
        }
        callers[caller, default: VmallocCallerUsage(caller: caller)].areas += 1
        callers[caller]!.bytes += size
        callers[caller]!.pages += pages
        callers[caller]!.kinds.formUnion(kinds)
    }
}
