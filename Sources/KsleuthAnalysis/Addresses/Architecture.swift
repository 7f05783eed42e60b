// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The processor architectures whose address maps and structure layouts ksleuth knows.
public enum Architecture: String, Sendable, CaseIterable, Hashable {
    case amd64 = "x86_64"
    case i386
    case arm64
    case arm32 = "arm"

    /// Bytes in a pointer.
    public var wordSize: Int {
        switch self {
        case .amd64, .arm64: 8
        case .i386, .arm32: 4
        }
    }

    /// Reads a name as given on the command line (`x86_64`, `amd64`, `aarch64`, `arm`, `i686`…).
    public init?(name: String) {
        switch name.lowercased() {
        case "x86_64", "x86-64", "amd64", "x64": self = .amd64
        case "i386", "i486", "i586", "i686", "x86", "x86_32", "ia32": self = .i386
        case "arm64", "aarch64", "armv8": self = .arm64
        case "arm", "arm32", "armv7", "armv6", "armv5", "armhf", "armel": self = .arm32
        default: return nil
        }
    }
}
