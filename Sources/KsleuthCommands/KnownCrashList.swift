// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation

/// The crashes `ksleuth triage --known FILE` does not count: one bucket id or title a line.
///
/// Blank lines and lines whose first non-blank character is `#` are skipped; surrounding
/// whitespace (and a CR line end) is trimmed. A `#` later in a line is part of the entry, as
/// titles may hold one (`CPU#0`).
struct KnownCrashList {
    /// The entries, in file order.
    let entries: [String]

    /// Files larger than this are refused: a list of known crashes is short.
    static let maximumBytes = 16 << 20

    /// Parses the text of a list.
    init(text: String) {
        entries = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: .whitespaces.union(.controlCharacters)) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// Reads the list at `path`.
    ///
    /// - Throws: `KnownCrashList.ReadError` when it cannot be read, is too large, or is not text.
    init(path: String) throws(ReadError) {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if attributes[.type] as? FileAttributeType == .typeDirectory { throw ReadError("is a directory") }
            if let size = attributes[.size] as? Int, size > Self.maximumBytes {
                throw ReadError("larger than \(Self.maximumBytes >> 20) MiB")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError("cannot read: \((error as NSError).localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8), !data.contains(0) else {
            throw ReadError("not a UTF-8 text file")
        }
        self.init(text: text)
    }

    /// Why a list could not be read.
    struct ReadError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
