// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Why no signature database could be used.
public enum SignatureLoadError: Error, Sendable, CustomStringConvertible {
    /// No directory was found in any of the places searched.
    case notFound(searched: [String])
    /// The directory cannot be read.
    case unreadable(path: String, reason: String)
    /// `--strict` and some files were rejected.
    case invalid([SignatureProblem])

    public var description: String {
        switch self {
        case .notFound(let searched):
            return "no signature database found; looked in:\n"
                + searched.map { "  \($0)" }.joined(separator: "\n")
                + "\nname one with --signatures DIR or the KSLEUTH_SIGNATURES environment variable"
        case .unreadable(let path, let reason): return "cannot read the signature database \(path): \(reason)"
        case .invalid(let problems):
            let errors = problems.filter { $0.severity == .error }
            return "\(errors.count) problem(s) in the signature database:\n"
                + errors.map(\.description).joined(separator: "\n")
        }
    }
}
