// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation

/// The module files under a directory (`/lib/modules/<release>` or a build tree), found by
/// module name: `<name>.ko`, `.ko.xz`, `.ko.zst` or `.ko.gz`, dashes and underscores alike.
public final class ModuleDirectory {
    /// The directory searched.
    public let root: String
    private var paths: [String: String] = [:]
    private var opened: [String: Symbolizer] = [:]
    private var failures: [String: String] = [:]
    /// The deepest directory level searched.
    public static let maximumDepth = 8

    /// Lists the module files under `root` (nothing is opened yet).
    public init(root: String) {
        self.root = root
        let base = URL(fileURLWithPath: root)
        guard
            let enumerator = FileManager.default.enumerator(
                at: base, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        else { return }
        for case let url as URL in enumerator {
            if enumerator.level > Self.maximumDepth { enumerator.skipDescendants() }
            let name = url.lastPathComponent
            for suffix in [".ko", ".ko.xz", ".ko.zst", ".ko.gz"] where name.hasSuffix(suffix) {
                let key = Self.normalized(String(name.dropLast(suffix.count)))
                if paths[key] == nil || suffix == ".ko" { paths[key] = url.path }
            }
        }
    }

    /// How many modules were found.
    public var count: Int { paths.count }

    /// The path of module `name`, `nil` when absent.
    public func path(of name: String) -> String? { paths[Self.normalized(name)] }

    /// The symbolizer of module `name`, opened once (placed at 0); `nil` when absent or
    /// unreadable (see ``failure(of:)``).
    public func symbolizer(for name: String) -> Symbolizer? {
        let key = Self.normalized(name)
        if let open = opened[key] { return open }
        guard failures[key] == nil, let path = paths[key] else { return nil }
        do {
            let symbolizer = try Symbolizer(path: path)
            opened[key] = symbolizer
            return symbolizer
        } catch {
            failures[key] = String(describing: error)
            return nil
        }
    }

    /// Why module `name` could not be opened, `nil` when it could (or was not tried).
    public func failure(of name: String) -> String? { failures[Self.normalized(name)] }

    private static func normalized(_ name: String) -> String {
        name.replacingOccurrences(of: "-", with: "_")
    }
}
