// The startup CPU check: a host without AVX2/FMA gets a message telling it to rebuild generically.
import Testing
@testable import Engine

let oldCPU = """
processor\t: 0
model name\t: Intel(R) Xeon(R) CPU E5-2670
flags\t\t: fpu vme sse sse2 ssse3 sse4_1 sse4_2 avx popcnt
"""

@Test func check_namesMissingFlagsAndTheGenericRebuild() {
    let message = CPUSupport.check(cpuinfoText: oldCPU, required: ["avx", "avx2", "fma"])
    #expect(message?.contains("avx2, fma") == true)
    #expect(message?.contains("MNISTD_TARGET_CPU=generic") == true)
}

@Test func check_acceptsAHostWithEveryFlag() {
    let modern = oldCPU.replacingOccurrences(of: "avx popcnt", with: "avx avx2 fma popcnt")
    #expect(CPUSupport.check(cpuinfoText: modern, required: ["avx", "avx2", "fma"]) == nil)
}

@Test func check_passesOnThisMachine() {
    // The tests themselves run the compiled kernels, so this host necessarily has what the build needs.
    #expect(CPUSupport.check() == nil)
}
