// How to run this program again, as a user can type it: after `swift run` there is no `mnistd` on PATH, so
// messages that say "run mnistd fetch-data …" would not work as typed.
import Foundation

enum SelfCommand {
    /// `mnistd` when PATH finds this same executable, else its absolute path (quoted when it has spaces).
    static let text: String = {
        let me = executable
        let onPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { directory in
            resolved(String(directory) + "/mnistd") == me
        }
        if onPath || me.isEmpty { return "mnistd" }
        return me.contains(" ") ? "'\(me)'" : me
    }()

    /// This process's executable, symlinks resolved.
    private static var executable: String { resolved("/proc/self/exe") ?? resolved(CommandLine.arguments[0]) ?? "" }

    private static func resolved(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }
}
