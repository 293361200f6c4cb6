// The startup CPU check: a host without the build's instruction sets gets a message telling it to rebuild
// generically; a host with them passes.
import Foundation
import Testing
@testable import Engine

let required = ["avx", "avx2", "fma", "bmi2"]

/// Writes a cpuinfo file with the given flags line to a fresh temporary path and runs the check on it.
func checkCPUInfo(flags: String) throws -> String? {
    let text = "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: \(flags)\n\nprocessor\t: 1\nflags\t\t: \(flags)\n"
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cpuinfo-\(UUID().uuidString)")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return url.path.withCString { CPUSupport.check(cpuinfo: $0, required: required) }
}

@Test func check_namesMissingFlagsAndTheGenericRebuild() throws {
    let message = try checkCPUInfo(flags: "fpu vme sse sse2 ssse3 sse4_1 sse4_2 avx popcnt")
    #expect(message?.contains("lacks avx2, fma, bmi2.") == true)
    #expect(message?.contains("MNISTD_TARGET_CPU=generic") == true)
}

@Test func check_acceptsAHostWithEveryFlag() throws {
    #expect(try checkCPUInfo(flags: "fpu sse2 avx avx2 bmi1 bmi2 fma popcnt") == nil)
}

@Test func check_matchesWholeFlagsOnly() throws {
    // "avx512f" contains "avx" and "fma4" contains "fma": neither may count for the plain flag.
    let message = try checkCPUInfo(flags: "sse2 avx512f avx2 fma4 bmi2")
    #expect(message?.contains("lacks avx, fma.") == true)
}

@Test func check_passesOnThisMachine() {
    // The tests themselves run the compiled kernels, so this host necessarily has what the build needs.
    #expect(CPUSupport.check() == nil)
}
