// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The names a frame's function goes by in titles: the syscall-wrapper prefixes that
/// different compilers and kernel versions put on one syscall are stripped.
enum FrameNames {
    /// Prefixes of syscall wrappers; one is removed, the one that leaves the shortest name.
    static let syscallPrefixes = [
        "SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "__riscv_", "__s390x_", "__s390_", "__se_",
        "__se_sys_", "__do_sys_", "__do_compat_sys_", "__sys_", "___sys_", "____sys_", "compat_SyS_",
        "compat_SYSC_", "compat_sys_", "__se_compat_sys_", "__x64_compat_sys_", "__ia32_compat_sys_", "ksys_",
    ]

    /// `name` with the syscall prefix whose removal leaves the shortest name removed.
    static func strippingSyscallPrefix(_ name: String) -> String {
        var best = name
        for prefix in syscallPrefixes where name.hasPrefix(prefix) && name.count > prefix.count {
            let candidate = String(name.dropFirst(prefix.count))
            if candidate.count < best.count { best = candidate }
        }
        return best
    }
}
