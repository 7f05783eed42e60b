// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser

/// How results are written.
public enum OutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// A report for people.
    case text
    /// One JSON document (`docs/json-output.md`).
    case json
    /// One incident per line, as JSON.
    case jsonl
}

/// When to colour text output.
public enum ColorChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// On a terminal, unless `NO_COLOR` is set.
    case auto
    case always
    case never
}
