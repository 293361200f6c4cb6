// `GET /jobs` as a pure function: newest first (created_at, then id), filtered by `?state=`, paged by
// `?limit=` and a `?cursor=` that names the last job of the previous page, so pages stay stable
// while new jobs arrive.
import Foundation

/// The parsed query of `GET /jobs` and the paging over a set of jobs.
public struct JobListing: Equatable, Sendable {
    public static let defaultLimit = 50
    public static let maximumLimit = 500

    public var state: JobState?
    public var limit: Int
    /// Position after which the page starts: (created_at in ms, id) of the previous page's last job.
    var after: (millis: Int64, id: String)?

    public init(state: JobState? = nil, limit: Int = JobListing.defaultLimit) {
        self.state = state
        self.limit = limit
    }

    public static func == (a: JobListing, b: JobListing) -> Bool {
        a.state == b.state && a.limit == b.limit && a.after?.millis == b.after?.millis && a.after?.id == b.after?.id
    }

    /// Parses `state`, `limit` (1...500, default 50) and `cursor` from query parameters.
    public init(query: [String: String]) throws {
        self.init()
        if let name = query["state"] {
            guard let state = JobState(rawValue: name) else {
                throw APIError.invalidRequest("state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")), got '\(name)'", field: "state")
            }
            self.state = state
        }
        if let text = query["limit"] {
            guard let limit = Int(text), (1...JobListing.maximumLimit).contains(limit) else {
                throw APIError.invalidRequest("limit must be an integer in 1...\(JobListing.maximumLimit), got '\(text)'", field: "limit")
            }
            self.limit = limit
        }
        if let cursor = query["cursor"] {
            guard let after = JobListing.decodeCursor(cursor) else {
                throw APIError.invalidRequest("cursor must be <created_at in ms>.<job id>, as next_cursor gives it", field: "cursor")
            }
            self.after = after
        }
    }

    /// One page: the jobs to show and the cursor of the next page (nil on the last page).
    public func page(of jobs: [Job]) -> (jobs: [Job], nextCursor: String?) {
        let ordered = jobs
            .filter { state == nil || $0.state == state }
            .map { (key: (JobListing.millis($0.createdAt), $0.id), job: $0) }
            .sorted { $0.key > $1.key }
        let start = after.map { after in ordered.firstIndex { $0.key < (after.millis, after.id) } ?? ordered.count } ?? 0
        let slice = ordered[start...].prefix(limit)
        let hasMore = start + slice.count < ordered.count
        let next = hasMore ? slice.last.map { JobListing.encodeCursor(millis: $0.key.0, id: $0.key.1) } : nil
        return (slice.map(\.job), next)
    }

    /// `{"jobs": [...], "next_cursor": ...}` for one page.
    public func response(of jobs: [Job]) -> JSONValue {
        let (items, next) = page(of: jobs)
        return ["jobs": .array(items.map(\.json)), "next_cursor": .optionalString(next)]
    }

    // MARK: - Cursor

    static func millis(_ date: Date) -> Int64 { RFC3339.milliseconds(date) }

    /// The cursor's shape, `<created_at in ms>.<job id>`, as the OpenAPI parameter states it: every string of
    /// this shape is a position in the newest-first order, whether or not this server issued it.
    public static let cursorPattern = "^[0-9]{1,16}\\.[A-Za-z0-9_-]{1,64}$"

    static func encodeCursor(millis: Int64, id: String) -> String { "\(millis).\(id)" }

    static func decodeCursor(_ cursor: String) -> (millis: Int64, id: String)? {
        guard cursor.range(of: cursorPattern, options: .regularExpression) != nil,
              let dot = cursor.firstIndex(of: "."), let millis = Int64(cursor[..<dot]) else { return nil }
        return (millis, String(cursor[cursor.index(after: dot)...]))
    }
}
