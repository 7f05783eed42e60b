// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis

extension InputOptions {
    /// The most files of a directory looked at (a sosreport holds a few thousand).
    static let maximumDirectoryFiles = 50_000

    /// Analyses the input `path`: a file or `-` as a log or a single memory snapshot, a
    /// directory as the memory snapshot files under it (a sosreport-like tree with
    /// `proc/meminfo`, `proc/slabinfo`, …) analysed together as one incident.
    func analyze(_ path: String, with analyzer: LogAnalyzer, into sink: some IncidentSink) -> InputSummary {
        var isDirectory: ObjCBool = false
        guard path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { return analyzer.analyze(path: path, into: sink) }
        return analyzer.analyze(snapshotDirectory: path, files: Self.regularFiles(under: path), into: sink)
    }

    /// The regular files under `directory`, sorted by path; symbolic links are not followed
    /// (a sosreport links `proc` entries to other places of its own tree).
    static func regularFiles(under directory: String) -> [String] {
        let root = URL(fileURLWithPath: directory)
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey])
        else { return [] }
        var files: [String] = []
        for case let url as URL in enumerator {
            guard files.count < maximumDirectoryFiles else { break }
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values?.isRegularFile == true, values?.isSymbolicLink != true else { continue }
            let relative =
                url.path.hasPrefix(root.path + "/") ? String(url.path.dropFirst(root.path.count + 1)) : url.path
            files.append((directory.hasSuffix("/") ? directory : directory + "/") + relative)
        }
        return files.sorted()
    }
}
