// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What a mapping of `/proc/PID/maps` holds, from its permissions and path (`show_map_vma`).
///
/// ```
/// 55fc0c43c000-55fc0c6e3000 rw-p 00000000 00:00 0                          [heap]
/// 7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0
/// 7f3a2b5d2000-7f3a2b7b9000 r-xp 00000000 fc:01 2752    /usr/lib/x86_64-linux-gnu/libc-2.31.so
/// ```
public enum MappingKind: String, Sendable, CaseIterable {
    /// `[heap]`: the brk area.
    case heap
    /// `[stack]` (and `[stack:<tid>]` of 3.4–4.4).
    case stack
    /// Private anonymous memory: no path, or `[anon:<name>]` (5.17+).
    case anon
    /// A private file mapping: code, data, read-only files.
    case file
    /// Shared memory: a shared mapping (`s` in the permissions), tmpfs/shm, SysV, memfd.
    case shared
    /// The kernel's own mappings: `[vdso]`, `[vvar]`, `[vsyscall]`, `[uprobes]`.
    case kernel

    /// Paths that are shared memory even in a private mapping.
    static let sharedPathPrefixes = ["/dev/shm/", "/SYSV", "/memfd:", "/dev/zero", "/drm mm object"]
    /// The kernel's special mapping names.
    static let kernelNames: Set<Substring> = [
        "[vdso]", "[vvar]", "[vvar_vclock]", "[vsyscall]", "[uprobes]", "[sigpage]", "[vectors]",
    ]

    /// The kind of a mapping with `permissions` (`rw-p`) and `path` (maybe empty).
    static func of(permissions: Substring, path: Substring) -> MappingKind {
        if path == "[heap]" { return .heap }
        if path == "[stack]" || path.hasPrefix("[stack:") { return .stack }
        if kernelNames.contains(path) { return .kernel }
        if permissions.last == "s" || sharedPathPrefixes.contains(where: { path.hasPrefix($0) }) { return .shared }
        if path.isEmpty || path.hasPrefix("[anon:") { return .anon }
        return .file
    }
}
