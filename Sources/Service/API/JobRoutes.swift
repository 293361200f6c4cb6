// /jobs: submit (POST), list, one job, its history, its event stream, cancel, delete.
import Engine
import Foundation
import HTTP

extension TrainingService {
    func registerJobRoutes() {
        routes.add(.post, "/jobs") { [unowned self] request in
            try RequestBody.requireJSON(request)
            let config = try JobConfig.parse(request.body.isEmpty ? Data("{}".utf8) : request.body)
            let job = try submit([config])[0]
            return json(job.json, status: 201, headers: ["Location": "/jobs/\(job.id)"])
        }
        routes.add(.get, "/jobs") { [unowned self] request in
            json(try JobListing(query: request.query).response(of: store.allJobs()))
        }
        routes.add(.get, "/jobs/:id", inline: true) { [unowned self] request in
            json(try job(request).json)
        }
        routes.add(.get, "/jobs/:id/history") { [unowned self] request in
            let job = try job(request)
            let query = request.query
            // `from=N` includes point N: a follower re-reads the last point it has, so the test or validation
            // values that land on it after it was first read still reach it. `since=N` excludes N; given both,
            // the later start holds.
            let from = try TrainingService.integer(query["from"], name: "from", in: 0...Int.max).map { $0 - 1 } ?? -1
            let since = max(from, try TrainingService.integer(query["since"], name: "since", in: -1...Int.max) ?? -1)
            let limit = try TrainingService.integer(query["limit"], name: "limit", in: 1...Int.max) ?? .max
            guard let log = store.history(job.id) else { throw APIError.notFound("job", id: job.id) }
            var points = try log.points(since: since, limit: limit)
            TrainingService.addLearningRates(&points, of: job)
            return Response(status: 200, headers: ["Content-Type": "application/json"], body: HistoryPoint.renderPoints(points))
        }
        routes.add(.get, "/jobs/:id/events") { [unowned self] request in
            let job = try job(request)
            return JobEvents(store: store, id: job.id).response()
        }
        routes.add(.post, "/jobs/:id/cancel") { [unowned self] request in
            json(try cancel(try job(request)).json)
        }
        routes.add(.delete, "/jobs/:id") { [unowned self] request in
            let job = try job(request)
            guard job.state.isFinished else {
                throw APIError.conflict("job '\(job.id)' is \(job.state.rawValue): cancel it first, then delete it")
            }
            guard try store.deleteJob(job.id) else { throw APIError.notFound("job", id: job.id) }
            coordinator.ended(job.id)
            return Response(status: 204)
        }
    }

    /// The job named by the `:id` path parameter, or 404.
    func job(_ request: Request) throws -> Job {
        let id = request.pathParameters["id"] ?? ""
        guard let job = store.job(id) else { throw APIError.notFound("job", id: id) }
        return job
    }

    /// Cancels a queued job at once and a running one at its next minibatch (waiting up to 2 s for it).
    func cancel(_ job: Job) throws -> Job {
        guard !job.state.isFinished else {
            throw APIError.conflict("job '\(job.id)' has already \(job.state.rawValue)")
        }
        switch pool.cancel(job.id) {
        case .removedFromQueue, .notActive:
            // Not running: it ends here (a job re-queued at startup but not yet taken is also here).
            if pool.runningJobs.contains(job.id) { break }
            try store.update(job.id) { if !$0.state.isFinished { $0.finish(.cancelled) } }
            // A job re-queued after a restart may still hold the checkpoint it would have resumed from.
            try store.removeCheckpoint(for: job.id)
            coordinator.ended(job.id)  // a run waiting at a rung no longer holds it up
            return store.job(job.id) ?? job
        case .signalledRunning:
            break
        }
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline, let current = store.job(job.id), !current.state.isFinished { usleep(2_000) }
        return store.job(job.id) ?? job
    }

    /// An optional integer query parameter within `range`; 400 naming it otherwise.
    static func integer(_ text: String?, name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalidRequest("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound == .max ? "" : String(range.upperBound)), got '\(text)'", field: name)
        }
        return value
    }
}

extension TrainingService {
    /// Each training point's learning rate, from the job's config: a schedule is a function of the iteration
    /// and epoch, so the history need not store it.
    static func addLearningRates(_ points: inout [HistoryPoint], of job: Job) {
        guard let config = try? JobConfig(json: job.config.tree) else { return }
        let total = job.progress.iterations
        for index in points.indices where points[index].trainLoss != nil {
            let point = points[index]
            points[index].learningRate = config.training.learningRate(update: point.iteration - 1, epoch: point.epoch - 1, total: total)
        }
    }
}
