// JobListing: newest first, state filter, stable cursor paging, and precise query errors.
import Foundation
import Testing
@testable import Service

private func jobs(_ count: Int) -> [Job] {
    // Two jobs share each millisecond, so the id breaks ties.
    (0..<count).map { i in
        var job = sampleJob(id: String(format: "job_%03d", i), createdAt: Date(timeIntervalSince1970: 1_000 + Double(i / 2) / 1000))
        if i % 3 == 0 { job.start() }
        return job
    }
}

@Test func page_listsNewestFirstAndWalksAllPagesExactlyOnce() throws {
    let all = jobs(23)
    var seen: [String] = []
    var query: [String: String] = ["limit": "5"]
    var pages = 0
    while true {
        let (page, next) = try JobListing(query: query).page(of: all.shuffled())
        seen += page.map(\.id)
        pages += 1
        guard let next else { break }
        query["cursor"] = next
    }
    #expect(pages == 5)
    #expect(seen == (0..<23).reversed().map { String(format: "job_%03d", $0) })
}

@Test func page_filtersByState() throws {
    let (page, next) = try JobListing(query: ["state": "running"]).page(of: jobs(10))
    #expect(page.map(\.id) == ["job_009", "job_006", "job_003", "job_000"])
    #expect(next == nil)
}

@Test func page_staysStableWhenNewerJobsArrive() throws {
    var all = jobs(6)
    let first = try JobListing(query: ["limit": "3"]).page(of: all)
    all.append(sampleJob(id: "job_new", createdAt: Date(timeIntervalSince1970: 2_000)))
    let second = try JobListing(query: ["limit": "3", "cursor": first.nextCursor!]).page(of: all)
    #expect(second.jobs.map(\.id) == ["job_002", "job_001", "job_000"])
}

@Test func init_rejectsBadQueries() {
    #expect(throws: APIError.self) { try JobListing(query: ["state": "paused"]) }
    #expect(throws: APIError.self) { try JobListing(query: ["limit": "0"]) }
    #expect(throws: APIError.self) { try JobListing(query: ["limit": "501"]) }
    #expect(throws: APIError.self) { try JobListing(query: ["cursor": "not-a-cursor"]) }
    let error = #expect(throws: APIError.self) { try JobListing(query: ["limit": "x"]) }
    #expect(error?.field == "limit" && error?.status == 400)
}

@Test func response_carriesJobsAndTheNextCursor() throws {
    let response = try JobListing(query: ["limit": "2"]).response(of: jobs(3))
    #expect(response["jobs"]?.arrayValue?.map { $0["id"]!.stringValue! } == ["job_002", "job_001"])
    #expect(JobListing.decodeCursor(response["next_cursor"]!.stringValue!)?.id == "job_001")
    #expect(try JobListing(query: ["limit": "3"]).response(of: jobs(3))["next_cursor"] == .null)
}

@Test func init_takesAnyWellFormedCursorAsAPosition() throws {
    // Not issued by this server (no job has this id): still a place in the newest-first order.
    let all = try JobListing(query: ["cursor": "9999999999999999.job_zzz"]).page(of: jobs(3))
    #expect(all.jobs.map(\.id) == ["job_002", "job_001", "job_000"])
    #expect(try JobListing(query: ["cursor": "0.job_zzz"]).page(of: jobs(3)).jobs.isEmpty)
}
