// One zeroed allocation and the matrix views carved from it: the only place the engine allocates
// scalar memory, so a network and its batch-size workspace are one allocation each.

/// A row-major view `(rows, columns)` into a Storage; copying the view never copies the numbers.
struct Matrix<T: EngineScalar> {
    let base: UnsafeMutablePointer<T>
    let rows: Int
    let columns: Int

    var count: Int { rows * columns }

    @inline(__always) subscript(row: Int, column: Int) -> T {
        get { assert(row < rows && column < columns); return base[row * columns + column] }
        nonmutating set { assert(row < rows && column < columns); base[row * columns + column] = newValue }
    }

    /// Flat element access, row-major.
    @inline(__always) subscript(index: Int) -> T {
        get { assert(index < count); return base[index] }
        nonmutating set { assert(index < count); base[index] = newValue }
    }

    /// The first `rows` rows: a partial minibatch uses the front of a workspace sized for the full one.
    func prefix(rows newRows: Int) -> Matrix {
        precondition(newRows <= rows, "a view cannot grow")
        return Matrix(base: base, rows: newRows, columns: columns)
    }

    /// Rows `range` (a slice of a minibatch that one thread works on).
    func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows outside the matrix")
        return Matrix(base: base + range.lowerBound * columns, rows: range.count, columns: columns)
    }

    /// `rows × columns` scalars starting at flat index `offset`, as their own view.
    func view(offset: Int, rows: Int, columns: Int) -> Matrix {
        precondition(offset >= 0 && offset + rows * columns <= count, "view outside its matrix")
        return Matrix(base: base + offset, rows: rows, columns: columns)
    }

    /// Row `row` as a (1, columns) view.
    func row(_ row: Int) -> Matrix { Matrix(base: base + row * columns, rows: 1, columns: columns) }

    /// Copies all numbers out (tests, checkpoints, export).
    func toArray() -> [T] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Overwrites all numbers from `values` (same count).
    func assign<C: Collection>(_ values: C) where C.Element == T {
        precondition(values.count == count, "assign needs \(count) values, got \(values.count)")
        var index = 0
        for value in values { base[index] = value; index += 1 }
    }
}

/// One zero-initialised allocation of `count` scalars, freed with its owner.
final class Storage<T: EngineScalar> {
    let base: UnsafeMutablePointer<T>
    let count: Int
    private var carved = 0

    init(count: Int) {
        self.count = count
        base = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { base.deallocate() }

    /// The next `rows × columns` scalars as a view; the caller sized the storage for all its views.
    func carve(rows: Int, columns: Int) -> Matrix<T> {
        precondition(carved + rows * columns <= count, "storage too small for its views")
        defer { carved += rows * columns }
        return Matrix(base: base + carved, rows: rows, columns: columns)
    }

    /// A view of everything (the flat parameter vector for optimizers and checkpoints).
    var all: Matrix<T> { Matrix(base: base, rows: 1, columns: count) }
}
