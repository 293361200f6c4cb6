// Per-thread scratch of the kernels (the gemm's packing, the sparse first layer's lists): 64-byte aligned
// buffers kept in a process-wide free list, so that a training step allocates nothing once every thread has
// run its first multiply.
import Synchronization

/// One thread's packing space for a block of A and a panel of B, and indices for the sparse kernels.
/// Grows, never shrinks.
final class GemmBuffers {
    private(set) var a: UnsafeMutablePointer<Float>
    private(set) var b: UnsafeMutablePointer<Float>
    private(set) var indices: UnsafeMutablePointer<UInt32>
    private var aCapacity = 0
    private var bCapacity = 0
    private var indexCapacity = 0

    init() {
        a = GemmBuffers.allocate(0)
        b = GemmBuffers.allocate(0)
        indices = .allocate(capacity: 16)
    }

    deinit {
        a.deallocate()
        b.deallocate()
        indices.deallocate()
    }

    /// Makes room for `count` indices; contents are not kept.
    func reserve(indices count: Int) {
        guard count > indexCapacity else { return }
        indices.deallocate()
        indices = .allocate(capacity: count)
        indexCapacity = count
    }

    /// Makes room for `aCount` and `bCount` floats; contents are not kept.
    func reserve(a aCount: Int, b bCount: Int) {
        if aCount > aCapacity {
            a.deallocate()
            a = GemmBuffers.allocate(aCount)
            aCapacity = aCount
        }
        if bCount > bCapacity {
            b.deallocate()
            b = GemmBuffers.allocate(bCount)
            bCapacity = bCount
        }
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: max(count, 16) * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(count, 16))
    }

    // MARK: - Free list

    private static let free = Mutex<[GemmBuffers]>([])

    /// Runs `body` with buffers no other thread holds meanwhile.
    static func withBuffers<R>(_ body: (GemmBuffers) -> R) -> R {
        let buffers = free.withLock { $0.popLast() } ?? GemmBuffers()
        defer { free.withLock { $0.append(buffers) } }
        return body(buffers)
    }
}

extension GemmBuffers: @unchecked Sendable {}
