// Successive halving across a sweep's jobs. A run trains to its rung and pauses there (checkpointed, state
// back to queued, out of the queue); the coordinator records what it measured. Once every live run of the
// experiment has reached the rung, the decision is written to the experiment first, then acted on: the
// survivors go back into the queue (past its capacity: they were admitted before) and the rest end cancelled,
// marked culled. Acting is idempotent, so a restart after a kill -9 at any point redoes what was decided and
// never undoes it: a culled run stays culled.
import Foundation

final class ExperimentCoordinator: @unchecked Sendable {
    let experiments: ExperimentStore
    let jobs: JobStore
    let queue: JobQueue
    let log: @Sendable (String) -> Void
    private let lock = NSLock()

    init(experiments: ExperimentStore, jobs: JobStore, queue: JobQueue, log: @escaping @Sendable (String) -> Void) {
        self.experiments = experiments
        self.jobs = jobs
        self.queue = queue
        self.log = log
    }

    /// What a worker may do with a job it took.
    enum Gate: Equatable {
        /// Train, pausing at this iteration when it is set (the run's next rung).
        case train(pauseAt: Int?)
        /// It waits at a rung the other runs have not all reached: leave it.
        case hold
        /// A decided rung culled it (the decision outran its ending): end it so.
        case culled
    }

    func gate(_ job: Job) -> Gate {
        lock.withLock {
            guard let (experiment, halving) = scheduled(job.id), !experiment.cancelled else { return .train(pauseAt: nil) }
            if let rung = experiment.culled[job.id] {
                cull(job.id, rung: rung, metric: halving.metric)
                return .culled
            }
            let rung = experiment.decidedRungs
            guard rung < halving.rungs else { return .train(pauseAt: nil) }
            if experiment.rungValues[rung][job.id] != nil { return .hold }
            return .train(pauseAt: halving.iteration(rung: rung, total: job.progress.iterations))
        }
    }

    /// A run paused at its rung at `iteration` with these metrics: its value is recorded (a missing or
    /// non-finite one as the worst there is, so it ranks last). The decision waits for `ended`.
    func paused(_ jobID: String, iteration: Int, metrics: JobMetrics) {
        lock.withLock {
            guard let (experiment, halving) = scheduled(jobID), experiment.decidedRungs < halving.rungs else { return }
            let rung = experiment.decidedRungs
            let measured = halving.lowerIsBetter ? metrics.validationLoss : metrics.validationAccuracy
            let worst = halving.lowerIsBetter ? Double.greatestFiniteMagnitude : -Double.greatestFiniteMagnitude
            let value = measured.flatMap { $0.isFinite ? $0 : nil }
            do {
                _ = try experiments.update(experiment.id) { $0.rungValues[rung][jobID] = value ?? worst }
                _ = try jobs.update(jobID) { job in
                    job.halving = JobHalving(rung: rung, iteration: iteration, status: .waiting, metric: halving.metric, value: value)
                }
            } catch {
                log("experiment \(experiment.id): cannot record job \(jobID) at rung \(rung): \(error)")
            }
        }
    }

    /// A worker is done with the job (paused, ended, or left waiting), or a client cancelled or deleted it:
    /// its experiment's rung may now be decided.
    func ended(_ jobID: String) {
        lock.withLock {
            guard let experiment = experiments.experiment(containing: jobID) else { return }
            decide(experiment.id)
        }
    }

    /// After a restart: culled runs are ended (again), and a rung every run had reached is decided.
    func restore() {
        lock.withLock {
            for experiment in experiments.all() where experiment.scheduler != nil {
                for (jobID, rung) in experiment.culled { cull(jobID, rung: rung, metric: experiment.scheduler?.metric ?? "") }
                decide(experiment.id)
            }
        }
    }

    // MARK: - Under the lock

    private func scheduled(_ jobID: String) -> (Experiment, SuccessiveHalving)? {
        guard let id = jobs.job(jobID)?.experimentID, let experiment = experiments.experiment(id),
              let halving = experiment.scheduler else { return nil }
        return (experiment, halving)
    }

    /// Live runs: neither culled nor finished nor deleted.
    private func live(_ experiment: Experiment) -> [String] {
        experiment.jobIDs.filter { id in
            experiment.culled[id] == nil && (jobs.job(id).map { !$0.state.isFinished } ?? false)
        }
    }

    private func decide(_ id: String) {
        guard let experiment = experiments.experiment(id), let halving = experiment.scheduler, !experiment.cancelled,
              experiment.decidedRungs < halving.rungs else { return }
        let rung = experiment.decidedRungs
        let live = live(experiment)
        let values = experiment.rungValues[rung].filter { live.contains($0.key) }
        guard !live.isEmpty, values.count == live.count else { return }
        let survivors = halving.survivors(values, order: experiment.jobIDs)
        do {
            _ = try experiments.update(id) { record in
                for jobID in live where !survivors.contains(jobID) { record.culled[jobID] = rung }
                record.decidedRungs = rung + 1
            }
        } catch {
            log("experiment \(id): cannot record the decision at rung \(rung): \(error)")
            return
        }
        log("experiment \(id): rung \(rung + 1) of \(halving.rungs): \(survivors.count) of \(live.count) runs go on")
        for jobID in experiment.jobIDs where live.contains(jobID) {
            if survivors.contains(jobID) { promote(jobID) } else { cull(jobID, rung: rung, metric: halving.metric) }
        }
    }

    private func promote(_ jobID: String) {
        do {
            _ = try jobs.update(jobID) { $0.halving?.status = .promoted }
            try queue.enqueue(jobID, overCapacity: true)
        } catch QueueError.duplicate {
            // Re-queued at startup already.
        } catch QueueError.closed {
            // Stopping: the next start re-queues it (it is `queued` on disk).
        } catch {
            log("job \(jobID): cannot go on to the next rung: \(error)")
        }
    }

    private func cull(_ jobID: String, rung: Int, metric: String) {
        queue.cancel(jobID)
        do {
            _ = try jobs.update(jobID) { job in
                guard !job.state.isFinished else { return }
                var halving = job.halving ?? JobHalving(rung: rung, iteration: job.progress.iteration, status: .culled,
                                                        metric: metric, value: nil)
                halving.status = .culled
                job.halving = halving
                job.finish(.cancelled)
            }
            try jobs.removeCheckpoint(for: jobID)
        } catch {
            log("job \(jobID): cannot record that rung \(rung + 1) culled it: \(error)")
        }
    }
}
