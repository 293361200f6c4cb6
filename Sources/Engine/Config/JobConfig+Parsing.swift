// Parsing a job config from JSON through the field descriptions (JobConfig+Fields): every field type- and
// range-checked, unknown fields rejected by name, null only where a field may be unset.
import Foundation

extension JobConfig {
    /// Parses a config from a JSON body; absent fields keep their defaults.
    public static func parse(_ data: Data) throws -> JobConfig {
        let tree: Any
        do {
            tree = try JSONTree.parse(data)
        } catch {
            // Said of an HTTP body and of a --config file alike, so it names neither; the reason has the place.
            throw ConfigError(field: "", message: "not valid JSON (\(error))")
        }
        return try JobConfig(json: tree)
    }

    /// Builds a config from a JSONSerialization tree (the service may embed configs in larger bodies).
    public init(json tree: Any) throws {
        self.init()
        let top = Self.withPreset(try Self.object(tree, path: ""))
        try Self.rejectUnknown(top, allowed: Self.topLevelKeys, path: "")
        for field in Self.fields(in: nil) {
            if let value = top[field.key] { try field.read(value, into: &self) }
        }
        for section in Self.sections {
            guard let value = top[section] else { continue }
            let object = try Self.object(value, path: section)
            let fields = Self.fields(in: section)
            try Self.rejectUnknown(object, allowed: fields.map(\.key), path: section)
            for field in fields {
                if let value = object[field.key] { try field.read(value, into: &self) }
            }
        }
        if training.earlyStopping != nil && training.validationSplit == 0 {
            throw ConfigError(field: "training.early_stopping", message: "needs a validation set to watch: set training.validation_split "
                              + "(e.g. 0.1); the test set is never used for a decision")
        }
        if let model = top["model"] as? [String: Any], model["hidden"] != nil, model["layers"].map({ !($0 is NSNull) }) == true {
            throw ConfigError(field: "model.layers", message: "give model.layers or model.hidden, not both "
                              + "(layers lists dense layers too: {\"type\": \"dense\", \"units\": 100})")
        }
    }

    /// The body over its preset's whole config, section by section, when it names a known preset (an unknown
    /// name is refused by the `preset` field). A body that gives `model.hidden` drops the preset's `layers`,
    /// and one that gives `layers` its `hidden`.
    static func withPreset(_ body: [String: Any]) -> [String: Any] {
        guard let name = body["preset"] as? String, let preset = JobPreset.named(name) else { return body }
        var merged = preset.config.jsonObject()
        for (key, value) in body {
            guard sections.contains(key), var section = merged[key] as? [String: Any], let given = value as? [String: Any] else {
                merged[key] = value
                continue
            }
            if key == "model" && given["hidden"] != nil { section.removeValue(forKey: "layers") }
            if key == "model" && given["layers"] != nil { section.removeValue(forKey: "hidden") }
            merged[key] = section.merging(given) { $1 }
        }
        return merged
    }

    static func object(_ value: Any, path: String) throws -> [String: Any] {
        guard let object = value as? [String: Any] else {
            throw ConfigError(field: path, message: "must be a JSON object")
        }
        return object
    }

    /// Rejects any key not in `allowed` (typos like `learnin_rate` name themselves).
    static func rejectUnknown(_ object: [String: Any], allowed: [String], path: String) throws {
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw ConfigError(field: path.isEmpty ? key : "\(path).\(key)",
                              message: "unknown field (allowed: \(allowed.joined(separator: ", ")))")
        }
    }
}
