// A route's path pattern: literal segments, `:name` parameters and an optional trailing `*` wildcard.

/// A parsed pattern such as "/jobs/:id/history". Empty segments are ignored, so "/jobs/" matches "/jobs".
struct RoutePattern: CustomStringConvertible {
    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
        /// Matches the rest of the path, zero or more segments.
        case wildcard
    }

    let segments: [Segment]
    let description: String

    init(_ pattern: String) {
        description = pattern
        segments = pattern.split(separator: "/").map { part in
            if part == "*" { return .wildcard }
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
        precondition(!segments.dropLast().contains(.wildcard), "'*' must be the last segment of \(pattern)")
    }

    /// The percent-decoded segments of a request path; nil when an escape is malformed.
    static func segments(of path: String) -> [String]? {
        var result: [String] = []
        for part in path.split(separator: "/") {
            guard let decoded = Request.percentDecode(part) else { return nil }
            result.append(decoded)
        }
        return result
    }

    /// The parameters if `path` matches, else nil.
    func match(_ path: [String]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .wildcard:
                parameters["*"] = path[index...].joined(separator: "/")
                return parameters
            case let .literal(text):
                guard index < path.count, path[index] == text else { return nil }
            case let .parameter(name):
                guard index < path.count else { return nil }
                parameters[name] = path[index]
            }
        }
        return path.count == segments.count ? parameters : nil
    }

    /// Whether this pattern wins over `other` when both match: literals beat parameters beat wildcards,
    /// compared segment by segment ("/models/import" before "/models/:id").
    func precedes(_ other: RoutePattern) -> Bool {
        for (mine, theirs) in zip(segments, other.segments) where Self.rank(mine) != Self.rank(theirs) {
            return Self.rank(mine) < Self.rank(theirs)
        }
        return segments.count > other.segments.count
    }

    private static func rank(_ segment: Segment) -> Int {
        switch segment {
        case .literal: return 0
        case .parameter: return 1
        case .wildcard: return 2
        }
    }
}
