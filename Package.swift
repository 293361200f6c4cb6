// swift-tools-version:6.0
// mnistd: an MNIST training service. No package dependencies: Foundation, Dispatch, Glibc and the system zlib.
import PackageDescription
import Foundation

// MARK: - Build settings

/// The engine's kernels are built for the host's vector unit. On x86_64 the default is `haswell`
/// (AVX2 + FMA, about 2x on the gemm kernel); `MNISTD_TARGET_CPU=generic` (or any other name the compiler
/// accepts) builds a portable binary. Other architectures (arm64) build with the compiler's defaults.
let environment = ProcessInfo.processInfo.environment
#if arch(x86_64)
let defaultTargetCPU = "haswell"
#else
let defaultTargetCPU = ""
#endif
let targetCPU = environment["MNISTD_TARGET_CPU"] ?? defaultTargetCPU
let cpuFlags: [String] = (targetCPU.isEmpty || targetCPU == "generic") ? [] : ["-target-cpu", targetCPU]
/// A target CPU with AVX2 + FMA (haswell and later) defines MNISTD_FMA: the kernels then use fused multiply-adds
/// and the executable checks the host's flags at startup (CPUSupport). arm64 always has FMA.
let cpusWithoutFMA: Set<String> = ["x86-64", "core2", "nehalem", "westmere", "sandybridge", "ivybridge", "btver2"]
let fmaDefines: [SwiftSetting] =
    (cpuFlags.isEmpty || cpusWithoutFMA.contains(targetCPU)) ? [] : [.define("MNISTD_FMA")]

/// The engine alone is compiled with -Ounchecked in release builds: its kernels check sizes once with
/// preconditions at their entry, and per-element bounds checks cost throughput in the inner loops.
/// `MNISTD_ENGINE_OPT=-O` builds it with the checked optimiser instead (to measure what -Ounchecked buys).
let engineOptimization = environment["MNISTD_ENGINE_OPT"] ?? "-Ounchecked"
let engineSettings: [SwiftSetting] = [
    .unsafeFlags([engineOptimization] + cpuFlags, .when(configuration: .release)),
    .unsafeFlags(cpuFlags, .when(configuration: .debug)),
] + fmaDefines

let package = Package(
    name: "mnistd",
    products: [
        .executable(name: "mnistd", targets: ["mnistd"]),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),

        // MARK: - Libraries (Engine, IDX and HTTP know nothing of each other)
        .target(name: "IDX", dependencies: ["CZlib"]),
        .target(name: "Engine", swiftSettings: engineSettings),
        .target(name: "HTTP"),
        .target(name: "Service", dependencies: ["IDX", "Engine", "HTTP", "CZlib"],
                resources: [.copy("Resources")]),

        // MARK: - Executable
        .executableTarget(name: "mnistd", dependencies: ["Service", "IDX", "Engine", "HTTP"]),

        // MARK: - Tests
        .testTarget(name: "IDXTests", dependencies: ["IDX"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "IDX"], exclude: ["Fixtures"], swiftSettings: engineSettings),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"]),
        .testTarget(name: "ServiceTests", dependencies: ["Service", "IDX", "Engine", "HTTP"]),
    ],
    swiftLanguageModes: [.v5]
)
