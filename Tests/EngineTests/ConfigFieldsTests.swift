// The field descriptions drive the parser: for every field, values generated from its description (the wrong
// type, each side of its bounds, an unknown name beside it) are refused naming the field, and its bounds and
// default are accepted and written back unchanged. The README's table is the one the descriptions render.
import Foundation
import Testing
@testable import Engine

struct ConfigFieldsTests {
    /// A body that sets one field to `value`.
    static func body(_ field: ConfigField, _ value: Any) -> [String: Any] {
        guard let section = field.section else { return [field.key: value] }
        // Early stopping needs a validation split to watch.
        if field.path == "training.early_stopping" && !(value is NSNull) { return [section: [field.key: value, "validation_split": 0.1]] }
        return [section: [field.key: value]]
    }

    static func error(_ field: ConfigField, _ value: Any) -> ConfigError? {
        do { _ = try JobConfig(json: body(field, value)); return nil } catch let error as ConfigError { return error } catch {
            Issue.record("\(error)"); return nil
        }
    }

    /// Values the field's type refuses: a value of another JSON type and values just past its bounds.
    static func badValues(_ type: ConfigFieldType) -> [Any] {
        switch type {
        case .integer(let range):
            return ["1", true, [1], Double(range.lowerBound) - 1, Double(range.upperBound) + 1, Double(range.lowerBound) + 0.5]
        case .number(let bounds):
            var values: [Any] = ["1", false, [1.0]]
            if let minimum = bounds.minimum { values.append(bounds.minimumExclusive ? minimum : minimum.nextDown) }
            if let maximum = bounds.maximum { values.append(bounds.maximumExclusive ? maximum : maximum.nextUp) }
            return values
        case .boolean: return [1, "true", 0]
        case .text(let maxLength): return [1, true, String(repeating: "x", count: maxLength + 1)]
        case .name(let maxLength): return [1, "", ".hidden", "a/b", "..", String(repeating: "x", count: maxLength + 1)]
        case .choice(let names): return [1, names[0].uppercased(), names[0] + "x", ""]
        case let .integers(items, maxCount):
            return [1, "1", [Double(items.lowerBound) - 1], [Double(items.upperBound) + 1], [true], [1.5],
                    Array(repeating: items.lowerBound, count: maxCount + 1)]
        case .interval: return [1, [1.0], [1.0, 2.0, 3.0], ["a", 1.0], [true, 1.0]]
        case .extent(let range):
            return ["2", true, range.lowerBound - 1, range.upperBound + 1, 2.5, [2], [2, 2, 2], [2, range.upperBound + 1], [true, 2]]
        case .padding(let range): return badValues(.extent(range)) + ["valid", "SAME"]
        case .layers(let maxCount):
            return [1, "conv2d", [1], [["type": "conv3d"]], [[String: Any]()], [["type": 1]],
                    Array(repeating: ["type": "flatten"], count: maxCount + 1)]
        case .object(let shape):
            return [1, "x", [1.0]] + (shape.isTyped ? [[String: Any](), ["type": "nope"], ["type": 1]] : [])
        case .pair(let bounds):
            return [1, [0.5], [0.5, 0.5, 0.5], ["a", 0.5], [true, 0.5]]
                + (bounds.minimum.map { [[$0 - 1, $0]] } ?? []) + (bounds.maximum.map { [[$0, $0 + 1]] } ?? [])
        }
    }

    /// Values the field's type accepts: its bounds and its choices.
    static func goodValues(_ type: ConfigFieldType) -> [Any] {
        switch type {
        case .integer(let range): return [range.lowerBound, range.upperBound]
        case .number(let bounds):
            return [bounds.minimum.map { bounds.minimumExclusive ? $0.nextUp : $0 } ?? -1e300,
                    bounds.maximum.map { bounds.maximumExclusive ? $0.nextDown : $0 } ?? 1e300]
        case .boolean: return [true, false]
        case .text(let maxLength): return ["", String(repeating: "é", count: maxLength)]
        case .name(let maxLength): return ["a", "fashion-mnist_2.v1", String(repeating: "x", count: maxLength)]
        case .choice(let names): return names
        case let .integers(items, maxCount): return [[Int](), Array(repeating: items.upperBound, count: maxCount)]
        case .interval: return [[-1.0, 1.0], [0.0, 0.0]]
        case .extent(let range): return [[range.lowerBound, range.upperBound]]
        case .padding(let range): return [[range.lowerBound, range.upperBound], "same"]
        case .layers:
            // As the encoder writes them: every key given, extents as [h, w].
            return [[Any](), [
                ["type": "conv2d", "filters": 6, "kernel": [5, 5], "stride": [1, 1], "padding": [2, 2], "activation": "tanh"],
                ["type": "maxpool", "size": [2, 2], "stride": [2, 2]],
                ["type": "conv2d", "filters": 4, "kernel": [3, 3], "stride": [1, 1], "padding": "same", "activation": NSNull()],
                ["type": "avgpool", "size": [3, 2], "stride": [1, 2]],
                ["type": "dropout", "rate": 0.25],
                ["type": "flatten"],
                ["type": "dense", "units": 20, "activation": NSNull()],
            ] as [Any]]
        case .object(let shape):
            // One object per kind, every key given (as the encoder writes them).
            return shape.kinds.map { kind -> Any in
                var object: [String: Any] = kind.name.map { ["type": $0] } ?? [:]
                for key in shape.fields(of: kind) { object[key.key] = goodValues(key.type).first! }
                return object
            }
        case .pair(let bounds):
            return [[bounds.minimum.map { bounds.minimumExclusive ? $0.nextUp : $0 } ?? -1,
                     bounds.maximum.map { bounds.maximumExclusive ? $0.nextDown : $0 } ?? 1]]
        }
    }

