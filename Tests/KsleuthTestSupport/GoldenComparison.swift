// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation

/// Compares a hand-checked expectation with actual JSON output, syzkaller-style: the
/// expectation is a subset, holding only the values a person read off the log.
///
/// Objects are compared key by key over the expected keys; arrays element by element and
/// must have the same length (an extra or a missing incident is a difference). Every
/// difference is reported as `path: expected X, got Y`.
public enum GoldenComparison {
    /// The differences between `expected` and `actual`; empty when `actual` satisfies it.
    public static func differences(expected: Any, actual: Any?, path: String = "") -> [String] {
        switch expected {
        case let object as [String: Any]:
            guard let actualObject = actual as? [String: Any] else {
                return ["\(display(path)): expected an object, got \(render(actual))"]
            }
            return object.keys.sorted().flatMap { key in
                differences(expected: object[key]!, actual: actualObject[key], path: path + "." + key)
            }
        case let array as [Any]:
            guard let actualArray = actual as? [Any] else {
                return ["\(display(path)): expected an array, got \(render(actual))"]
            }
            var result: [String] = []
            if array.count != actualArray.count {
                result.append("\(display(path)): expected \(array.count) element(s), got \(actualArray.count)")
            }
            for (index, element) in array.enumerated() where index < actualArray.count {
                result += differences(expected: element, actual: actualArray[index], path: "\(path)[\(index)]")
            }
            return result
        default:
            return equal(expected, actual)
                ? [] : ["\(display(path)): expected \(render(expected)), got \(render(actual))"]
        }
    }

    private static func equal(_ expected: Any, _ actual: Any?) -> Bool {
        guard let actual else { return expected is NSNull }
        if let left = expected as? NSNumber, let right = actual as? NSNumber {
            return abs(left.doubleValue - right.doubleValue) < 1e-9
        }
        if let left = expected as? String, let right = actual as? String { return left == right }
        if expected is NSNull { return actual is NSNull }
        return false
    }

    private static func display(_ path: String) -> String { path.isEmpty ? "(root)" : String(path.dropFirst()) }

    private static func render(_ value: Any?) -> String {
        guard let value else { return "nothing" }
        if value is NSNull { return "null" }
        if let string = value as? String { return "\"\(string)\"" }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]),
            let text = String(data: data, encoding: .utf8)
        {
            return text.count > 200 ? String(text.prefix(200)) + "…" : text
        }
        return "\(value)"
    }
}
