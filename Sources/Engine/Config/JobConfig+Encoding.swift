// The full config with every default filled in, as a JSON object (for `GET /jobs/{id}` and job files), written
// through the field descriptions so that what is parsed and what is written are the same fields.
import Foundation

extension JobConfig {
    /// A JSONSerialization-ready object of every field. `loss` is written resolved (never null), so a stored
    /// config says which loss ran; fields that are unset (`iterations`, `name`, `from_model`) are null. A config
    /// with `layers` leaves `hidden` out (giving both is refused), so what is written parses back.
    public func jsonObject() -> [String: Any] {
        var resolved = self
        resolved.model.loss = model.resolvedLoss
        var object: [String: Any] = [:]
        for field in Self.fields(in: nil) { object[field.key] = field.value(in: resolved).jsonObject }
        for section in Self.sections {
            var inner: [String: Any] = [:]
            for field in Self.fields(in: section) where !(field.path == "model.hidden" && model.layers != nil) {
                inner[field.key] = field.value(in: resolved).jsonObject
            }
            object[section] = inner
        }
        return object
    }

    /// The object serialised with sorted keys.
    public func jsonData() -> Data {
        // Every value is a string, number, bool, null, array or object, so serialisation cannot fail.
        (try? JSONSerialization.data(withJSONObject: jsonObject(), options: [.sortedKeys])) ?? Data()
    }
}
