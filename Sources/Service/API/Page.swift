// The dashboard page (index.html, style.css and one ES module per panel), read once from the Service resource
// bundle, which SwiftPM puts beside the executable as `mnistd_Service.resources` (in its "Resources" folder).
import Foundation
import HTTP

/// The page's files in memory, by name.
struct Page: Sendable {
    static let names = ["index.html", "style.css", "main.js", "dom.js", "api.js", "schema.js", "widgets.js", "form.js",
                        "jobs.js", "plot.js", "poll.js", "chart.js", "charts.js", "layers.js", "models.js", "draw.js",
                        "evaluation.js", "confusion.js", "experiments.js", "sweep.js"]
    /// The files besides the page itself, each served at /<name> (GET / serves index.html).
    static var assets: [String] { names.filter { $0 != "index.html" } }
    let files: [String: Data]

    /// Reads every file; a missing one is left out (its route then answers 503).
    static func load() -> Page {
        var files: [String: Data] = [:]
        for name in names {
            let url = URL(fileURLWithPath: name)
            let base = url.deletingPathExtension().lastPathComponent, ext = url.pathExtension
            let found = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Resources")
                ?? Bundle.module.url(forResource: base, withExtension: ext)
            if let found, let data = try? Data(contentsOf: found) { files[name] = data }
        }
        return Page(files: files)
    }

    /// The file as a response with its content type.
    func response(_ name: String) throws -> Response {
        guard let data = files[name] else {
            throw APIError.unavailable("the page file \(name) is missing from the mnistd_Service.resources bundle")
        }
        let type = name.hasSuffix(".html") ? "text/html; charset=utf-8"
            : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8"
        return Response(status: 200, headers: ["Content-Type": type, "Cache-Control": "no-cache"], body: data)
    }
}
