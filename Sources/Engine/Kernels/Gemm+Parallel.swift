// Spreading one gemm over the shared thread pool: large products are split into contiguous column (or row)
// ranges of whole micro-tiles, up to two per granted thread; small ones never leave the calling thread.

extension Gemm {
    /// Products of fewer multiply-adds than this run on the calling thread: below it, handing work to a helper
    /// and packing the shared operand twice cost more than the second core gains. Measured with `mnistd bench
    /// --threads 2` (784-100-100-100-100-10): thresholds of 1e5, 3e5 and 1e6 gave the same ~300k samples/s,
    /// 2e6 (the 128×100×100 layers single-threaded) 265k, never parallel 230k.
    static let parallelThreshold = 1 << 20
    /// Chunks per granted thread. More let a free thread take up a late helper's slack, but every chunk
    /// reads all of op(A) again. 784-512-512-10 on 2 threads (Zen 4, 8 alternating runs): 2 per thread
    /// 54.8k samples/s, 4 per thread 52.8k; 1 and 8 were slower still.
    static let chunksPerThread = 2

    /// Runs `problem` on up to `threads` cores (0 = the pool's limit).
    static func run(_ problem: GemmProblem, threads: Int) {
        let pool = ThreadPool.shared
        let limit = threads > 0 ? min(threads, pool.maxThreads) : pool.maxThreads
        if limit <= 1 || problem.m * problem.n * max(problem.k, 1) < parallelThreshold {
            GemmBuffers.withBuffers { multiplyBlocked(problem, rows: 0..<problem.m, columns: 0..<problem.n, buffers: $0) }
            return
        }
        // Columns split best: op(A) is read in place and each chunk packs only its own columns of op(B), so
        // nothing is done twice. A second chunk per thread lets whoever is free take up the slack of a helper
        // that woke late. Rows split only when there are too few column strips; each chunk then packs all of B.
        let strips = (problem.n + nr - 1) / nr
        let rowTiles = (problem.m + mr - 1) / mr
        let splitColumns = strips >= 2 || rowTiles < 2
        let tiles = splitColumns ? strips : rowTiles
        GemmTask.with(problem) { task in
            task.tiles = tiles
            task.splitColumns = splitColumns
            pool.parallelRegion(threads: min(limit, tiles), chunkCount: { $0 == 1 ? 1 : min(chunksPerThread * $0, tiles) }, task: task)
        }
    }
}
