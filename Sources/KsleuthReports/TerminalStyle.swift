// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Colour for people reading on a terminal, nothing for pipes and files.
public struct TerminalStyle: Sendable {
    /// Whether escape sequences are written at all.
    public let usesColor: Bool

    public init(usesColor: Bool) { self.usesColor = usesColor }

    /// Colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty
    /// (no-color.org) or the terminal is `dumb`.
    public static func automatic(isTerminal: Bool, environment: [String: String]) -> TerminalStyle {
        let disabled = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
        return TerminalStyle(usesColor: isTerminal && !disabled)
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "1;31") }
    func yellow(_ text: String) -> String { wrap(text, "1;33") }
    func cyan(_ text: String) -> String { wrap(text, "36") }

    private func wrap(_ text: String, _ code: String) -> String {
        usesColor ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text
    }
}
