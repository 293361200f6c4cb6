// Spreading one gemm over the shared thread pool: large products are split into contiguous row or column
// ranges (whole micro-tiles), one per granted thread; small ones never leave the calling thread.

extension Gemm {
    /// Products of fewer multiply-adds than this run on the calling thread: below it, handing work to a helper
    /// and packing the shared operand twice cost more than the second core gains. Measured with `mnistd bench
    /// --threads 2` (784-100-100-100-100-10): thresholds of 1e5, 3e5 and 1e6 gave the same ~300k samples/s,
    /// 2e6 (the 128×100×100 layers single-threaded) 265k, never parallel 230k.
    static let parallelThreshold = 1 << 20

    /// Runs `problem` on up to `threads` cores (0 = the pool's limit).
    static func run(_ problem: GemmProblem, threads: Int) {
        let pool = ThreadPool.shared
        let limit = threads > 0 ? min(threads, pool.maxThreads) : pool.maxThreads
        if limit <= 1 || problem.m * problem.n * max(problem.k, 1) < parallelThreshold {
            GemmBuffers.withBuffers { multiplyBlocked(problem, rows: 0..<problem.m, columns: 0..<problem.n, buffers: $0) }
            return
        }
        // Splitting rows makes every thread pack all of op(B) (k×n); splitting columns, all of op(A) (m×k):
        // duplicate the smaller one.
        let splitRows = problem.m >= problem.n
        let tiles = splitRows ? (problem.m + mr - 1) / mr : (problem.n + nr - 1) / nr
        pool.parallelRegion(threads: min(limit, tiles), chunkCount: { min($0, tiles) }) { chunk, chunks in
            let first = tiles * chunk / chunks, last = tiles * (chunk + 1) / chunks
            GemmBuffers.withBuffers { buffers in
                if splitRows {
                    let rows = (first * mr)..<min(problem.m, last * mr)
                    multiplyBlocked(problem, rows: rows, columns: 0..<problem.n, buffers: buffers)
                } else {
                    let columns = (first * nr)..<min(problem.n, last * nr)
                    multiplyBlocked(problem, rows: 0..<problem.m, columns: columns, buffers: buffers)
                }
            }
        }
    }
}
