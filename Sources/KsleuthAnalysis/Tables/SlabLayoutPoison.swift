// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The fill bytes and magic words the slab allocators write, and what finding them means.
///
/// include/linux/poison.h (2.6.32, 6.6); see `../shared/reference/slab-layouts.md` §5.
public enum SlabPoison {
    /// POISON_INUSE: SLAB's uninitialised object fill, SLUB's slab padding.
    public static let inUse: UInt8 = 0x5a
    /// POISON_FREE: the body of a freed object.
    public static let free: UInt8 = 0x6b
    /// POISON_END: the last byte of a poisoned object.
    public static let end: UInt8 = 0xa5
    /// SLUB_RED_INACTIVE: SLUB's red zone while the object is free.
    public static let redInactive: UInt8 = 0xbb
    /// SLUB_RED_ACTIVE: SLUB's red zone while the object is allocated.
    public static let redActive: UInt8 = 0xcc
    /// SLAB's 64-bit red zone words, free and allocated.
    public static let slabRedInactive: UInt64 = 0x09F9_1102_9D74_E35B
    public static let slabRedActive: UInt64 = 0xD841_56C5_6356_88C0

    /// What a fill byte is, for people.
    public static func name(of byte: UInt8) -> String? {
        switch byte {
        case inUse: "POISON_INUSE (0x5a)"
        case free: "POISON_FREE (0x6b)"
        case end: "POISON_END (0xa5)"
        case redInactive: "SLUB_RED_INACTIVE (0xbb)"
        case redActive: "SLUB_RED_ACTIVE (0xcc)"
        default: nil
        }
    }
}
