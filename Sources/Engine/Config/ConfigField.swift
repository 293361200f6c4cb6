// One field of the job config, described once: its dotted path, what values it takes, whether null (unset) is
// one of them, a label and a line of help, and how it is read from and written to a JobConfig. The parser, the
// encoder, the OpenAPI schema, the README's field reference and the page's form are all made from these.
import Foundation

public struct ConfigField: @unchecked Sendable {
    /// "training.learning_rate"; a top-level field has no dot.
    public let path: String
    public let type: ConfigFieldType
    /// Whether JSON null is a value of the field (it means "not set": no name, no iteration count, ...).
    public let nullable: Bool
    /// A short label for forms ("Learning rate").
    public let label: String
    /// One line of help.
    public let help: String
    let extract: (JobConfig) -> ConfigValue
    let store: (inout JobConfig, ConfigValue) -> Void

    /// The object the field sits in ("training"), nil for a top-level field.
    public var section: String? { path.firstIndex(of: ".").map { String(path[..<$0]) } }

    /// The field's name inside its object ("learning_rate").
    public var key: String { path.firstIndex(of: ".").map { String(path[path.index(after: $0)...]) } ?? path }

    /// The value a config has when the field is not given.
    public var defaultValue: ConfigValue { extract(JobConfig()) }

    public func value(in config: JobConfig) -> ConfigValue { extract(config) }

    /// Checks a JSON value (from JSONSerialization) and stores it in `config`; throws the 400 naming the field.
    func read(_ json: Any, into config: inout JobConfig) throws {
        if json is NSNull {
            guard nullable else { throw ConfigError(field: path, message: "must be \(type.rule), got null") }
            store(&config, .null)
        } else {
            store(&config, try type.read(json, field: path))
        }
    }
}

// MARK: - Building fields over key paths

extension ConfigField {
    static func integer(_ path: String, _ range: ClosedRange<Int>, _ label: String, _ help: String,
                        _ keyPath: WritableKeyPath<JobConfig, Int>) -> ConfigField {
        ConfigField(path: path, type: .integer(range), nullable: false, label: label, help: help,
                    extract: { .int($0[keyPath: keyPath]) },
                    store: { if case .int(let value) = $1 { $0[keyPath: keyPath] = value } })
    }

    static func integer(_ path: String, _ range: ClosedRange<Int>, _ label: String, _ help: String,
                        _ keyPath: WritableKeyPath<JobConfig, Int?>) -> ConfigField {
        ConfigField(path: path, type: .integer(range), nullable: true, label: label, help: help,
                    extract: { $0[keyPath: keyPath].map(ConfigValue.int) ?? .null },
                    store: { config, value in
                        if case .int(let number) = value { config[keyPath: keyPath] = number } else { config[keyPath: keyPath] = nil }
                    })
    }

    static func number(_ path: String, _ bounds: NumberBounds, _ label: String, _ help: String,
                       _ keyPath: WritableKeyPath<JobConfig, Double>) -> ConfigField {
        ConfigField(path: path, type: .number(bounds), nullable: false, label: label, help: help,
                    extract: { .number($0[keyPath: keyPath]) },
                    store: { if case .number(let value) = $1 { $0[keyPath: keyPath] = value } })
    }

    static func number(_ path: String, _ bounds: NumberBounds, _ label: String, _ help: String,
                       _ keyPath: WritableKeyPath<JobConfig, Double?>) -> ConfigField {
        ConfigField(path: path, type: .number(bounds), nullable: true, label: label, help: help,
                    extract: { $0[keyPath: keyPath].map(ConfigValue.number) ?? .null },
                    store: { config, value in
                        if case .number(let number) = value { config[keyPath: keyPath] = number } else { config[keyPath: keyPath] = nil }
                    })
    }

    static func boolean(_ path: String, _ label: String, _ help: String,
                        _ keyPath: WritableKeyPath<JobConfig, Bool>) -> ConfigField {
        ConfigField(path: path, type: .boolean, nullable: false, label: label, help: help,
                    extract: { .bool($0[keyPath: keyPath]) },
                    store: { if case .bool(let value) = $1 { $0[keyPath: keyPath] = value } })
    }

    static func text(_ path: String, maxLength: Int, _ label: String, _ help: String,
                     _ keyPath: WritableKeyPath<JobConfig, String?>) -> ConfigField {
        ConfigField(path: path, type: .text(maxLength: maxLength), nullable: true, label: label, help: help,
                    extract: { $0[keyPath: keyPath].map(ConfigValue.string) ?? .null },
                    store: { config, value in
                        if case .string(let text) = value { config[keyPath: keyPath] = text } else { config[keyPath: keyPath] = nil }
                    })
    }

    static func choice<E: RawRepresentable & CaseIterable>(
        _ path: String, _ label: String, _ help: String, _ keyPath: WritableKeyPath<JobConfig, E>
    ) -> ConfigField where E.RawValue == String {
        ConfigField(path: path, type: .choice(E.allCases.map(\.rawValue)), nullable: false, label: label, help: help,
                    extract: { .string($0[keyPath: keyPath].rawValue) },
                    store: { if case .string(let name) = $1, let value = E(rawValue: name) { $0[keyPath: keyPath] = value } })
    }

    static func choice<E: RawRepresentable & CaseIterable>(
        _ path: String, _ label: String, _ help: String, _ keyPath: WritableKeyPath<JobConfig, E?>
    ) -> ConfigField where E.RawValue == String {
        ConfigField(path: path, type: .choice(E.allCases.map(\.rawValue)), nullable: true, label: label, help: help,
                    extract: { $0[keyPath: keyPath].map { .string($0.rawValue) } ?? .null },
                    store: { config, value in
                        if case .string(let name) = value { config[keyPath: keyPath] = E(rawValue: name) } else { config[keyPath: keyPath] = nil }
                    })
    }
}
