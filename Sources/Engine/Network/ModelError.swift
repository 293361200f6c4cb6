// Errors of importing an exported model.

/// Why a model JSON was rejected; layer indices are 0-based.
public enum ModelError: Error, Equatable, CustomStringConvertible, Sendable {
    case notJSON
    case wrongFormat(String)
    case missingField(String)
    case invalidField(field: String, message: String)
    case layerShape(layer: Int, message: String)
    case unknownActivation(layer: Int, name: String)
    case unknownLayerType(layer: Int, name: String)
    case nonFinite(layer: Int)
    case architectureMismatch(String)

    public var description: String {
        switch self {
        case .notJSON: return "the model is not a JSON object"
        case .wrongFormat(let found): return "format must be \"\(Model.format)\" or \"\(Model.formatV1)\", got \"\(found)\""
        case .missingField(let field): return "missing field \(field)"
        case .invalidField(let field, let message): return "\(field): \(message)"
        case .layerShape(let layer, let message): return "layers[\(layer)]: \(message)"
        case .unknownActivation(let layer, let name): return "layers[\(layer)]: unknown activation \"\(name)\""
        case .unknownLayerType(let layer, let name):
            return "layers[\(layer)]: unknown type \"\(name)\" (conv2d | maxpool | avgpool | dropout | flatten | dense)"
        case .nonFinite(let layer): return "layers[\(layer)]: weights and biases must be finite numbers"
        case .architectureMismatch(let message): return "architecture mismatch: \(message)"
        }
    }

    /// The dotted field the error is about, for the service's error shape.
    public var field: String? {
        switch self {
        case .missingField(let field), .invalidField(let field, _): return field
        case .layerShape(let layer, _), .unknownActivation(let layer, _), .unknownLayerType(let layer, _), .nonFinite(let layer):
            return "layers[\(layer)]"
        default: return nil
        }
    }
}
