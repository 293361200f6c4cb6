// What a parallel region of the ThreadPool runs: a reusable object, so that handing work to the pool's
// threads allocates nothing; closures, which the pool would have to box, only off the hot path.

/// Work split into chunks that a parallel region runs, each chunk once, on whichever thread claims it.
/// A class, so that a region holds it by reference: callers keep one per use site and reuse it every step.
protocol ParallelTask: AnyObject {
    /// Runs chunk `chunk` of `count` (every call of one region sees the same count).
    func run(chunk: Int, of count: Int)
}

/// A closure as a task, for callers off the hot path.
final class ClosureTask: ParallelTask {
    let body: (Int, Int) -> Void
    init(_ body: @escaping (Int, Int) -> Void) { self.body = body }
    func run(chunk: Int, of count: Int) { body(chunk, count) }
}
