// /experiments: start a sweep (grid or random search, optionally with successive halving), list experiments,
// show one, cancel all its runs, delete it with its runs.
import Engine
import Foundation
import HTTP

extension TrainingService {
    func registerSweepRoutes() {
        routes.add(.post, "/experiments/sweep") { [unowned self] request in
            let sweep = try SweepRequest(try RequestBody.object(request, emptyIsObject: true))
            let experiment = try startExperiment(name: sweep.name, kind: "sweep", base: .object(sweep.base),
                                                 paths: sweep.space.paths, search: sweep.search, sameBatches: sweep.sameBatches,
                                                 scheduler: sweep.scheduler, configs: sweep.configs, params: sweep.space.runs)
            return json(["id": .string(experiment.id), "job_ids": .array(experiment.jobIDs.map(JSONValue.string))],
                        status: 201, headers: ["Location": "/experiments/\(experiment.id)"])
        }
        routes.add(.get, "/experiments") { [unowned self] _ in
            json(["experiments": .array(experiments.all().map { experimentJSON($0) })])
        }
        routes.add(.get, "/experiments/:id") { [unowned self] request in
            json(experimentJSON(try experiment(request)))
        }
        routes.add(.post, "/experiments/:id/cancel") { [unowned self] request in
            let experiment = try experiment(request)
            let active = experiment.jobIDs.filter { store.job($0).map { !$0.state.isFinished } ?? false }
            guard !active.isEmpty else { throw APIError.conflict("experiment '\(experiment.id)' has no run left to cancel") }
            // First, so that no rung decided meanwhile sends a run on.
            _ = try experiments.update(experiment.id) { $0.cancelled = true }
            for id in active {
                if let job = store.job(id), !job.state.isFinished { _ = try? cancel(job) }
            }
            return json(experimentJSON(experiments.experiment(experiment.id) ?? experiment))
        }
        routes.add(.delete, "/experiments/:id") { [unowned self] request in
            let experiment = try experiment(request)
            if let active = experiment.jobIDs.first(where: { store.job($0).map { !$0.state.isFinished } ?? false }) {
                throw APIError.conflict("experiment '\(experiment.id)' still has run '\(active)' active: cancel it first, then delete it")
            }
            for id in experiment.jobIDs { _ = try store.deleteJob(id) }
            guard try experiments.delete(experiment.id) else { throw APIError.notFound("experiment", id: experiment.id) }
            return Response(status: 204)
        }
    }

    /// The experiment named by the `:id` path parameter, or 404.
    func experiment(_ request: Request) throws -> Experiment {
        let id = request.pathParameters["id"] ?? ""
        guard let experiment = experiments.experiment(id) else { throw APIError.notFound("experiment", id: id) }
        return experiment
    }
}
