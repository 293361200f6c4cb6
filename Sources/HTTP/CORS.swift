// Cross-origin resource sharing (Fetch standard §3.2): headers on every response to a browser on another
// origin, and answers to preflight OPTIONS requests.

/// The CORS policy a router applies when a request carries `Origin`.
public struct CORS: Sendable {
    /// "*" or one exact origin such as "http://localhost:3000".
    public var allowOrigin: String
    public var allowHeaders: [String]
    /// Response headers scripts may read.
    public var exposeHeaders: [String]
    /// How long browsers may cache a preflight answer, in seconds.
    public var maxAge: Int

    public init(allowOrigin: String = "*", allowHeaders: [String] = ["Content-Type", "Authorization"],
                exposeHeaders: [String] = ["Location", "Retry-After"], maxAge: Int = 600) {
        self.allowOrigin = allowOrigin
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
    }

    func decorate(_ response: inout Response, for request: Request) {
        response.headers["Access-Control-Allow-Origin"] = allowOrigin
        if allowOrigin != "*" { response.headers.add("Vary", "Origin") }
        if !exposeHeaders.isEmpty, response.headers["Access-Control-Allow-Methods"] == nil {
            response.headers["Access-Control-Expose-Headers"] = exposeHeaders.joined(separator: ", ")
        }
    }

    /// 204 listing the methods the path allows and the headers a script may send.
    func preflight(_ request: Request, allowed: [HTTPMethod]) -> Response {
        let requested = request.headers["Access-Control-Request-Headers"]
        return Response(status: 204, headers: [
            "Allow": allowed.map(\.rawValue).joined(separator: ", "),
            "Access-Control-Allow-Methods": allowed.map(\.rawValue).joined(separator: ", "),
            "Access-Control-Allow-Headers": requested ?? allowHeaders.joined(separator: ", "),
            "Access-Control-Max-Age": String(maxAge),
        ])
    }
}
