// swift-tools-version: 6.2
//
// ksleuth — reads Linux kernel logs and explains crashes and out-of-memory events.
//
// Targets are listed in the order data flows through them:
//
//     bytes → lines → events → findings → reports → commands
//
// and each target depends only on targets above it.

import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "ksleuth",
    products: [
        .executable(name: "ksleuth", targets: ["ksleuth"]),
        .library(name: "KsleuthInput", targets: ["KsleuthInput"]),
        .library(name: "KsleuthEvents", targets: ["KsleuthEvents"]),
        .library(name: "KsleuthAnalysis", targets: ["KsleuthAnalysis"]),
        .library(name: "KsleuthReports", targets: ["KsleuthReports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // MARK: - C libraries (system packages installed by the Makefile and .ci/run)

        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZMA", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // MARK: - patterns: the only Swift face of PCRE2, and the literal prefilter

        .target(name: "KsleuthPatterns", dependencies: ["CPCRE2"]),

        // MARK: - bytes → lines

        .target(name: "KsleuthInput", dependencies: ["CZlib", "CLZMA", "CZstd"]),

        // MARK: - lines → events

        .target(name: "KsleuthEvents", dependencies: ["KsleuthInput", "KsleuthPatterns"]),

        // MARK: - symbols: System.map, kallsyms, ELF and DWARF

        .target(name: "KsleuthSymbols", dependencies: ["CZlib", "CZstd", "KsleuthInput"]),

        // MARK: - events → findings

        .target(
            name: "KsleuthAnalysis",
            dependencies: ["KsleuthEvents", "KsleuthInput", "KsleuthPatterns", "KsleuthSymbols"]
        ),

        // MARK: - findings → signature matches

        .target(
            name: "KsleuthSignatures",
            dependencies: [
                "KsleuthAnalysis", "KsleuthEvents", "KsleuthInput", "KsleuthPatterns",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // MARK: - findings → reports

        .target(name: "KsleuthReports", dependencies: ["KsleuthAnalysis", "KsleuthEvents", "KsleuthInput"]),

        // MARK: - the command line

        .target(
            name: "KsleuthCommands",
            dependencies: [
                "KsleuthReports", "KsleuthAnalysis", "KsleuthEvents", "KsleuthInput", "KsleuthSignatures",
                "KsleuthSymbols", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "ksleuth", dependencies: ["KsleuthCommands"]),

        // MARK: - tests

        .target(
            name: "KsleuthTestSupport",
            dependencies: ["KsleuthInput", "KsleuthEvents", "KsleuthAnalysis"],
            path: "Tests/KsleuthTestSupport"
        ),
        .testTarget(name: "KsleuthPatternsTests", dependencies: ["KsleuthPatterns"]),
        .testTarget(name: "KsleuthInputTests", dependencies: ["KsleuthInput", "KsleuthTestSupport"]),
        .testTarget(
            name: "KsleuthEventsTests", dependencies: ["KsleuthEvents", "KsleuthAnalysis", "KsleuthTestSupport"]),
        .testTarget(
            name: "KsleuthAnalysisTests", dependencies: ["KsleuthAnalysis", "KsleuthEvents", "KsleuthTestSupport"]),
        .testTarget(
            name: "KsleuthReportsTests",
            dependencies: [
                "KsleuthReports", "KsleuthAnalysis", "KsleuthInput", "KsleuthSignatures", "KsleuthTestSupport",
            ]),
        .testTarget(
            name: "KsleuthSignaturesTests",
            dependencies: ["KsleuthSignatures", "KsleuthAnalysis", "KsleuthEvents", "KsleuthTestSupport"],
            exclude: ["Invalid"]
        ),
        .testTarget(name: "KsleuthSymbolsTests", dependencies: ["KsleuthSymbols", "KsleuthInput"]),
        .testTarget(
            name: "KsleuthCommandsTests",
            dependencies: ["KsleuthTestSupport", "ksleuth"]
        ),
        .testTarget(
            name: "KsleuthCorpusTests",
            dependencies: ["KsleuthReports", "KsleuthAnalysis", "KsleuthEvents", "KsleuthInput", "KsleuthTestSupport"]),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
