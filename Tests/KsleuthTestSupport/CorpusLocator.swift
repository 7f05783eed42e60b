// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation

/// Finds the corpora tests read: the repository's own `corpora/` and, when present, the
/// shared corpora beside the repository (`../shared/corpora`), which a user's clone lacks.
public enum CorpusLocator {
    /// The repository's root, found from this file's location.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `corpora/` of the repository.
    public static var ownCorpora: URL { repositoryRoot.appendingPathComponent("corpora") }

    /// The shared corpora, from `KSLEUTH_SHARED` or `../shared` beside the repository.
    public static var sharedRoot: URL? {
        let candidates = [
            ProcessInfo.processInfo.environment["KSLEUTH_SHARED"].map { URL(fileURLWithPath: $0) },
            repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared"),
        ]
        return candidates.compactMap { $0 }.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("corpora").path)
        }
    }

    /// Whether the shared corpora are present (tests that need them skip when not).
    public static var hasSharedCorpora: Bool { sharedRoot != nil }

    /// Every file under `directory` whose name ends with `suffix`, sorted by path.
    public static func files(under directory: URL, suffix: String = ".log") -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        var result: [URL] = []
        for case let url as URL in enumerator where url.lastPathComponent.hasSuffix(suffix) {
            result.append(url)
        }
        return result.sorted { $0.path < $1.path }
    }

    /// The repository's own sample logs.
    public static func ownLogs() -> [URL] { files(under: ownCorpora) }

    /// Every log of the shared corpora: the `.log` files of every category, and syzkaller's
    /// report files (named by number, headers first, then the raw console output).
    public static func sharedLogs() -> [URL] {
        guard let root = sharedRoot?.appendingPathComponent("corpora") else { return [] }
        let syzkaller = ["syzkaller-reports", "syzkaller-guilty"].flatMap { folder in
            files(under: root.appendingPathComponent(folder), suffix: "").filter {
                $0.lastPathComponent.allSatisfy(\.isNumber)
            }
        }
        return files(under: root) + syzkaller
    }
}
