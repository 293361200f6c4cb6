// The service's routes as one table: each registers on the HTTP router with errors mapped to the API's
// JSON shape, and is remembered by its OpenAPI path ("/jobs/{id}") for the metrics labels and the test
// that keeps /openapi.json equal to what is served.
import Foundation
import HTTP

/// The routes registered so far, and the router that serves them.
final class RouteTable: @unchecked Sendable {
    let router = Router()
    /// (method, OpenAPI-style path) of every route, in registration order.
    private(set) var entries: [(method: HTTPMethod, path: String)] = []
    private var segments: [(method: HTTPMethod, path: String, parts: [Substring])] = []

    /// Registers `handler` for `method` on `pattern` (`:name` parameters); thrown errors become JSON errors.
    /// `inline`: quick and never waiting, so the server answers it on its loop thread (see `Router.add`).
    func add(_ method: HTTPMethod, _ pattern: String, inline: Bool = false,
             _ handler: @escaping (Request) throws -> Response) {
        let path = pattern.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
        let openAPIPath = "/" + path.joined(separator: "/")
        entries.append((method, openAPIPath))
        segments.append((method, openAPIPath, openAPIPath.split(separator: "/")))
        router.add(method, pattern, inline: inline) { request in
            do {
                return try handler(request)
            } catch {
                return APIError(error).response
            }
        }
    }

    /// The OpenAPI path of the route serving `path` (any method), or "unmatched" — a bounded label set.
    func label(for path: String) -> String {
        let parts = path.split(separator: "/")
        var best: (path: String, literals: Int)?
        for entry in segments where entry.parts.count == parts.count {
            var literals = 0
            let matches = zip(entry.parts, parts).allSatisfy { pattern, part in
                if pattern.hasPrefix("{") { return true }
                literals += 1
                return pattern == part
            }
            if matches && literals > (best?.literals ?? -1) { best = (entry.path, literals) }
        }
        return best?.path ?? "unmatched"
    }
}
