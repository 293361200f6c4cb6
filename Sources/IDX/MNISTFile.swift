// MNISTFile: the name, size and published MD5 of one of the four official MNIST files.

/// One of the four published MNIST files.
public struct MNISTFile: Sendable, Equatable {
    /// File name, e.g. `train-images-idx3-ubyte.gz`.
    public let name: String
    /// Size in bytes.
    public let size: Int
    /// Published MD5, lowercase hex.
    public let md5: String
}
