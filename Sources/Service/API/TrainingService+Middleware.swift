// Middleware around every request: request counts and latency by route pattern for /metrics (outermost,
// so 401s and 404s count too), then the bearer token on every POST and DELETE when one is configured.
import Foundation
import HTTP

extension TrainingService {
    func installMiddleware() {
        let routes = self.routes, metrics = self.metrics
        routes.router.use { request, next in
            let start = DispatchTime.now().uptimeNanoseconds
            let response = next(request)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            metrics.recordRequest(route: routes.label(for: request.path), method: request.method.rawValue,
                                  status: response.status, seconds: seconds)
            return response
        }
        guard let token = configuration.token, !token.isEmpty else { return }
        let expected = Array(token.utf8)
        routes.router.use { request, next in
            let changes = request.method != .get && request.method != .head && request.method != .options
            if changes && !TrainingService.constantTimeEqual(TrainingService.bearerCredentials(request.headers["Authorization"]), expected) {
                // The server has read the whole body already; it is simply dropped.
                var response = APIError.unauthorized.response
                response.headers["WWW-Authenticate"] = "Bearer"
                return response
            }
            return next(request)
        }
    }

    /// The credentials of an `Authorization: Bearer <token>` header; the scheme name is case-insensitive
    /// (RFC 9110 §11.1), so `bearer` and `BEARER` work too. Empty for any other header.
    static func bearerCredentials(_ header: String?) -> [UInt8] {
        let bytes = Array((header ?? "").utf8)
        guard bytes.count > 7, String(decoding: bytes[0..<6], as: UTF8.self).lowercased() == "bearer", bytes[6] == 0x20 else {
            return []
        }
        return Array(bytes[7...])
    }

    /// Compares without an early exit, so the time taken does not reveal how much of the token matched.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
