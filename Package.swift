// swift-tools-version:6.0
// mnistd: an MNIST training service. No package dependencies: Foundation, Dispatch, Glibc and the system zlib.
import PackageDescription
import Foundation

// MARK: - Build settings

/// The engine's kernels are built for the host's vector unit. On x86_64 the default is `haswell` (AVX2 + FMA,
/// about 2x on the gemm kernel over generic), or `skylake-avx512` when the building machine has AVX-512
/// (F/CD/BW/DQ/VL: Skylake-X and later, Zen 4 and later), which selects the 12×32 SIMD16 kernel, about 2x again
/// on cores with full-width 512-bit FMA units. `MNISTD_TARGET_CPU=generic` (or any other name the compiler
/// accepts, e.g. `haswell`) overrides. Other architectures (arm64) build with the compiler's defaults.
let environment = ProcessInfo.processInfo.environment
#if arch(x86_64)
let hostFlags: Set<Substring> = {
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
    return Set(line.split(separator: " "))
}()
let avx512Flags: Set<Substring> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
let defaultTargetCPU = avx512Flags.isSubset(of: hostFlags) ? "skylake-avx512" : "haswell"
#else
let defaultTargetCPU = ""
#endif
// Set but empty (as a Docker ARG with an empty default is) means the default too.
let targetCPU = environment["MNISTD_TARGET_CPU"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultTargetCPU
let cpuFlags: [String] = (targetCPU.isEmpty || targetCPU == "generic") ? [] : ["-target-cpu", targetCPU]
/// A target CPU with AVX2 + FMA (haswell and later) defines MNISTD_FMA: the kernels then use fused multiply-adds
/// and the executable checks the host's flags at startup (CPUSupport). arm64 always has FMA. An AVX-512 target
/// also defines MNISTD_AVX512.
let cpusWithoutFMA: Set<String> = ["x86-64", "core2", "nehalem", "westmere", "sandybridge", "ivybridge", "btver2"]
let cpusWithAVX512: Set<String> = [
    "skylake-avx512", "cascadelake", "cooperlake", "cannonlake", "icelake-client", "icelake-server", "tigerlake",
    "sapphirerapids", "emeraldrapids", "graniterapids", "znver4", "znver5",
]
let fmaDefines: [SwiftSetting] =
    (cpuFlags.isEmpty || cpusWithoutFMA.contains(targetCPU)) ? [] : [.define("MNISTD_FMA")]
let avx512Defines: [SwiftSetting] = cpusWithAVX512.contains(targetCPU) ? [.define("MNISTD_AVX512")] : []

/// The engine alone is compiled with -Ounchecked in release builds: its kernels check sizes once with
/// preconditions at their entry, and per-element bounds checks cost throughput in the inner loops.
/// `MNISTD_ENGINE_OPT=-O` builds it with the checked optimiser instead (to measure what -Ounchecked buys).
let engineOptimization = environment["MNISTD_ENGINE_OPT"] ?? "-Ounchecked"
let engineSettings: [SwiftSetting] = [
    .unsafeFlags([engineOptimization] + cpuFlags, .when(configuration: .release)),
    .unsafeFlags(cpuFlags, .when(configuration: .debug)),
] + fmaDefines + avx512Defines

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

        // MARK: - Tests (TestSupport: the seeded generator and the MNIST location every test target uses)
        .target(name: "TestSupport", dependencies: ["IDX"], path: "Tests/TestSupport"),
        .testTarget(name: "IDXTests", dependencies: ["IDX", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "IDX", "TestSupport"], exclude: ["Fixtures"],
                    swiftSettings: engineSettings),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
        .testTarget(name: "ServiceTests", dependencies: ["Service", "IDX", "Engine", "HTTP", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
