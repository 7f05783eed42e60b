// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// How bad a failure mode is for the machine that shows it.
///
/// The raw value is the word used in signature files and in JSON.
public enum SignatureSeverity: String, Sendable, CaseIterable, Comparable {
    /// Worth knowing; the machine carries on.
    case info
    /// Degraded service or a latent problem.
    case low
    /// A process was killed, a request failed, a task stalled.
    case medium
    /// The kernel's state is damaged or the machine stopped serving.
    case high
    /// Memory corruption, a panic, or data at risk.
    case critical

    /// Severities in rising order.
    public static func < (left: SignatureSeverity, right: SignatureSeverity) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }
}
