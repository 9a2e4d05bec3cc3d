// swift-tools-version: 6.0
import PackageDescription

// Layers, lowest first. Each library is one layer; dependencies point down only.
//   O2CCore      exact decimals, money, dates, values, JSON, diagnostics   (no dependencies)
//   O2CExpr      the expression language: parse, type-check, evaluate     → Core
//   O2CModel     the Sendable model of workflows, tables, ladders, policy  → Expr
//   O2CLoader    YAML files → model + diagnostics (Yams.compose)           → Model, Yams, Crypto
//   O2CEngine    the pure interpreter and decision-table evaluator         → Model
//   O2CSim       virtual-clock driver, scenario tests, simulation          → Engine, Loader
//   O2CStore     SQLite persistence behind one facade (GRDB)               → Core, GRDB, Crypto
//   O2CRuntime   runner, clock, action handlers: the imperative shell      → Engine, Loader, Store, Logging, Mustache
//   o2c          the command-line interface                                → Runtime, ArgumentParser
let package = Package(
    name: "o2c",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "o2c", targets: ["o2c"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .target(name: "O2CCore"),
        .target(name: "O2CExpr", dependencies: ["O2CCore"]),
        .target(name: "O2CModel", dependencies: ["O2CCore", "O2CExpr"]),
        .target(name: "O2CLoader", dependencies: [
            "O2CModel", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "O2CEngine", dependencies: ["O2CModel"]),
        .target(name: "O2CSim", dependencies: ["O2CEngine", "O2CLoader"]),
        .target(name: "O2CStore", dependencies: [
            "O2CCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "O2CRuntime", dependencies: [
            "O2CEngine", "O2CLoader", "O2CStore", "O2CSim", .product(name: "Logging", package: "swift-log"),
            .product(name: "Mustache", package: "swift-mustache"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "o2c", dependencies: [
            "O2CRuntime", "O2CSim", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "o2c-bench", dependencies: ["O2CRuntime", "O2CSim", "O2CStore", "O2CEngine", "O2CLoader"], path: "Benchmarks/o2c-bench"),
        .executableTarget(name: "o2c-crash", dependencies: ["O2CRuntime"], path: "Reliability/o2c-crash"),
        .testTarget(name: "O2CCoreTests", dependencies: ["O2CCore"]),
        .testTarget(name: "O2CExprTests", dependencies: ["O2CExpr"]),
        .testTarget(name: "O2CLoaderTests", dependencies: ["O2CLoader"], resources: [.copy("Fixtures")]),
        .testTarget(name: "O2CEngineTests", dependencies: ["O2CEngine", "O2CLoader"]),
        .testTarget(name: "O2CStoreTests", dependencies: ["O2CStore"]),
        .testTarget(name: "O2CSimTests", dependencies: ["O2CSim", "O2CLoader"]),
        .testTarget(name: "O2CRuntimeTests", dependencies: ["O2CRuntime"]),
        .testTarget(name: "O2CCLITests", dependencies: ["O2CRuntime", "o2c"]),
    ],
    swiftLanguageModes: [.v6]
)
