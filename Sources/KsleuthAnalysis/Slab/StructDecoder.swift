// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Turns dumped bytes into the named fields of a ``SlabLayout``.
public struct StructDecoder: Sendable {
    public var wordSize: Int
    public var littleEndian: Bool
    /// Classifies pointer fields; `nil` leaves them unclassified.
    public var classifier: AddressClassifier?
    /// Elements of a trailing array decoded at most.
    public var maximumElements: Int

    public init(
        wordSize: Int, littleEndian: Bool = true, classifier: AddressClassifier? = nil, maximumElements: Int = 4096
    ) {
        self.wordSize = wordSize
        self.littleEndian = littleEndian
        self.classifier = classifier
        self.maximumElements = maximumElements
    }

    /// Decodes `bytes` (from offset 0 of the structure) as `layout`; `elements` is the trailing
    /// array's length when known (else as many as the dump holds).
    public func decode(_ bytes: [UInt8?], as layout: SlabLayout, elements: Int? = nil) -> DecodedStruct {
        var fields: [DecodedStruct.Field] = []
        var missing: [String] = []
        for field in layout.fields {
            let offset = field.offset(wordSize: wordSize)
            let size = field.size(wordSize: wordSize)
            guard let decoded = read(field.name, field.kind, offset: offset, size: size, from: bytes) else {
                missing.append("\(field.name) (offset \(HexText.format(UInt64(offset)))) is past the end of the dump")
                continue
            }
            if decoded.value == nil, field.kind != .padding {
                missing.append("\(field.name): some of its bytes were not printed or not readable")
            }
            fields.append(decoded)
        }
        if let array = layout.trailing {
            let start = layout.size(wordSize: wordSize)
            let available = max(0, (bytes.count - start) / array.elementSize)
            let count = min(elements ?? available, maximumElements)
            for index in 0..<count {
                let name = "\(array.name)[\(index)]"
                guard
                    let decoded = read(
                        name, array.kind, offset: start + index * array.elementSize, size: array.elementSize,
                        from: bytes)
                else {
                    missing.append("\(array.name)[\(index)..<\(count)] past the end of the dump")
                    break
                }
                if decoded.value == nil { missing.append("\(name): bytes not printed or not readable") }
                fields.append(decoded)
            }
        }
        return DecodedStruct(
            layout: layout.name, wordSize: wordSize, littleEndian: littleEndian, fields: fields, missing: missing)
    }

    func read(_ name: String, _ kind: SlabLayout.FieldKind, offset: Int, size: Int, from bytes: [UInt8?])
        -> DecodedStruct.Field?
    {
        guard offset < bytes.count else { return nil }
        let raw = Array(bytes[offset..<min(bytes.count, offset + size)])
        var value: UInt64?
        if raw.count == size, raw.allSatisfy({ $0 != nil }) {
            let ordered = littleEndian ? raw.reversed() : raw
            value = ordered.reduce(UInt64(0)) { $0 << 8 | UInt64($1!) }
        }
        var field = DecodedStruct.Field(name: name, kind: kind, offset: offset, size: size, raw: raw, value: value)
        if kind == .slubCounters, let value {
            field.parts = ["inuse": value & 0xffff, "objects": (value >> 16) & 0x7fff, "frozen": value >> 31 & 1]
        }
        if kind == .pointer, let value, let classifier { field.address = classifier.classify(value) }
        return field
    }
}
