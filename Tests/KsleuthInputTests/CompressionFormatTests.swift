// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthInput
import Testing

@Suite("CompressionFormat")
struct CompressionFormatTests {
    @Test("gzip is told by 1f 8b")
    func gzipMagic() {
        #expect(CompressionFormat(magic: [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]) == .gzip)
        #expect(CompressionFormat(magic: [0x1f, 0x8b]) == .gzip)
    }

    @Test("xz is told by fd 37 7a 58 5a 00")
    func xzMagic() {
        #expect(CompressionFormat(magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) == .xz)
        #expect(CompressionFormat(magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6]) == .xz)
    }

    @Test("zstd is told by the frame magic 28 b5 2f fd")
    func zstdMagic() {
        #expect(CompressionFormat(magic: [0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00]) == .zstd)
        #expect(CompressionFormat(magic: [0x28, 0xb5, 0x2f, 0xfd]) == .zstd)
    }

    @Test("plain kernel log text is not compressed")
    func plainText() {
        #expect(CompressionFormat(magic: Array("[    0.000000] Linux".utf8)) == CompressionFormat.none)
        #expect(CompressionFormat(magic: Array("<6>[    0.000000]".utf8)) == CompressionFormat.none)
        #expect(CompressionFormat(magic: Array("Jul 16 11:53:24 host kernel:".utf8)) == CompressionFormat.none)
    }

    @Test("input shorter than a magic number is not compressed")
    func shortInput() {
        #expect(CompressionFormat(magic: []) == CompressionFormat.none)
        #expect(CompressionFormat(magic: [0x1f]) == CompressionFormat.none)
        #expect(CompressionFormat(magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a]) == CompressionFormat.none)
        #expect(CompressionFormat(magic: [0x28, 0xb5, 0x2f]) == CompressionFormat.none)
    }

    @Test("a near miss of a magic number is not compressed")
    func nearMisses() {
        #expect(CompressionFormat(magic: [0x1f, 0x8c, 0x08]) == CompressionFormat.none)
        #expect(CompressionFormat(magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x01]) == CompressionFormat.none)
        #expect(CompressionFormat(magic: [0x28, 0xb5, 0x2f, 0xfe]) == CompressionFormat.none)
        #expect(CompressionFormat(magic: [0x8b, 0x1f]) == CompressionFormat.none)
    }

    @Test("detection looks at a prefix of any collection of bytes")
    func anyCollection() {
        let bytes: [UInt8] = [0x00, 0x1f, 0x8b, 0x08]
        #expect(CompressionFormat(magic: bytes.dropFirst()) == .gzip)
        #expect(CompressionFormat.magicLength >= 6)
    }

    @Test("the stable names of the formats")
    func names() {
        #expect(CompressionFormat.allCases.map(\.rawValue) == ["none", "gzip", "xz", "zstd"])
    }
}
