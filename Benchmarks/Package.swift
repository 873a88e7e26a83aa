// swift-tools-version:6.1
import PackageDescription

/// Benchmarks of Concord's domain and storage hot paths (package-benchmark). Run from this folder:
/// `swift package --allow-writing-to-package-directory benchmark` (release build, SQLite in a temporary folder).
let package = Package(
    name: "ConcordBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "concord", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    ],
    targets: [
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ConcordDomain", package: "concord"),
                .product(name: "ConcordStorage", package: "concord"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Benchmarks/HotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
