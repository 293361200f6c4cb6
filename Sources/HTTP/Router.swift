// Routes requests by method and path pattern ("/jobs/:id/history", "/static/*") to synchronous handlers;
// answers 404, 405 with Allow, OPTIONS and CORS itself. `handle(_:)` never throws, so it is testable in-process.
import Foundation

/// A table of routes. Register everything before the server starts; handling is then read-only and thread-safe.
public final class Router: @unchecked Sendable {
    /// A route handler; it runs on a worker queue, may block briefly, and may throw (`HTTPError` → its status,
    /// anything else → 500).
    public typealias Handler = (Request) throws -> Response
    /// Wraps every request, including 404/405 answers; call `next` to continue (auth, metrics, logging).
    public typealias Middleware = (Request, _ next: (Request) -> Response) -> Response

    struct Route {
        let method: HTTPMethod
        let pattern: RoutePattern
        let inline: Bool
        let handler: Handler
    }

    /// A route whose pattern matched, with the parameters it bound (a nominal type: no tuple metadata per request).
    fileprivate struct Match {
        let route: Route
        let parameters: [String: String]
    }

    private(set) var routes: [Route] = []
    private var middlewares: [Middleware] = []
    /// CORS headers for browsers on other origins; nil (the default) sends none.
    public var cors: CORS?

    public init() {}

    public func get(_ pattern: String, inline: Bool = false, _ handler: @escaping Handler) {
        add(.get, pattern, inline: inline, handler)
    }
    public func post(_ pattern: String, _ handler: @escaping Handler) { add(.post, pattern, handler) }
    public func put(_ pattern: String, _ handler: @escaping Handler) { add(.put, pattern, handler) }
    public func patch(_ pattern: String, _ handler: @escaping Handler) { add(.patch, pattern, handler) }
    public func delete(_ pattern: String, _ handler: @escaping Handler) { add(.delete, pattern, handler) }

    /// Registers `handler` for `method` on `pattern`: literal segments, `:name` parameters, a final `*`.
    ///
    /// `inline: true` promises the handler is quick and never waits (no disk, no sleeping, no long lock, no
    /// heavy computing, a small body): the server then runs it on its event-loop thread and answers without
    /// handing the request to a worker. Everything else runs on a worker lane, so a slow handler never
    /// stalls the loop and inline routes (a health check, say) still answer while every lane is busy.
    public func add(_ method: HTTPMethod, _ pattern: String, inline: Bool = false, _ handler: @escaping Handler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), inline: inline, handler: handler))
    }

    /// Serves `files` for GET and HEAD under `prefix` ("/" serves the site root, "index.html" for directories).
    /// Files held in memory are served inline; those read from a directory on a worker.
    public func files(_ prefix: String, _ files: StaticFiles) {
        let pattern = prefix.hasSuffix("/") ? prefix + "*" : prefix + "/*"
        get(pattern, inline: files.isInMemory) { request in
            guard let response = files.response(for: request.pathParameters["*"] ?? "") else {
                throw HTTPError.notFound("No file at \(request.path).")
            }
            return response
        }
    }

    /// Adds a middleware; the first added is the outermost.
    public func use(_ middleware: @escaping Middleware) {
        middlewares.append(middleware)
    }

    /// Answers `request`: the matching handler's response, or the JSON error it deserves. HEAD runs GET.
    public func handle(_ request: Request) -> Response {
        handle(request, selection: nil)
    }

    /// The same, reusing the route `select(_:)` found for this request (the connection asked whether it runs
    /// inline); a middleware that rewrites the method or path gets its rewritten request routed afresh.
    func handle(_ request: Request, selection: Selection?) -> Response {
        var response: Response
        if middlewares.isEmpty {
            response = dispatch(request, selection)
        } else {
            var chain: (Request) -> Response = { [unowned self] in self.dispatch($0, selection) }
            for middleware in middlewares.reversed() {
                let next = chain
                chain = { middleware($0, next) }
            }
            response = chain(request)
        }
        if let cors, request.headers.contains("Origin") { cors.decorate(&response, for: request) }
        return response
    }

    /// Where a request goes, found once: the most specific patterns that match its path, and the route among
    /// them that serves its method (HEAD falls back to GET).
    struct Selection {
        fileprivate let method: HTTPMethod
        fileprivate let path: String
        /// False for a path with a malformed percent-escape.
        fileprivate let pathIsValid: Bool
        fileprivate let best: Match?
        fileprivate let candidates: [Match]

        /// Whether the request may be answered on the event-loop thread: its route was registered `inline`,
        /// or no route takes it (404, 405, OPTIONS and a bad escape are answered by the router itself).
        /// Middlewares run either way, so they must be quick too.
        var runsInline: Bool { best?.route.inline ?? true }
    }

    /// Finds where `request` goes.
    func select(_ request: Request) -> Selection {
        guard let segments = RoutePattern.segments(of: request.path) else {
            return Selection(method: request.method, path: request.path, pathIsValid: false, best: nil, candidates: [])
        }
        let matching = routes.compactMap { route in
            route.pattern.match(segments).map { Match(route: route, parameters: $0) }
        }
        // A literal segment names its own resource: `/experiments/sweep` is not also `/experiments/:id`, so a
        // GET there is a 405 listing only what the literal route takes, as the OpenAPI document says.
        let candidates = matching.filter { match in
            !matching.contains { $0.route.pattern.precedes(match.route.pattern) }
        }
        let wanted: HTTPMethod = request.method == .head && !candidates.contains { $0.route.method == .head }
            ? .get : request.method
        let best = candidates.filter { $0.route.method == wanted }.min { $0.route.pattern.precedes($1.route.pattern) }
        return Selection(method: request.method, path: request.path, pathIsValid: true, best: best,
                         candidates: candidates)
    }

    /// `select(request).runsInline`.
    func runsInline(_ request: Request) -> Bool { select(request).runsInline }

    private func dispatch(_ request: Request, _ selection: Selection?) -> Response {
        let found = selection.flatMap { $0.method == request.method && $0.path == request.path ? $0 : nil }
            ?? select(request)
        guard found.pathIsValid else {
            return HTTPError.badRequest("invalid_path", "The path has a malformed percent-escape.").response
        }
        let candidates = found.candidates
        guard !candidates.isEmpty else {
            return HTTPError.notFound("No route for \(request.method) \(request.path).").response
        }
        guard let best = found.best else {
            let allowed = Self.allowed(candidates.map(\.route.method))
            if request.method == .options {
                if let cors, request.headers.contains("Origin") { return cors.preflight(request, allowed: allowed) }
                return Response(status: 204, headers: ["Allow": allowed.map(\.rawValue).joined(separator: ", ")])
            }
            return HTTPError.methodNotAllowed(request.method, allowed: allowed).response
        }
        var routed = request
        routed.pathParameters = best.parameters
        do {
            return try best.route.handler(routed)
        } catch let error as HTTPError {
            return error.response
        } catch {
            return HTTPError.internalError(error).response
        }
    }

    /// The methods for an `Allow` header: those registered, HEAD with GET, and OPTIONS, in a stable order.
    static func allowed(_ methods: [HTTPMethod]) -> [HTTPMethod] {
        var set = Set(methods)
        if set.contains(.get) { set.insert(.head) }
        set.insert(.options)
        let order: [HTTPMethod] = [.get, .head, .post, .put, .patch, .delete, .options]
        return order.filter(set.contains) + set.subtracting(order).sorted { $0.rawValue < $1.rawValue }
    }
}
