// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// The architecture, release and VA size an incident's own lines reveal.
public struct LogContext: Sendable, Hashable {
    public var architecture: Architecture?
    public var version: KernelVersion?
    /// arm64's VA size from `pgtable: 4k pages, 39-bit VAs`.
    public var vaBits: Int?

    public init(architecture: Architecture? = nil, version: KernelVersion? = nil, vaBits: Int? = nil) {
        self.architecture = architecture
        self.version = version
        self.vaBits = vaBits
    }

    static let vaLine = LinePattern(#"pgtable: \d+k pages, (\d+)-bit VAs"#)
    /// arm and 2.6 x86 print the release in parentheses: `CPU: 0    Not tainted  (2.6.35.7 #1)`.
    static let parenthesisedRelease = LinePattern(#"^CPU: *\d+ +(?:Not tainted|Tainted: [A-Z ]*) +\(([0-9][^ )]*) #"#)

    /// Reads the context from `incident`'s lines and its `kernel_release` detail.
    public init(incident: Incident) {
        self.init()
        if case .string(let release)? = incident.details["kernel_release"] {
            version = KernelVersion(release: release)
            architecture = Self.architecture(release: release)
        }
        var votes: [Architecture: Int] = [:]
        for line in incident.lines.prefix(2000) {
            let text = line.text.drop { $0 == " " }
            if let vote = Self.vote(Substring(text)) { votes[vote, default: 0] += 1 }
            if vaBits == nil, let groups = Self.vaLine.captures(String(text)) {
                vaBits = Self.vaLine.integer(groups, 0)
            }
            if version == nil, text.hasPrefix("CPU:"), let groups = Self.parenthesisedRelease.captures(String(text)),
                let release = groups[0]
            {
                version = KernelVersion(release: release)
            }
        }
        if architecture == nil, let best = votes.max(by: { $0.value < $1.value })?.key { architecture = best }
    }

    /// The architecture a release string names (`-amd64`, `.amd64`, `aarch64`…).
    static func architecture(release: String) -> Architecture? {
        let lowered = release.lowercased()
        if lowered.contains("amd64") || lowered.contains("x86_64") { return .amd64 }
        if lowered.contains("aarch64") || lowered.contains("arm64") { return .arm64 }
        if lowered.contains("i686") || lowered.contains("i386") || lowered.contains("686-pae") { return .i386 }
        if lowered.contains("armv7") || lowered.contains("armmp") { return .arm32 }
        return nil
    }

    /// The architecture one register or fault line belongs to.
    static func vote(_ text: Substring) -> Architecture? {
        if text.hasPrefix("RAX: ") || text.hasPrefix("RIP: ") || text.hasPrefix("R13: ") { return .amd64 }
        if text.hasPrefix("EAX: ") || text.hasPrefix("EIP: ") || text.hasPrefix("eax: ") { return .i386 }
        if text.hasPrefix("pstate: ") || text.hasPrefix("x29: ") || text.hasPrefix("ESR = ")
            || text.hasPrefix("Mem abort info")
        {
            return .arm64
        }
        if text.hasPrefix("pc : [<") { return text.dropFirst(7).prefix(16).allSatisfy(\.isHexDigit) ? .arm64 : .arm32 }
        if text.hasPrefix("Call trace:") { return .arm64 }
        if text.hasPrefix("PC is at ") || text.hasPrefix("r10: ") || text.hasPrefix("Backtrace:") { return .arm32 }
        if text.hasPrefix("["), text.contains("] ("), text.contains(") from [<") {
            return text.count > 60 && text.dropFirst(2).prefix(16).allSatisfy(\.isHexDigit) ? .arm64 : .arm32
        }
        if text.contains("at virtual address ") {
            let tail = text.split(separator: " ").last.map(String.init) ?? ""
            return tail.count >= 16 ? .arm64 : .arm32
        }
        return nil
    }
}
