// `mnistd healthcheck`: one raw-socket `GET /healthz` against the local service, for the container's HEALTHCHECK
// (the image carries no curl). Exit 0 on `200`, else 1 with a one-line reason on stderr.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum HealthcheckCommand {
    /// The whole check (resolve, connect, send, read) must finish within this many seconds.
    static let timeoutSeconds = 3.0

    static func run(_ arguments: [String]) throws -> Int32 {
        do {
            let flags = try Flags(arguments, allowed: ["host", "port"])
            let host = probeHost(flags.string("host", env: "MNISTD_HOST") ?? "127.0.0.1")
            let port = try flags.int("port", env: "MNISTD_PORT", default: 8080, range: 1...65535)
            let status = try Probe(host: host, port: port, timeout: timeoutSeconds).get("/healthz")
            guard status.code == 200 else {
                fail("http://\(host):\(port)/healthz answered \(status.code): \(status.body)")
                return 1
            }
            return 0
        } catch let error as FlagError {
            // Docker reserves exit code 2 of a health check, so a bad flag is reported as unhealthy (1).
            fail(error.description)
            return 1
        } catch let error as Probe.Failure {
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

extension HealthcheckCommand {
    /// A minimal HTTP/1.1 client over Glibc sockets: one GET with `Connection: close` under one deadline.
    struct Probe {
        struct Failure: Error, CustomStringConvertible {
            let description: String
        }

        /// The status code and the (possibly partial) body of the answer.
        struct Status {
            let code: Int
            let body: String
        }

        let host: String
        let port: Int
        let timeout: Double

        func get(_ path: String) throws -> Status {
            let deadline = Date().addingTimeInterval(timeout)
            let fd = try connect(deadline: deadline)
            defer { close(fd) }
            let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            let request = "GET \(path) HTTP/1.1\r\nHost: \(authority)\r\n"
                + "User-Agent: mnistd-healthcheck\r\nConnection: close\r\n\r\n"
            try send(Array(request.utf8), to: fd, deadline: deadline)
            let response = try receive(from: fd, deadline: deadline)
            return try parse(response)
        }

        // MARK: - Socket steps

        private func connect(deadline: Date) throws -> Int32 {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            let resolved = getaddrinfo(host, String(port), &hints, &list)
            guard resolved == 0, let first = list else {
                throw Failure(description: "cannot resolve '\(host)': \(String(cString: gai_strerror(resolved)))")
            }
            defer { freeaddrinfo(first) }
            var lastError = "no address"
            var candidate: UnsafeMutablePointer<addrinfo>? = first
            while let info = candidate {
                candidate = info.pointee.ai_next
                let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue), 0)
                guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
                // Non-blocking connect, then wait for writability: a closed port fails fast, a black hole times out.
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                let connectError = errno
                if connectError != EINPROGRESS {
                    lastError = String(cString: strerror(connectError))
                } else if wait(fd, for: Int16(POLLOUT), deadline: deadline) {
                    var soError: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
                    if soError == 0 { return fd }
                    lastError = String(cString: strerror(soError))
                } else {
                    lastError = "timed out after \(timeout) s"
                }
                close(fd)
            }
            throw Failure(description: "cannot connect to \(host):\(port): \(lastError)")
        }

        private func send(_ bytes: [UInt8], to fd: Int32, deadline: Date) throws {
            var offset = 0
            while offset < bytes.count {
                guard wait(fd, for: Int16(POLLOUT), deadline: deadline) else {
                    throw Failure(description: "timed out after \(timeout) s sending to \(host):\(port)")
                }
                // MSG_NOSIGNAL: a peer that closed early must be an error here, not a SIGPIPE that kills the probe.
                let sent = bytes[offset...].withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if sent < 0 && errno != EAGAIN && errno != EINTR {
                    throw Failure(description: "send to \(host):\(port) failed: \(String(cString: strerror(errno)))")
                }
                offset += max(sent, 0)
            }
        }

        /// Reads until the peer closes, the body's Content-Length is in, 64 KiB, or the deadline; a deadline after
        /// some bytes arrived still yields them (the status line is all the verdict needs).
        private func receive(from fd: Int32, deadline: Date) throws -> [UInt8] {
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while response.count < 65_536 && !isComplete(response) {
                guard wait(fd, for: Int16(POLLIN), deadline: deadline) else {
                    guard !response.isEmpty else {
                        throw Failure(description: "no answer from \(host):\(port) within \(timeout) s")
                    }
                    break
                }
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count == 0 { break }
                if count < 0 {
                    if errno == EAGAIN || errno == EINTR { continue }
                    throw Failure(description: "read from \(host):\(port) failed: \(String(cString: strerror(errno)))")
                }
                response.append(contentsOf: buffer[0..<count])
            }
            return response
        }

        /// True once the head is in and the body holds Content-Length bytes (a server may ignore `Connection: close`).
        private func isComplete(_ response: [UInt8]) -> Bool {
            let separator: [UInt8] = [13, 10, 13, 10]
            guard response.count >= 4,
                  let headEnd = (0...(response.count - 4)).first(where: { Array(response[$0..<$0 + 4]) == separator })
            else { return false }
            let head = String(decoding: response[..<headEnd], as: UTF8.self)
            let length = head.split(separator: "\r\n").lazy
                .compactMap { line -> Int? in
                    let field = line.split(separator: ":", maxSplits: 1)
                    guard field.count == 2, field[0].lowercased() == "content-length" else { return nil }
                    return Int(field[1].trimmingCharacters(in: .whitespaces))
                }
                .first
            guard let length else { return false }
            return response.count - (headEnd + 4) >= length
        }

        /// Polls `fd` for `events` until `deadline`; false on timeout or error.
        private func wait(_ fd: Int32, for events: Int16, deadline: Date) -> Bool {
            while true {
                let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000).rounded(.up))
                var entry = pollfd(fd: fd, events: events, revents: 0)
                let ready = poll(&entry, 1, remaining)
                if ready < 0 && errno == EINTR { continue }
                return ready > 0
            }
        }

        // MARK: - Response

        /// Status line per RFC 9112 §4: `HTTP/1.1 SP 3DIGIT SP reason`.
        private func parse(_ response: [UInt8]) throws -> Status {
            let text = String(decoding: response, as: UTF8.self)
            // `\r\n` is one Character in Swift, so the line ends at the first newline Character of any kind.
            let statusLine = text.prefix { !$0.isNewline }
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let code = Int(parts[1]) else {
                throw Failure(description: "\(host):\(port) did not answer HTTP: '\(statusLine.prefix(80))'")
            }
            let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
            return Status(code: code, body: body.isEmpty ? String(statusLine) : body)
        }
    }
}
