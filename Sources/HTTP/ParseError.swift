// Every way a request can be malformed or too large, each mapped to its status and the project's error shape.

/// A request the parser rejects. The connection answers with `httpError` and then closes.
public enum ParseError: Error, Equatable, Sendable {
    case invalidRequestLine            // RFC 9112 §3: method SP request-target SP HTTP-version
    case invalidMethod                 // §3.1: method is a token
    case invalidTarget                 // §3.2: origin-, absolute-, authority- or asterisk-form
    case invalidVersion                // §2.3: "HTTP/" DIGIT "." DIGIT
    case unsupportedVersion(major: Int, minor: Int)  // only HTTP/1.x
    case requestLineTooLong(limit: Int)
    case headerTooLarge(limit: Int)
    case invalidHeaderName             // §5.1: token, no whitespace before the colon
    case invalidHeaderValue            // RFC 9110 §5.5: no CTLs but HTAB
    case obsoleteLineFolding           // §5.2: a server may reject obs-fold with 400
    case bareCarriageReturn            // §2.2: a CR not followed by LF
    case missingHost                   // §3.2: HTTP/1.1 requires exactly one Host
    case multipleHosts
    case invalidContentLength          // §6.3 ¶5
    case contentLengthWithTransferEncoding  // §6.3 ¶3 (this server rejects rather than guesses)
    case transferEncodingInHTTP10      // §6.1: framing is faulty
    case chunkedNotFinal               // §6.3 ¶4: the length cannot be determined
    case unsupportedTransferCoding(String)  // §6.1: 501 for codings we do not know
    case invalidChunkSize              // §7.1: 1*HEXDIG
    case invalidChunkTerminator        // §7.1: chunk-data CRLF
    case chunkLineTooLong(limit: Int)  // §7.1.1: extensions must be bounded
    case bodyTooLarge(limit: Int)

    /// The response this error deserves: status, machine-readable code and a human message.
    public var httpError: HTTPError {
        switch self {
        case .invalidRequestLine: return .badRequest("invalid_request_line", "The request line is not 'METHOD target HTTP/1.1'.")
        case .invalidMethod: return .badRequest("invalid_method", "The method is not a token.")
        case .invalidTarget: return .badRequest("invalid_target", "The request target is not a valid path.")
        case .invalidVersion: return .badRequest("invalid_version", "The HTTP version is malformed.")
        case let .unsupportedVersion(major, minor):
            return HTTPError(505, code: "http_version_not_supported", message: "HTTP/\(major).\(minor) is not supported; use HTTP/1.1.")
        case let .requestLineTooLong(limit):
            return HTTPError(414, code: "uri_too_long", message: "The request line exceeds \(limit) bytes.")
        case let .headerTooLarge(limit):
            return HTTPError(431, code: "header_too_large", message: "The header section exceeds \(limit) bytes.")
        case .invalidHeaderName: return .badRequest("invalid_header", "A header field name is malformed.")
        case .invalidHeaderValue: return .badRequest("invalid_header", "A header field value holds a control character.")
        case .obsoleteLineFolding: return .badRequest("invalid_header", "Folded header lines (obs-fold) are not accepted.")
        case .bareCarriageReturn: return .badRequest("invalid_header", "A bare CR is not a line ending.")
        case .missingHost: return .badRequest("missing_host", "HTTP/1.1 requests need a Host header.")
        case .multipleHosts: return .badRequest("invalid_host", "The request has more than one Host header.")
        case .invalidContentLength: return .badRequest("invalid_content_length", "Content-Length is not one decimal number.")
        case .contentLengthWithTransferEncoding:
            return .badRequest("ambiguous_length", "The request has both Content-Length and Transfer-Encoding.")
        case .transferEncodingInHTTP10: return .badRequest("invalid_transfer_encoding", "HTTP/1.0 has no Transfer-Encoding.")
        case .chunkedNotFinal: return .badRequest("invalid_transfer_encoding", "Transfer-Encoding must end with chunked.")
        case let .unsupportedTransferCoding(coding):
            return HTTPError(501, code: "unsupported_transfer_coding", message: "Transfer coding '\(coding)' is not supported.")
        case .invalidChunkSize: return .badRequest("invalid_chunk", "A chunk size is not a hexadecimal number.")
        case .invalidChunkTerminator: return .badRequest("invalid_chunk", "Chunk data is not followed by CRLF.")
        case let .chunkLineTooLong(limit): return .badRequest("invalid_chunk", "A chunk header line exceeds \(limit) bytes.")
        case let .bodyTooLarge(limit):
            return HTTPError(413, code: "body_too_large", message: "The request body exceeds \(limit) bytes.")
        }
    }
}
