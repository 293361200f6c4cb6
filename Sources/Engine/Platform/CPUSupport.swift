// Startup check that this CPU can run the instructions the engine was compiled for: a haswell or AVX-512 build
// on a CPU without them would die of SIGILL, so the executable asks first and explains instead.
import Glibc

/// Which instruction-set extensions this build requires and whether the host has them.
public enum CPUSupport {
    /// The x86_64 feature flags (as /proc/cpuinfo names them) the compiled kernels use.
    public static var requiredFlags: [String] {
        #if MNISTD_AVX512 && arch(x86_64)
        return ["avx", "avx2", "fma", "bmi2", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        #elseif MNISTD_FMA && arch(x86_64)
        return ["avx", "avx2", "fma", "bmi2"]
        #else
        return []
        #endif
    }

    /// nil when the host can run this build; otherwise a message naming the missing flags and the fix.
    /// Call it first thing in main: the linker shares generic specialisations between modules, so even
    /// the executable's own dictionary lookups may run code compiled for the engine's target CPU.
    /// Reads /proc/cpuinfo (or the file `MNISTD_CPUINFO` names, to try the message out); where that file
    /// cannot be read it assumes the build matches the host.
    // Not optimised, and written with raw pointers and C calls only: generic or vectorised code here could
    // itself use the instructions being checked for.
    @_optimize(none)
    public static func check() -> String? {
        #if (MNISTD_FMA || MNISTD_AVX512) && arch(x86_64)
        if let path = getenv("MNISTD_CPUINFO") { return check(cpuinfo: path, required: requiredFlags) }
        return check(cpuinfo: "/proc/cpuinfo", required: requiredFlags)
        #else
        return nil
        #endif
    }

    /// The check against the cpuinfo file at `path`: nil when its first `flags` line has every required flag.
    @_optimize(none)
    static func check(cpuinfo path: UnsafePointer<CChar>, required: [String]) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        let capacity: Int32 = 1 << 16
        let line = UnsafeMutablePointer<CChar>.allocate(capacity: Int(capacity))
        defer { line.deallocate() }
        while fgets(line, capacity, file) != nil {
            guard strncmp(line, "flags", 5) == 0 else { continue }
            return missingFlagsMessage(flagsLine: line, required: required)
        }
        return nil
    }

    @_optimize(none)
    private static func missingFlagsMessage(flagsLine line: UnsafeMutablePointer<CChar>, required: [String]) -> String? {
        var missing: [String] = []
        for flag in required where !contains(line, word: flag) { missing.append(flag) }
        guard !missing.isEmpty else { return nil }
        return message(required: required, missing: missing)
    }

    /// Whether the space-separated `line` holds `word` as a whole word.
    @_optimize(none)
    private static func contains(_ line: UnsafeMutablePointer<CChar>, word: String) -> Bool {
        word.withCString { needle in
            let length = strlen(needle)
            var cursor = UnsafeMutablePointer<CChar>(mutating: line)
            while let hit = strstr(cursor, needle) {
                let before = hit == line ? CChar(32) : hit[-1]
                let after = hit[length]
                let isSeparator: (CChar) -> Bool = { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 0 || $0 == 58 }
                if isSeparator(before) && isSeparator(after) { return true }
                cursor = hit + 1
            }
            return false
        }
    }

    private static func message(required: [String], missing: [String]) -> String {
        "this mnistd was built for CPUs with " + required.joined(separator: "/") + ", but this CPU lacks "
            + missing.joined(separator: ", ") + ". Rebuild a portable binary with "
            + "MNISTD_TARGET_CPU=generic swift build -c release (or MNISTD_TARGET_CPU=haswell where AVX2 and FMA exist)"
    }
}
