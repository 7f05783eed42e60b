// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthTestSupport
import Testing

/// Every GFP mask that a kernel printed with its names (`%pGg`, 4.5+) in the shared corpora,
/// decoded from the hex with the table of that kernel's era: the printed names are the truth.
///
/// `mode:0x24040c0(GFP_KERNEL|__GFP_COMP)` (warn_alloc), `gfp_mask=0xcc0(GFP_KERNEL)` (the OOM
/// header), `gfp_mask 0x2dc2(GFP_KERNEL|__GFP_HIGHMEM|…)` (page_owner). The era comes from the
/// kernel release the same file names nearest before the mask (`Not tainted 4.9.3-200.fc25`,
/// `Tainted: G W 6.3.0-rc6`, `Linux version …`), else the first one after it.
@Suite("GFP names printed by the kernel", .enabled(if: CorpusLocator.hasSharedCorpora, "needs ../shared corpora"))
struct GFPPrintedNamesCorpusTests {
    /// One printed mask.
    struct PrintedMask {
        var file: String
        var mask: UInt64
        var names: [String]
        var release: String?
    }

    static let maskPattern = try! NSRegularExpression(
        pattern: #"(?:mode:|gfp_mask=|gfp_mask |gfp=)0x([0-9a-f]+)\(([A-Za-z0-9_|]+)\)"#)
    static let releasePattern = try! NSRegularExpression(
        pattern: #"(?:Not tainted|Tainted: [A-Z ]*?|Linux version) +(\d+\.\d+[^\s,]*)"#)

    static func masks() -> [PrintedMask] {
        guard let root = CorpusLocator.sharedRoot?.appendingPathComponent("corpora") else { return [] }
        var result: [PrintedMask] = []
        for url in CorpusLocator.files(under: root, suffix: "") {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let whole = NSRange(text.startIndex..., in: text)
            let releases = releasePattern.matches(in: text, range: whole).compactMap { match in
                Range(match.range(at: 1), in: text).map { (match.range.location, String(text[$0])) }
            }
            for match in maskPattern.matches(in: text, range: whole) {
                guard let hex = Range(match.range(at: 1), in: text), let names = Range(match.range(at: 2), in: text),
                    let mask = UInt64(text[hex], radix: 16)
                else { continue }
                let before = releases.last { $0.0 < match.range.location }
                result.append(
                    PrintedMask(
                        file: url.path.replacingOccurrences(of: root.path + "/", with: ""), mask: mask,
                        names: text[names].split(separator: "|").map(String.init),
                        release: before?.1 ?? releases.first?.1))
            }
        }
        return result
    }

    @Test("each era's table gives exactly the printed names")
    func printedNamesAgree() throws {
        let masks = Self.masks()
        let dated = masks.filter { $0.release.flatMap(GFPLayout.forRelease) != nil }
        // The corpora hold 37 such masks, 35 in files that name their kernel (counted by grep).
        #expect(masks.count == 37)
        #expect(dated.count == 35)
        var eras: Set<String> = []
        for printed in dated {
            let layout = try #require(printed.release.flatMap(GFPLayout.forRelease))
            eras.insert(layout.name)
            let decoded = GFPMask(printed.mask, layout: layout).names
            #expect(
                decoded == printed.names,
                "\(printed.file): 0x\(String(printed.mask, radix: 16)) with \(layout.name) (\(printed.release ?? "")) gives \(decoded)"
            )
        }
        // The eras the corpora cover.
        #expect(eras.count >= 4, "\(eras.sorted())")
    }

    @Test("masks in files that name no kernel decode to their names with some printing era")
    func undatedMasksDecode() {
        for printed in Self.masks() where printed.release.flatMap(GFPLayout.forRelease) == nil {
            let layout = GFPMask.layout(
                release: nil, printedNames: printed.names, headerHasOomAdj: false, mask: printed.mask)
            #expect(
                GFPMask(printed.mask, layout: layout).names == printed.names,
                "\(printed.file): 0x\(String(printed.mask, radix: 16)) \(printed.names)")
        }
    }
}
