// Startup check that this CPU can run the instructions the engine was compiled for: a haswell build on a CPU
// without AVX2/FMA would die of SIGILL in the first gemm, so the executable asks first and explains instead.
import Foundation

/// Which instruction-set extensions this build requires and whether the host has them.
public enum CPUSupport {
    /// The x86_64 feature flags (as /proc/cpuinfo names them) the compiled kernels use.
    public static var requiredFlags: [String] {
        #if MNISTD_AVX512 && arch(x86_64)
        return ["avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        #elseif MNISTD_FMA && arch(x86_64)
        return ["avx", "avx2", "fma"]
        #else
        return []
        #endif
    }

    /// nil when the host can run this build; otherwise a message naming the missing flags and the fix.
    /// Reads /proc/cpuinfo; where that file is absent (not Linux) it assumes the build matches the host.
    public static func check(cpuinfo path: String = "/proc/cpuinfo") -> String? {
        let required = requiredFlags
        guard !required.isEmpty, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return check(cpuinfoText: text, required: required)
    }

    /// The check itself, on the text of a /proc/cpuinfo file.
    static func check(cpuinfoText text: String, required: [String]) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        let missing = required.filter { !flags.contains($0) }
        guard !missing.isEmpty else { return nil }
        return "this mnistd was built for CPUs with \(required.joined(separator: "/")), "
            + "but this CPU lacks \(missing.joined(separator: ", ")). Rebuild a portable binary with "
            + "MNISTD_TARGET_CPU=generic swift build -c release (or MNISTD_TARGET_CPU=haswell where AVX2 and FMA exist)"
    }
}
