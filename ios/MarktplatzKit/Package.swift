// swift-tools-version:5.9
// MarktplatzKit: the Rust core for iOS. `scripts/build-ios.sh` (macOS + Xcode) produces
// MarktplatzFFI.xcframework (static libraries + C header) and Sources/MarktplatzFFI/MarktplatzFFI.swift
// (uniffi-generated); both are build outputs, not committed.
import PackageDescription

let package = Package(
    name: "MarktplatzKit",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "MarktplatzKit", targets: ["MarktplatzKit"]),
    ],
    targets: [
        // The Rust library and its C header module (MarktplatzFFIFFI).
        .binaryTarget(name: "MarktplatzFFIFFI", path: "MarktplatzFFI.xcframework"),
        // The uniffi-generated Swift over that header.
        .target(name: "MarktplatzFFI", dependencies: ["MarktplatzFFIFFI"], path: "Sources/MarktplatzFFI"),
        // The idiomatic layer the app uses: async/await and AsyncStream.
        .target(name: "MarktplatzKit", dependencies: ["MarktplatzFFI"], path: "Sources/MarktplatzKit"),
        .testTarget(name: "MarktplatzKitTests", dependencies: ["MarktplatzKit"], path: "Tests/MarktplatzKitTests"),
    ]
)
