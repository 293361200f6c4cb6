// One parallel gemm as a pool task: the problem and how it is cut into chunks of whole micro-tiles. Tasks are
// kept in a free list, like GemmBuffers, so a parallel gemm allocates nothing once warm.
import Synchronization

/// Runs chunk c of n: the c-th of n contiguous ranges of column strips (or row strips) of one product.
final class GemmTask: ParallelTask {
    var problem: GemmProblem
    /// Column strips (nr wide) when `splitColumns`, else row strips (mr tall).
    var tiles = 0
    var splitColumns = true

    init(problem: GemmProblem) { self.problem = problem }

    func run(chunk: Int, of count: Int) {
        let first = tiles * chunk / count, last = tiles * (chunk + 1) / count
        GemmBuffers.withBuffers { buffers in
            if splitColumns {
                let columns = (first * Gemm.nr)..<min(problem.n, last * Gemm.nr)
                Gemm.multiplyBlocked(problem, rows: 0..<problem.m, columns: columns, buffers: buffers)
            } else {
                let rows = (first * Gemm.mr)..<min(problem.m, last * Gemm.mr)
                Gemm.multiplyBlocked(problem, rows: rows, columns: 0..<problem.n, buffers: buffers)
            }
        }
    }

    // MARK: - Free list

    private static let free = Mutex<[GemmTask]>([])

    /// Runs `body` with a task for `problem` that no other thread holds meanwhile.
    static func with(_ problem: GemmProblem, _ body: (GemmTask) -> Void) {
        let task = free.withLock { $0.popLast() } ?? GemmTask(problem: problem)
        task.problem = problem
        defer { free.withLock { $0.append(task) } }
        body(task)
    }
}

extension GemmTask: @unchecked Sendable {}
