// Whether python3 here can import some modules: the tests that check against onnxruntime, safetensors or
// openapi-spec-validator are enabled by it, and say which modules they need when they skip.
import Foundation

/// True when `python3 -c "import <modules>"` succeeds.
public func pythonCanImport(_ modules: String) -> Bool {
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = ["python3", "-c", "import \(modules)"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return false }
    probe.waitUntilExit()
    return probe.terminationStatus == 0
}
