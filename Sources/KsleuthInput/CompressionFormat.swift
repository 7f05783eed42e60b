// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// How an input's bytes are packed, told by its first bytes (never by its file name: rotated
/// logs are renamed, and pipes have no name).
public enum CompressionFormat: String, Sendable, CaseIterable {
    case none
    case gzip
    case xz
    case zstd

    /// The longest magic number looked at.
    public static let magicLength = 6

    /// Detects the format from the first bytes of an input.
    ///
    /// gzip starts `1f 8b`, xz `fd 37 7a 58 5a 00`, zstd frames `28 b5 2f fd`.
    public init(magic bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(CompressionFormat.magicLength))
        if head.starts(with: [0x1f, 0x8b]) {
            self = .gzip
        } else if head.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) {
            self = .xz
        } else if head.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) {
            self = .zstd
        } else {
            self = .none
        }
    }
}