    @Test(arguments: JobConfig.fields.map(\.path))
    func badValues_areRefusedNamingTheField(path: String) throws {
        let field = try #require(JobConfig.field(path))
        for value in Self.badValues(field.type) {
            let error = try #require(Self.error(field, value), "\(path) accepted \(value)")
            #expect(error.field == path || error.field.hasPrefix(path + "[") || error.field.hasPrefix(path + "."),
                    "\(path) = \(value): \(error)")
            #expect(error.message.hasPrefix("must be"), "\(error)")
        }
        let nullError = Self.error(field, NSNull())
        #expect((nullError == nil) == field.nullable, "\(path) = null: \(String(describing: nullError))")
    }

    @Test(arguments: JobConfig.fields.map(\.path))
    func goodValues_areAcceptedAndWrittenBackAsGiven(path: String) throws {
        let field = try #require(JobConfig.field(path))
        for value in Self.goodValues(field.type) + [field.defaultValue.jsonObject] {
            let config = try JobConfig(json: Self.body(field, value))
            let written = try JSONSerialization.data(withJSONObject: [field.value(in: config).jsonObject], options: [.fragmentsAllowed, .sortedKeys])
            let given = try JSONSerialization.data(withJSONObject: [value], options: [.fragmentsAllowed, .sortedKeys])
            // `loss` null is written resolved; every other value comes back as given.
            if path != "model.loss" || !(value is NSNull) {
                #expect(String(decoding: written, as: UTF8.self) == String(decoding: given, as: UTF8.self), "\(path)")
            }
            #expect(try JobConfig.parse(config.jsonData()) == config.withResolvedLoss, "\(path) round trip")
        }
    }

    @Test(arguments: [nil] + JobConfig.sections)
    func unknownNames_areRefusedNamingThemAndTheAllowedOnes(section: String?) {
        let body: [String: Any] = section.map { [$0: ["learnin_rate": 1]] } ?? ["learnin_rate": 1]
        #expect(throws: ConfigError.self) { try JobConfig(json: body) }
        do { _ = try JobConfig(json: body) } catch let error as ConfigError {
            #expect(error.field == (section.map { "\($0).learnin_rate" } ?? "learnin_rate"))
            let allowed = JobConfig.fields(in: section).map(\.key) + (section == nil ? JobConfig.sections : [])
            #expect(allowed.allSatisfy(error.message.contains), "\(error)")
        } catch { Issue.record("\(error)") }
    }

    @Test func everyPropertyOfTheConfig_isDescribedOnce() {
        let paths = JobConfig.fields.map(\.path)
        #expect(Set(paths).count == paths.count)
        let object = JobConfig().jsonObject()
        let written = object.keys.filter { !JobConfig.sections.contains($0) }.count
            + JobConfig.sections.reduce(0) { $0 + ((object[$1] as? [String: Any])?.count ?? 0) }
        #expect(written == paths.count)
    }

    @Test func readme_holdsTheTableTheDescriptionsRender() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- config-fields"))
        let start = try #require(readme.range(of: "-->\n", range: marker.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "<!-- /config-fields -->"))
        #expect(String(readme[start.upperBound..<end.lowerBound]) == ConfigReference.markdown,
                "README.md's field table is stale: paste the output of `mnistd config-fields`")
    }
}

extension JobConfig {
    var withResolvedLoss: JobConfig {
        var config = self
        config.model.loss = model.resolvedLoss
        return config
    }
}

struct JSONTreeTests {
    @Test func numbers_areReadExactly() throws {
        // JSONSerialization's reader on Linux gives 1.0 and 0.3000000000000001 for the first two.
        let tree = try #require(try JSONTree.parse(Data("[0.9999999999999999, 0.30000000000000004, 5e-324, 9007199254740991]".utf8)) as? [NSNumber])
        #expect(tree.map(\.doubleValue) == [(1.0).nextDown, 0.1 + 0.2, Double.leastNonzeroMagnitude, 9_007_199_254_740_991])
        #expect(tree[3].int64Value == 9_007_199_254_740_991)
    }

    @Test func booleansNullsAndStrings_keepTheirKinds() throws {
        let tree = try #require(try JSONTree.parse(Data(#"{"a": true, "b": 1, "c": null, "d": "x", "e": [false, {}]}"#.utf8)) as? [String: Any])
        #expect((tree["a"] as? NSNumber).map(JSONTree.isBoolean) == true)
        #expect((tree["b"] as? NSNumber).map(JSONTree.isBoolean) == false)
        #expect(tree["c"] is NSNull)
        #expect(tree["d"] as? String == "x")
        #expect(((tree["e"] as? [Any])?.last as? [String: Any])?.isEmpty == true)
    }

    @Test func badText_isAnErrorWithAReason() {
        // (JSONDecoder lets one trailing comma pass, "[1,]", as JSONSerialization does not; harmless.)
        for text in ["", "{", "{\"a\" 1}", "nul", "[1 2]"] {
            #expect(throws: JSONTreeError.self, "\(text)") { try JSONTree.parse(Data(text.utf8)) }
        }
    }

    @Test func momentumJustBelowOne_survivesTheRoundTripOfAStoredConfig() throws {
        var config = JobConfig()
        config.training.momentum = (1.0).nextDown
        #expect(try JobConfig.parse(config.jsonData()).training.momentum == (1.0).nextDown)
    }
}
