// GET /presets: the named configs a job can start from (`{"preset": "lenet5", ...}` in POST /jobs), each with
// its whole config and its network's layers, shapes and parameter counts, so a client can show one before
// starting it.
import Engine
import Foundation

extension TrainingService {
    func registerPresetRoutes() {
        let body = TrainingService.presetList()
        routes.add(.get, "/presets", inline: true) { _ in json(body) }
    }

    static func presetList() -> JSONValue {
        .object(["presets": .array(JobPreset.all.map { preset in
            // The presets are built in, so their configs always encode and their networks always fit.
            let config = (try? JSONValue(parsing: preset.config.jsonData())) ?? .null
            let spec = try? preset.config.model.networkSpec()
            return ["name": .string(preset.name), "summary": .string(preset.summary), "config": config,
                    "architecture": spec?.architectureSummary ?? .null]
        })])
    }
}
