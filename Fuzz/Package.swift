// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for the hostile-input surfaces of o2c (docs/reliability.md):
//   FuzzYAML  arbitrary bytes as a library file → LibraryLoader.load
//   FuzzExpr  arbitrary bytes as an expression  → Expression.compile (+ evaluate when it compiles)
//
// A separate package so the main build never sees a target without `main`. The main package
// exports no library products, so Sources/O2CCore… here are symlinks to ../Sources/…: the very
// same files, compiled with the fuzzer and address sanitizer.
//
//   cd Fuzz && swift build --sanitize fuzzer --sanitize address --product FuzzYAML --scratch-path ../.build-fuzz
//   ../.build-fuzz/debug/FuzzYAML -max_total_time=60 -timeout=5 corpus/yaml
let package = Package(
    name: "o2c-fuzz",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "FuzzYAML", targets: ["FuzzYAML"]),
        .executable(name: "FuzzExpr", targets: ["FuzzExpr"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(name: "O2CCore"),
        .target(name: "O2CExpr", dependencies: ["O2CCore"]),
        .target(name: "O2CModel", dependencies: ["O2CCore", "O2CExpr"]),
        .target(name: "O2CLoader", dependencies: [
            "O2CModel", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "FuzzYAML", dependencies: ["O2CLoader"]),
        .executableTarget(name: "FuzzExpr", dependencies: ["O2CExpr"]),
    ],
    swiftLanguageModes: [.v6]
)
