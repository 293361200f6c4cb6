// The README's table of config fields, rendered from the field descriptions (`mnistd config-fields` prints
// it; a test keeps the README's copy equal to it).
import Foundation

public enum ConfigReference {
    /// One Markdown table: field, type and range, default, meaning.
    public static var markdown: String {
        var lines = ["| field | type and range | default | meaning |", "|---|---|---|---|"]
        for field in JobConfig.fields {
            let type = summary(field.type) + (field.nullable ? ", or null" : "")
            lines.append("| `\(field.path)` | \(type) | \(json(field.defaultValue)) | \(field.help) |")
        }
        lines += ["", "Layer types of `model.layers` (each an object with `type` and these keys; `*` marks a required key):", "",
                  "| type | key | type and range | default | meaning |", "|---|---|---|---|---|"]
        for kind in LayerType.all {
            lines.append("| `\(kind.name)` | | | | \(kind.help) |")
            lines += kind.fields.map(row)
        }
        for field in JobConfig.fields {
            guard case .object(let shape) = field.type else { continue }
            lines += ["", "`\(field.path)`" + (shape.isTyped ? " (an object with `type` and these keys" : " (an object of these keys")
                      + "; `*` marks a required key):", "",
                      "| type | key | type and range | default | meaning |", "|---|---|---|---|---|"]
            for kind in shape.kinds {
                lines.append("| \(kind.name.map { "`\($0)`" } ?? "") | | | | \(kind.help) |")
                lines += kind.fields.map(row)
            }
            if !shape.common.isEmpty {
                lines.append("| any | | | | |")
                lines += shape.common.map(row)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One key of a layer or object table.
    static func row(_ key: LayerField) -> String {
        let type = summary(key.type) + (key.nullable ? ", or null" : "")
        return "| | `\(key.key)`\(key.isRequired ? " *" : "") | \(type) | \(key.defaultValue.map(json) ?? "") | \(key.help) |"
    }

    static func summary(_ type: ConfigFieldType) -> String {
        switch type {
        case .integer(let range): return "integer in \(grouped(range.lowerBound))…\(grouped(range.upperBound))"
        case .number(let bounds):
            let rule = bounds.rule
            return rule.hasPrefix("a ") ? String(rule.dropFirst(2)) : rule
        case .boolean: return "boolean"
        case .text(let maxLength): return "string of ≤ \(maxLength) characters"
        case .name(let maxLength): return "folder name (letters, digits, `_`, `-`, `.`; ≤ \(maxLength))"
        case .choice(let names): return names.map { "`\($0)`" }.joined(separator: ", ")
        case let .integers(items, maxCount):
            return "up to \(maxCount) integers in \(grouped(items.lowerBound))…\(grouped(items.upperBound))"
        case .interval: return "`[a, b]`, two finite numbers"
        case .extent(let range): return "integer in \(range.lowerBound)…\(range.upperBound), or `[h, w]`"
        case .padding(let range): return "integer in \(range.lowerBound)…\(range.upperBound), `[h, w]`, or `\"same\"`"
        case .layers(let maxCount): return "up to \(maxCount) layer objects (table below)"
        case .object(let shape): return "\(shape.noun) object (table below)"
        case .pair(let bounds):
            let rule = bounds.rule
            return "`[a, b]`, two numbers, each " + (rule.hasPrefix("a ") ? String(rule.dropFirst(2)) : rule)
        }
    }

    /// 10000000 as 10,000,000.
    static func grouped(_ value: Int) -> String {
        var digits = String(value.magnitude), groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    static func json(_ value: ConfigValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "`\(flag)`"
        case .int(let number): return "`\(number)`"
        case .number(let number): return "`\(NumberBounds.text(number))`"
        case .string(let text): return "`\"\(text)\"`"
        case .integers(let numbers): return "`[\(numbers.map(String.init).joined(separator: ", "))]`"
        case .numbers(let numbers): return "`[\(numbers.map(NumberBounds.text).joined(separator: ", "))]`"
        case .layers(let layers): return "\(layers.count) layers"
        case .object(let values):
            return "`{" + values.keys.sorted().map { "\($0): \(json(values[$0]!).replacingOccurrences(of: "`", with: ""))" }.joined(separator: ", ") + "}`"
        }
    }
}
