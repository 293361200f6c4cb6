// `mnistd healthcheck`: one `GET /healthz` against the local service through the HTTP target's client, for
// the container's HEALTHCHECK (the image carries no curl). Exit 0 on `200`, else 1 with a one-line reason.
import Foundation
import HTTP

enum HealthcheckCommand {
    /// The whole check (resolve, connect, send, read) must finish within this many seconds.
    static let timeoutSeconds = 3.0

    static func run(_ arguments: [String]) throws -> Int32 {
        do {
            let flags = try Flags(arguments, allowed: ["host", "port"])
            let host = probeHost(flags.string("host", env: "MNISTD_HOST") ?? "127.0.0.1")
            let port = try flags.int("port", env: "MNISTD_PORT", default: 8080, range: 1...65535)
            var client = HTTPClient(host: host, port: port, timeout: timeoutSeconds)
            client.userAgent = "mnistd-healthcheck"
            let response = try client.get("/healthz")
            guard response.status == 200 else {
                let body = response.text.isEmpty ? "\(response.status) \(response.reason)" : response.text
                fail("http://\(host):\(port)/healthz answered \(response.status): \(body)")
                return 1
            }
            return 0
        } catch let error as FlagError {
            // Docker reserves exit code 2 of a health check, so a bad flag is reported as unhealthy (1).
            fail(error.description)
            return 1
        } catch let error as ClientError {
            fail(error.description)
            return 1
        }
    }

    /// The service binds a wildcard inside the container; the probe talks to the loopback of the same family.
    static func probeHost(_ host: String) -> String {
        switch host {
        case "0.0.0.0", "": return "127.0.0.1"
        case "::", "[::]": return "::1"
        default: return host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        }
    }

    private static func fail(_ reason: String) {
        let line = reason.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data("mnistd healthcheck: \(line.prefix(300))\n".utf8))
    }
}
