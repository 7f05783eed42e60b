// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import CPCRE2

/// A compiled PCRE2 pattern, JIT-compiled where the platform allows, matched against bytes.
///
/// Patterns are compiled with `PCRE2_UTF | PCRE2_MATCH_INVALID_UTF`: kernel logs carry invalid
/// UTF-8 (binary garbage, truncated multi-byte characters), and a plain UTF pattern would
/// fail on such a line instead of matching the valid parts. Subjects are byte buffers, so a
/// line is never copied into a Swift `String` to be matched.
///
/// A `Pattern` is immutable and may be shared across tasks. The scratch space a match needs
/// lives in a ``MatchScratch``, one per task.
public final class Pattern: @unchecked Sendable {
    /// The source text, as given.
    public let source: String
    /// The number of capturing groups.
    public let captureCount: Int
    /// The limits every match runs under.
    public let limits: MatchLimits
    /// Whether the JIT compiler accepted the pattern.
    public let isJITCompiled: Bool

    let code: OpaquePointer
    private let matchContext: OpaquePointer

    /// Options a pattern may be compiled with.
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Letters match in either case.
        public static let caseInsensitive = Options(rawValue: PCRE2_CASELESS)
        /// The pattern must match at the start of the subject.
        public static let anchored = Options(rawValue: PCRE2_ANCHORED)
    }

    /// Compiles `source`.
    ///
    /// - Throws: ``PatternError`` naming the offset in `source` where PCRE2 stopped.
    public init(_ source: String, options: Options = [], limits: MatchLimits = .standard) throws(PatternError) {
        self.source = source
        self.limits = limits
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let compileOptions = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | options.rawValue
        let compiled = source.utf8CString.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: buffer.count) { pointer in
                pcre2_compile_8(pointer, buffer.count - 1, compileOptions, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw PatternError(
                code: .init(rawValue: errorCode), message: Pattern.message(for: errorCode),
                pattern: source, offset: errorOffset)
        }
        code = compiled
        isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
        let context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        pcre2_set_heap_limit_8(context, limits.heapLimitKiB)
        matchContext = context
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
    }

    deinit {
        pcre2_match_context_free_8(matchContext)
        pcre2_code_free_8(code)
    }

    /// Finds the first match in `subject`, starting the search at `startOffset`.
    ///
    /// - Returns: the match with its capture ranges (relative to `subject`), or `nil`.
    /// - Throws: ``PatternError`` when a limit stops the match. A limit is not a "no match":
    ///   callers decide whether to report it.
    public func firstMatch(
        in subject: UnsafeRawBufferPointer, from startOffset: Int = 0, using scratch: MatchScratch
    ) throws(PatternError) -> PatternMatch? {
        let matchData = scratch.matchData(for: self)
        var empty: UInt8 = 0
        let result = withUnsafePointer(to: &empty) { emptySubject in
            let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptySubject
            return pcre2_match_8(code, base, subject.count, startOffset, 0, matchData, matchContext)
        }
        if result == PCRE2_ERROR_NOMATCH { return nil }
        if result < 0 {
            throw PatternError(
                code: .init(rawValue: result), message: Pattern.message(for: result), pattern: source, offset: nil)
        }
        let vector = pcre2_get_ovector_pointer_8(matchData)!
        let unset = cpcre2_unset()
        var ranges: [Range<Int>?] = []
        ranges.reserveCapacity(captureCount + 1)
        for group in 0...captureCount {
            let start = vector[2 * group]
            let end = vector[2 * group + 1]
            ranges.append(start == unset ? nil : start..<end)
        }
        return PatternMatch(ranges: ranges)
    }

    /// Whether `subject` contains a match; a limit error counts as no match.
    ///
    /// For prefilters and recognizers where a runaway pattern must not stop the scan.
    public func matches(_ subject: UnsafeRawBufferPointer, using scratch: MatchScratch) -> Bool {
        (try? firstMatch(in: subject, using: scratch)) != nil
    }

    /// Convenience for tests and cold paths: matches a `String`.
    public func firstMatch(in string: String) throws(PatternError) -> (match: PatternMatch, captures: [String?])? {
        var bytes = Array(string.utf8)
        let scratch = MatchScratch()
        let outcome: Result<PatternMatch?, PatternError> = bytes.withUnsafeMutableBytes { buffer in
            do throws(PatternError) {
                return .success(try firstMatch(in: UnsafeRawBufferPointer(buffer), using: scratch))
            } catch {
                return .failure(error)
            }
        }
        guard let match = try outcome.get() else { return nil }
        let captures = match.ranges.map { range in
            range.map { String(decoding: bytes[$0], as: UTF8.self) }
        }
        bytes.removeAll()
        return (match, captures)
    }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }
}

/// The byte ranges of one match: index 0 is the whole match, then one per capturing group.
public struct PatternMatch: Sendable, Equatable {
    /// Ranges relative to the subject; `nil` for a group that did not take part.
    public var ranges: [Range<Int>?]

    /// The whole match.
    public var range: Range<Int> { ranges[0]! }

    /// The range of capturing group `group` (1-based), if it took part.
    public subscript(group: Int) -> Range<Int>? { group < ranges.count ? ranges[group] : nil }
}
