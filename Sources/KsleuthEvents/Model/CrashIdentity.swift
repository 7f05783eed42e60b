// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What a crash report is called, the way syzkaller names crashes, so that the same crash gets
/// the same name on every run and every build.
///
/// Filled by the crash-identity analysis for every crash-family incident; `nil` on memory
/// reports (OOM kills, allocation failures, Mem-Info dumps).
public struct CrashIdentity: Sendable, Hashable {
    /// The syzkaller-compatible title: `KASAN: use-after-free Read in foo`, `WARNING in bar`.
    public var title: String
    /// Other titles the same crash may be known by (syzkaller's `ALT:`).
    public var alternativeTitles: [String]
    /// The crash type in syzkaller's vocabulary (`KASAN-USE-AFTER-FREE-READ`, `WARNING`,
    /// `HANG`, `LOCKDEP`, `NULL-POINTER-DEREFERENCE`, …); empty when it has none.
    public var type: String
    /// Whether the report is damaged (truncated, interleaved, missing the stack its kind needs).
    public var isCorrupted: Bool
    /// Why it is corrupted, in words.
    public var corruptionReason: String?
    /// The function that names the crash (the identifier after the title's last ` in `).
    public var frame: String?
    /// The source file to blame, when frames carry `file:line`.
    public var guiltyFile: String?
    /// A stable id of the normalised title: the same crash on another build, compiler or
    /// machine has the same bucket.
    public var bucket: String
    /// Whether the crash is only a warning (`WARNING`, lockdep, UBSAN reports that did not
    /// stop the kernel), which CI may choose not to fail on.
    public var isWarning: Bool

    public init(
        title: String, alternativeTitles: [String] = [], type: String, isCorrupted: Bool = false,
        corruptionReason: String? = nil, frame: String? = nil, guiltyFile: String? = nil, bucket: String,
        isWarning: Bool = false
    ) {
        self.title = title
        self.alternativeTitles = alternativeTitles
        self.type = type
        self.isCorrupted = isCorrupted
        self.corruptionReason = corruptionReason
        self.frame = frame
        self.guiltyFile = guiltyFile
        self.bucket = bucket
        self.isWarning = isWarning
    }
}
