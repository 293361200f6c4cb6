// One pass of a Float layer over a batch, split into chunks of samples, as a pool task: the conv layers'
// im2col + gemm passes, the single-channel conv, pooling. Tasks are kept in a free list, as GemmTask's are, so
// that a step allocates nothing once warm. Which chunk runs on which thread never changes a result: chunks
// write disjoint rows, and the one sum over samples (the conv weight gradient) is kept per chunk.
import Synchronization

final class BatchTask: ParallelTask {
    enum Job {
        case idle
        case singleChannelForward(SingleChannelConv.Forward)
        case singleChannelWeightGradient(SingleChannelConv.WeightGradient)
        case convForward(ConvPasses.Forward)
        case convWeightGradient(ConvPasses.WeightGradient)
        case convInputGradient(ConvPasses.InputGradient)
        case pooling(Pooling.Chunks)
    }

    private var job = Job.idle

    func run(chunk: Int, of count: Int) {
        switch job {
        case .idle: break
        case .singleChannelForward(let work): work.run(chunk: chunk)
        case .singleChannelWeightGradient(let work): work.run(chunk: chunk)
        case .convForward(let work): work.run(chunk: chunk)
        case .convWeightGradient(let work): work.run(chunk: chunk)
        case .convInputGradient(let work): work.run(chunk: chunk)
        case .pooling(let work): work.run(chunk: chunk)
        }
    }

    private static let free = Mutex<[BatchTask]>([])

    /// Runs every chunk of `job` on up to `threads` cores (0 = the pool's limit); returns when all have run.
    static func run(_ job: Job, chunks: Int, threads: Int) {
        guard chunks > 0 else { return }
        let pool = ThreadPool.shared
        let limit = min(chunks, threads > 0 ? min(threads, pool.maxThreads) : pool.maxThreads)
        let task = free.withLock { $0.popLast() } ?? BatchTask()
        task.job = job
        defer {
            task.job = .idle
            free.withLock { $0.append(task) }
        }
        if limit <= 1 {
            for chunk in 0..<chunks { task.run(chunk: chunk, of: chunks) }
        } else {
            pool.parallelRegion(threads: limit, chunkCount: { _ in chunks }, task: task)
        }
    }
}

extension BatchTask: @unchecked Sendable {}
