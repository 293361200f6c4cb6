// docs/diagnostics.md explains every warning and error code the engine and the service can report: each code
// written as `code: "…"` in Sources has its own section, and no section is for a code that no longer exists.
import Foundation
import Testing
@testable import Service

struct DiagnosticsDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The codes of warnings (ConfigWarning, TrainingWarning, JobWarning) and of a job's failures.
    static func reportedCodes() throws -> Set<String> {
        let folders = ["Sources/Engine", "Sources/Service", "Sources/mnistd"].map { root.appendingPathComponent($0) }
        let pattern = try NSRegularExpression(pattern: #"(?:Warning|JobFailure)\(code: "([a-z_]+)""#)
        var codes: Set<String> = []
        for folder in folders {
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
            for case let file as URL in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    codes.insert(String(text[Range(match.range(at: 1), in: text)!]))
                }
            }
        }
        return codes
    }

    @Test func warningsAndErrors_carryTheirDocsAnchor() {
        let warning = JobWarning(code: "dead_relu", message: "m", layer: 1, iteration: 50).json
        #expect(warning["docs"] == .string("docs/diagnostics.md#dead_relu"))
        var job = Job(id: "j", name: "n", config: [:], createdAt: Date(timeIntervalSince1970: 0))
        job.error = JobFailure(code: "diverged", message: "m", iteration: 3)
        #expect(job.json["error"]?["docs"] == .string("docs/diagnostics.md#diverged"))
    }

    @Test func everyReportedCode_hasItsSection() throws {
        let docs = try String(contentsOf: Self.root.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
        // A heading "## code" or "### code" that is exactly the code, so that the API's `docs` anchor finds it.
        let lines = docs.split(separator: "\n")
        let sections = Set(lines.compactMap { line -> String? in
            guard line.hasPrefix("## ") || line.hasPrefix("### ") else { return nil }
            return String(line.drop { $0 == "#" }.dropFirst())
        })
        let codes = try Self.reportedCodes()
        #expect(codes.count >= 12, "found only \(codes.sorted())")
        #expect(codes.subtracting(sections).isEmpty, "codes without a section: \(codes.subtracting(sections).sorted())")
        let stale = sections.filter { !$0.contains(" ") }.subtracting(codes)
        #expect(stale.isEmpty, "sections for codes nothing reports: \(stale.sorted())")
    }
}
