// Command-line flags of the form `--name value` or `--name=value`, each with an optional environment fallback.
import Foundation

struct FlagError: Error, CustomStringConvertible {
    let description: String
}

/// Parsed flags of one subcommand. Unknown flags are an error naming the flag.
struct Flags {
    private var values: [String: String] = [:]

    /// Parses `arguments` against the allowed flag names (without dashes). `booleans` take no value.
    init(_ arguments: [String], allowed: Set<String>, booleans: Set<String> = []) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else { throw FlagError(description: "unexpected argument '\(argument)'") }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard allowed.contains(name) || booleans.contains(name) else {
                throw FlagError(description: "unknown flag '--\(name)'")
            }
            if booleans.contains(name) {
                values[name] = value ?? "true"
            } else if let value {
                values[name] = value
            } else {
                index += 1
                guard index < arguments.count else { throw FlagError(description: "flag '--\(name)' needs a value") }
                values[name] = arguments[index]
            }
            index += 1
        }
    }

    /// The flag's value, else the environment variable's, else nil.
    func string(_ name: String, env: String? = nil) -> String? {
        if let value = values[name] { return value }
        if let env, let value = ProcessInfo.processInfo.environment[env], !value.isEmpty { return value }
        return nil
    }

    /// An integer flag within `range`; a malformed value is an error naming the flag.
    func int(_ name: String, env: String? = nil, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name, env: env) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            // Name the environment variable when the value came from it, so the user knows where to look.
            let source = values[name] == nil ? env.map { " (from \($0))" } ?? "" : ""
            throw FlagError(description: "--\(name)\(source) must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    func bool(_ name: String) -> Bool {
        values[name].map { $0 == "true" || $0 == "1" } ?? false
    }
}
