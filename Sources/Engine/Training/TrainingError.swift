// Errors a training run can end with.

/// Why training stopped or could not start.
public enum TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The loss, a gradient or the update became NaN or infinite at `iteration` (1-based); `layer` is the first
    /// dense layer (0-based) with a non-finite gradient, else the first whose update overflowed, nil when only the
    /// loss was non-finite. Parameters were not updated with it.
    case diverged(iteration: Int, layer: Int?, hint: String)
    /// The data handed to the trainer is inconsistent (sizes, labels out of range).
    case invalidData(String)
    /// A checkpoint does not fit this config or data.
    case checkpointMismatch(String)

    public var description: String {
        switch self {
        case .diverged(let iteration, let layer, let hint):
            let place = layer.map { " (first non-finite gradient in layer \($0))" } ?? ""
            return "training diverged at iteration \(iteration)\(place): \(hint)"
        case .invalidData(let message): return "invalid training data: \(message)"
        case .checkpointMismatch(let message): return "checkpoint does not fit: \(message)"
        }
    }
}
