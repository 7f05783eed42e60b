// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Who printed a line, as CONFIG_PRINTK_CALLER (5.1+) records it: `[ T123]` for a task,
/// `[    C1]` for a CPU outside task context (interrupts, NMI).
///
/// Lines of one report share a caller, so the caller id separates reports that several
/// CPUs print at once.
public enum CallerID: Hashable, Sendable, CustomStringConvertible {
    case task(pid: Int)
    case cpu(Int)

    /// `T123` or `C1`, as the kernel prints it.
    public var description: String {
        switch self {
        case .task(let pid): "T\(pid)"
        case .cpu(let cpu): "C\(cpu)"
        }
    }
}
