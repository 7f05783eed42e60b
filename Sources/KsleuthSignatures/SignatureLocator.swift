// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation

/// Finds the signature database: `--signatures DIR`, then `KSLEUTH_SIGNATURES`, then the
/// installed `<exe>/../share/ksleuth/signatures`, then the source tree's `signatures/` (found
/// above the executable's build directory, or above the current directory).
public struct SignatureLocator: Sendable {
    /// The directory named on the command line, if any.
    public var explicitDirectory: String?
    /// The process environment.
    public var environment: [String: String]
    /// The running executable's path.
    public var executablePath: String?
    /// The current directory.
    public var currentDirectory: String

    public init(
        explicitDirectory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = CommandLine.arguments.first,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.explicitDirectory = explicitDirectory
        self.environment = environment
        self.executablePath = executablePath
        self.currentDirectory = currentDirectory
    }

    /// The candidates in the order they are tried, each with where it came from.
    public var candidates: [(path: String, origin: String)] {
        var result: [(String, String)] = []
        if let explicitDirectory { return [(explicitDirectory, "--signatures")] }
        if let fromEnvironment = environment["KSLEUTH_SIGNATURES"], !fromEnvironment.isEmpty {
            return [(fromEnvironment, "KSLEUTH_SIGNATURES")]
        }
        if let executable = executablePath.map(resolvedExecutable) {
            let directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            let share = directory.deletingLastPathComponent().appendingPathComponent("share/ksleuth/signatures")
            result.append((share.standardizedFileURL.path, "installed share directory"))
            if let tree = SignatureLocator.sourceTree(above: directory) {
                result.append((tree, "source tree of the executable"))
            }
        }
        if let tree = SignatureLocator.sourceTree(above: URL(fileURLWithPath: currentDirectory)) {
            result.append((tree, "source tree of the current directory"))
        }
        return result
    }

    /// The first candidate that is a directory.
    ///
    /// - Throws: ``SignatureLoadError/notFound(searched:)`` listing every place tried.
    public func locate() throws(SignatureLoadError) -> String {
        var searched: [String] = []
        for (path, origin) in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return path
            }
            searched.append("\(path) (\(origin))")
        }
        if searched.isEmpty { searched.append("no candidate (the executable's location is unknown)") }
        throw .notFound(searched: searched)
    }

    private func resolvedExecutable(_ path: String) -> String {
        var candidate = path
        if !candidate.contains("/") {
            let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
            candidate =
                directories.map { "\($0)/\(path)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
                ?? path
        } else if !candidate.hasPrefix("/") {
            candidate = currentDirectory + "/" + candidate
        }
        return URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
    }

    /// The `signatures/` beside a `Package.swift` in `directory` or a directory above it.
    static func sourceTree(above directory: URL) -> String? {
        var current = directory.standardizedFileURL
        for _ in 0..<8 {
            let signatures = current.appendingPathComponent("signatures")
            let manifest = current.appendingPathComponent("Package.swift")
            if FileManager.default.fileExists(atPath: manifest.path),
                FileManager.default.fileExists(atPath: signatures.path)
            {
                return signatures.path
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        return nil
    }
}
