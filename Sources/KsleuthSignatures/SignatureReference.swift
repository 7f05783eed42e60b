// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Where a failure mode is documented, in a form someone can check.
public enum SignatureReference: Sendable, Hashable {
    /// A kernel commit: its id (at least 12 hex digits) and subject line.
    case commit(id: String, subject: String)
    /// A CVE id (`CVE-2019-11477`).
    case cve(String)
    /// An LWN article.
    case lwn(url: String, title: String?)
    /// A file of the kernel's documentation (`Documentation/admin-guide/sysctl/vm.rst`).
    case documentation(path: String)
    /// A bug report, mailing-list thread or other page.
    case link(url: String, title: String?)

    /// The reference in one line, for text output.
    public var summary: String {
        switch self {
        case .commit(let id, let subject): "commit \(id.prefix(12)) (\"\(subject)\")"
        case .cve(let id): id
        case .lwn(let url, let title): title.map { "LWN: \($0) <\(url)>" } ?? "LWN: \(url)"
        case .documentation(let path): "kernel documentation: \(path)"
        case .link(let url, let title): title.map { "\($0) <\(url)>" } ?? url
        }
    }

    /// Where the reference can be read: the page itself, the commit on kernel.org, the CVE
    /// record, the documentation file in Linus's tree.
    ///
    /// SARIF's `helpUri` is the first reference's.
    public var url: String {
        switch self {
        case .commit(let id, _): "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=\(id)"
        case .cve(let id): "https://www.cve.org/CVERecord?id=\(id)"
        case .lwn(let url, _), .link(let url, _): url
        case .documentation(let path):
            "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/\(path)"
        }
    }
}
