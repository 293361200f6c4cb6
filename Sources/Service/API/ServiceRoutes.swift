// GET / and /<file> for each of Page.assets (the page), /healthz, /metrics and /openapi.json: all from memory, so all
// inline (answered on the server's loop thread; a health check answers even while every worker is busy).
import Foundation
import HTTP

extension TrainingService {
    func registerServiceRoutes() {
        let page = self.page
        routes.add(.get, "/", inline: true) { _ in try page.response("index.html") }
        for name in Page.assets {
            routes.add(.get, "/" + name, inline: true) { _ in try page.response(name) }
        }

        routes.add(.get, "/healthz", inline: true) { [unowned self] _ in
            if let reason = unhealthyReason { throw APIError.unavailable(reason) }
            return json(["status": "ok"])
        }
        routes.add(.get, "/metrics", inline: true) { [unowned self] _ in
            var counts: [JobState: Int] = [:]
            for job in store.allJobs() { counts[job.state, default: 0] += 1 }
            metrics.setJobCounts(counts)
            return Response(status: 200, headers: ["Content-Type": Metrics.contentType], body: Data(metrics.render().utf8))
        }
        // Auth is declared only where it is asked for: without --token every operation is open.
        let document = configuration.token == nil ? OpenAPIDocument.openData : OpenAPIDocument.data
        routes.add(.get, "/openapi.json", inline: true) { _ in
            Response(status: 200, headers: ["Content-Type": "application/json"], body: document)
        }
    }
}

/// A JSON response from a JSONValue.
func json(_ value: JSONValue, status: Int = 200, headers: HTTPHeaders = [:]) -> Response {
    var all = headers
    all["Content-Type"] = "application/json"
    return Response(status: status, headers: all, body: value.data)
}
