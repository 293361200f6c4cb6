// Where each warning and error code is explained: docs/diagnostics.md has one heading per code, so the
// code is its anchor. Every warning and error in the API carries this reference as `docs`.
enum DiagnosticsDocs {
    static let file = "docs/diagnostics.md"

    static func reference(_ code: String) -> String { "\(file)#\(code)" }
}
