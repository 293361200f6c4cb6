// The one error a job config can fail with: which field (dotted path) and why.

/// A rejected job config. `field` is the dotted path ("training.learning_rate"), empty for the whole body.
public struct ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
