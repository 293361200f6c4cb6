// The request line (RFC 9112 §3) and the header section (§5): finding the blank line, then validating each line.

private let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
private let colon = UInt8(ascii: ":")

extension RequestParser {
    /// The head once its blank line has arrived, else nil. Scanning resumes where it stopped, so bytes fed
    /// one at a time cost O(n) in total.
    mutating func parseHead() throws -> RequestHead? {
        var start = self.start, lineStart = self.lineStart, index = scanned, end = -1
        buffer.withUnsafeBufferPointer { bytes in
            while index < bytes.count {
                if bytes[index] == lf {
                    let length = index - lineStart
                    if length == 0 || (length == 1 && bytes[lineStart] == cr) {
                        // §2.2: a server SHOULD ignore empty lines received before the request line.
                        if lineStart == start {
                            start = index + 1
                            lineStart = start
                            index += 1
                            continue
                        }
                        end = index + 1
                        break
                    }
                    lineStart = index + 1
                }
                index += 1
            }
        }
        self.start = start
        self.lineStart = lineStart
        scanned = index
        let headBytes = (end < 0 ? buffer.count : end) - start
        if headBytes > limits.maxHeaderBytes {
            let requestLineEnds = buffer[start..<start + limits.maxHeaderBytes].contains(lf)
            throw requestLineEnds ? ParseError.headerTooLarge(limit: limits.maxHeaderBytes)
                                  : ParseError.requestLineTooLong(limit: limits.maxHeaderBytes)
        }
        guard end >= 0 else { return nil }
        let head = try buffer.withUnsafeBufferPointer { try Self.head(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        self.start = end
        self.lineStart = end
        scanned = end
        return head
    }

    /// Parses a complete head: lines ending in LF (an optional CR before it is dropped), the last one empty.
    static func head(_ bytes: UnsafeBufferPointer<UInt8>) throws -> RequestHead {
        var lines: [Slice<UnsafeBufferPointer<UInt8>>] = []
        var lineStart = bytes.startIndex
        for index in bytes.indices where bytes[index] == lf {
            var line = bytes[lineStart..<index]
            if line.last == cr { line = line.dropLast() }
            // §2.2: a bare CR elsewhere is invalid.
            if line.contains(cr) { throw ParseError.bareCarriageReturn }
            lines.append(line)
            lineStart = index + 1
        }
        guard let requestLine = lines.first else { throw ParseError.invalidRequestLine }
        var head = try Self.requestLine(requestLine)
        for line in lines.dropFirst() where !line.isEmpty {
            let (name, value) = try Self.field(line)
            head.headers.add(name, value)
        }
        return head
    }

    /// §3: request-line = method SP request-target SP HTTP-version, single spaces, no autocorrection.
    static func requestLine(_ line: Slice<UnsafeBufferPointer<UInt8>>) throws -> RequestHead {
        let parts = line.split(separator: space, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { throw ParseError.invalidRequestLine }
        guard parts[0].allSatisfy(isTokenByte) else { throw ParseError.invalidMethod }
        let method = HTTPMethod(rawValue: string(parts[0]))
        let version = try Self.version(parts[2])

        // §3.2: the target is visible ASCII; origin-form "/path?query", absolute-form "http://host/path",
        // asterisk-form "*" for OPTIONS only. Authority-form (CONNECT) is not served.
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw ParseError.invalidTarget }
        let target = string(parts[1])
        let pathAndQuery: String
        if target.hasPrefix("/") {
            pathAndQuery = target
        } else if target == "*" && method == .options {
            pathAndQuery = "*"
        } else if let schemeEnd = target.range(of: "://"),
                  ["http", "https"].contains(target[..<schemeEnd.lowerBound].lowercased()) {
            let rest = target[schemeEnd.upperBound...]
            let tail = rest.firstIndex { $0 == "/" || $0 == "?" }.map { rest[$0...] } ?? ""
            pathAndQuery = tail.hasPrefix("/") ? String(tail) : "/" + tail
        } else {
            throw ParseError.invalidTarget
        }
        return RequestHead(method: method, target: target, pathAndQuery: pathAndQuery, version: version, headers: HTTPHeaders())
    }

    /// §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT; only major version 1 is served.
    static func version(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) throws -> HTTPVersion {
        let text = Array(bytes)
        guard text.count == 8, text[0..<5].elementsEqual("HTTP/".utf8), text[6] == UInt8(ascii: "."),
              let major = digit(text[5]), let minor = digit(text[7]) else { throw ParseError.invalidVersion }
        guard major == 1 else { throw ParseError.unsupportedVersion(major: major, minor: minor) }
        return minor == 0 ? .http10 : .http11
    }

    /// §5.1: field-line = field-name ":" OWS field-value OWS; no whitespace between name and colon.
    static func field(_ line: Slice<UnsafeBufferPointer<UInt8>>) throws -> (String, String) {
        // §5.2: a line starting with whitespace continues the previous one (obs-fold); reject it.
        if line.first == space || line.first == tab { throw ParseError.obsoleteLineFolding }
        guard let colonIndex = line.firstIndex(of: colon), colonIndex > line.startIndex,
              line[line.startIndex..<colonIndex].allSatisfy(isTokenByte) else { throw ParseError.invalidHeaderName }
        var value = line[(colonIndex + 1)...]
        while let first = value.first, first == space || first == tab { value = value.dropFirst() }
        while let last = value.last, last == space || last == tab { value = value.dropLast() }
        // RFC 9110 §5.5: field-value is VCHAR, obs-text, SP and HTAB.
        guard value.allSatisfy({ $0 == tab || ($0 >= 0x20 && $0 != 0x7F) }) else { throw ParseError.invalidHeaderValue }
        return (string(line[line.startIndex..<colonIndex]), string(value))
    }

    /// RFC 9110 §5.6.2: tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func string(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes), as: UTF8.self)
    }
}
