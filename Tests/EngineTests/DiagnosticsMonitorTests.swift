// The training monitor on real MNIST: each detector fires on its seed's broken configuration and all stay
// silent on healthy He/ReLU runs; plus its bookkeeping (once per code and layer, streaks) on made-up numbers.
import Foundation
import Testing
@testable import Engine

@Suite(.serialized) struct DiagnosticsMonitorTests {
    /// 784-100-100-100-100-10, SGD 0.01, batch 128, seed 4, with `change` applied.
    static func config(_ change: (inout JobConfig) -> Void = { _ in }) -> JobConfig {
        MNISTFixture.config {
            $0.training.optimizer = .sgd
            $0.training.learningRate = 0.01
            $0.training.seed = 4
            change(&$0)
        }
    }

    /// Trains `iterations` steps, observing every `every` as the service does (recent loss = mean of the last 50).
    static func watch(_ config: JobConfig, iterations: Int, every: Int = 50, initialModel: Model? = nil) throws
        -> (warnings: [TrainingWarning], first: [LayerStatistics], last: [LayerStatistics]) {
        let trainer = try MNISTFixture.trainer(config, initialModel: initialModel)
        let monitor = TrainingMonitor(config: config)
        var losses: [Double] = [], warnings: [TrainingWarning] = []
        var first: [LayerStatistics] = [], last: [LayerStatistics] = []
        for i in 1...iterations {
            losses.append(try trainer.step().loss)
            guard i % every == 0 else { continue }
            last = trainer.diagnostics()
            if first.isEmpty { first = last }
            let recent = losses.suffix(50)
            warnings += monitor.observe(iteration: i, layers: last, recentLoss: recent.reduce(0, +) / Double(recent.count))
        }
        return (warnings, first, last)
    }

    @Test func healthyHeReLURuns_raiseNoWarning() throws {
        let sgd = try DiagnosticsMonitorTests.watch(DiagnosticsMonitorTests.config(), iterations: 400)
        #expect(sgd.warnings.isEmpty, "\(sgd.warnings)")
        // Observing every 10 steps (past the warm-up too) changes nothing.
        let dense = try DiagnosticsMonitorTests.watch(DiagnosticsMonitorTests.config(), iterations: 300, every: 10)
        #expect(dense.warnings.isEmpty, "\(dense.warnings)")
        // The default job (momentum 0.9, lr 0.05) as well.
        let standard = try DiagnosticsMonitorTests.watch(MNISTFixture.config { $0.training.seed = 4 }, iterations: 300)
        #expect(standard.warnings.isEmpty, "\(standard.warnings)")
        print("healthy He/ReLU after 400 SGD steps: dead \(sgd.last.compactMap(\.deadFraction)), std \(sgd.last.map(\.activationStd))")
    }

    @Test func stdPoint01_vanishesThenLearnsOnlyBiasesThenPlateausAtChance() throws {
        let config = DiagnosticsMonitorTests.config { $0.model.initializer = .normal; $0.model.initStd = 0.01 }
        let (warnings, first, last) = try DiagnosticsMonitorTests.watch(config, iterations: 500)
        let byCode = Dictionary(grouping: warnings, by: \.code)
        // Activations shrink ~13× per layer (0.0396, 0.00290, 0.000197, ... by the variance argument), seen at the first check.
        let vanishing = try #require(byCode["vanishing_activations"]?.first)
        #expect(vanishing.iteration == 50 && vanishing.layer == 3)
        #expect(vanishing.message.contains("model.init \"he\""))
        let stds = first.dropLast().map(\.activationStd)
        for (a, b) in zip(stds, stds.dropFirst()) { #expect(a / b > TrainingMonitor.vanishingFactorPerLayer, "\(stds)") }
        #expect(stds[0] / stds[1] > 10 && stds[1] / stds[2] > 10, "\(stds)")
        // std 0.01 (the init_too_small case): every hidden layer's weights move ≥ 100× less than its biases, from the warm-up on.
        let biasesOnly = byCode["only_biases_learning"] ?? []
        #expect(Set(biasesOnly.compactMap(\.layer)) == [0, 1, 2, 3])
        #expect(biasesOnly.allSatisfy { $0.iteration == 200 && $0.message.contains("uniform") })
        for layer in last.dropLast() { #expect(layer.updateRatioBiases > 1000 * layer.updateRatioWeights, "\(layer)") }
        // And the loss never leaves ln 10.
        let plateau = try #require(byCode["loss_plateau"]?.first)
        #expect(plateau.iteration == 500 && plateau.layer == nil)
        #expect(Set(byCode.keys) == ["vanishing_activations", "only_biases_learning", "loss_plateau"])
        print("std=0.01: hidden stds at 50 \(stds), update ratios W \(last.map(\.updateRatioWeights)) b \(last.map(\.updateRatioBiases))")
    }

    @Test func sigmoidWithStdOne_saturatesAndSaysXavier() throws {
        let config = DiagnosticsMonitorTests.config {
            $0.model.activation = .sigmoid
            $0.model.initializer = .normal
            $0.model.initStd = 1
        }
        let (warnings, _, last) = try DiagnosticsMonitorTests.watch(config, iterations: 200)
        let saturated = warnings.filter { $0.code == "saturated_activations" }
        #expect(saturated.map(\.layer) == [0, 1, 2, 3] && saturated.allSatisfy { $0.iteration == 50 })
        #expect(saturated.allSatisfy { $0.message.contains("xavier") })
        // Saturated weights also move little against their norm; that is not blamed on small weights.
        #expect(!warnings.contains { $0.code == "only_biases_learning" || $0.code == "dead_relu" })
        print("sigmoid std 1: saturated \(last.compactMap(\.saturatedFraction))")
    }

    @Test func tooLargeALearningRate_killsReLUUnits() throws {
        // Momentum 0.9 at lr 0.2 (4× the default): most first-layer units go silent within 50 steps.
        let config = DiagnosticsMonitorTests.config { $0.training.optimizer = .momentum; $0.training.learningRate = 0.2 }
        let (warnings, _, last) = try DiagnosticsMonitorTests.watch(config, iterations: 100)
        let dead = try #require(warnings.first { $0.code == "dead_relu" })
        #expect(dead.layer == 0 && dead.iteration == 50)
        #expect(dead.message.contains("learning_rate from 0.2 to 0.02"))
        print("momentum lr 0.2: dead fractions \(last.compactMap(\.deadFraction))")
    }

    @Test func veryNegativeImportedBiases_killAWholeLayer() throws {
        let config = DiagnosticsMonitorTests.config()
        var model = try MNISTFixture.trainer(config).model()
        model.layers[1].bias = model.layers[1].bias.map { _ in -10 }
        let (warnings, _, last) = try DiagnosticsMonitorTests.watch(config, iterations: 1, every: 1, initialModel: model)
        #expect(last[1].deadFraction == 1)
        #expect(warnings.map(\.code) == ["dead_relu"] && warnings.first?.layer == 1, "\(warnings)")
    }

    // MARK: - Bookkeeping on made-up numbers

    static func layer(_ index: Int, dead: Double? = 0, ratioW: Double = 1e-3, ratioB: Double = 1e-2,
                      std: Double = 0.5) -> LayerStatistics {
        LayerStatistics(index: index, units: 10, activation: "relu", activationMean: std, activationStd: std,
                        deadFraction: dead, saturatedFraction: nil, weightNorm: 1, gradNorm: 1, biasNorm: 1,
                        biasGradNorm: 1, updateRatioWeights: ratioW, updateRatioBiases: ratioB,
                        histogramEdges: Array(repeating: 0, count: 21), histogramCounts: Array(repeating: 0, count: 20))
    }

    @Test func eachCodeFiresOncePerLayer() {
        let monitor = TrainingMonitor(config: JobConfig())
        let sick = [DiagnosticsMonitorTests.layer(0, dead: 0.9), DiagnosticsMonitorTests.layer(1, dead: 0.1),
                    DiagnosticsMonitorTests.layer(2, dead: 0.6), DiagnosticsMonitorTests.layer(3, dead: nil)]
        #expect(monitor.observe(iteration: 10, layers: sick, recentLoss: nil).map(\.layer) == [0, 2])
        #expect(monitor.observe(iteration: 20, layers: sick, recentLoss: nil).isEmpty)
        #expect(monitor.observe(iteration: 30, layers: [], recentLoss: 2.3).isEmpty)
    }

    @Test func deadRun_namesOnlyItsFirstLayer() {
        let monitor = TrainingMonitor(config: JobConfig())
        let run = [DiagnosticsMonitorTests.layer(0, dead: 0.2), DiagnosticsMonitorTests.layer(1, dead: 1),
                   DiagnosticsMonitorTests.layer(2, dead: 1), DiagnosticsMonitorTests.layer(3, dead: nil)]
        #expect(monitor.observe(iteration: 10, layers: run, recentLoss: nil).map(\.layer) == [1])
    }

    @Test func onlyBiases_needsThreeConsecutiveChecksPastTheWarmUp() {
        let monitor = TrainingMonitor(config: JobConfig())
        let slow = [DiagnosticsMonitorTests.layer(0, ratioW: 1e-5, ratioB: 1e-2), DiagnosticsMonitorTests.layer(1)]
        let fine = [DiagnosticsMonitorTests.layer(0), DiagnosticsMonitorTests.layer(1)]
        for iteration in [50, 100, 150] { #expect(monitor.observe(iteration: iteration, layers: fine, recentLoss: nil).isEmpty) }
        #expect(monitor.observe(iteration: 60, layers: slow, recentLoss: nil).isEmpty)   // before the warm-up
        #expect(monitor.observe(iteration: 200, layers: slow, recentLoss: nil).isEmpty)
        #expect(monitor.observe(iteration: 250, layers: slow, recentLoss: nil).isEmpty)
        #expect(monitor.observe(iteration: 300, layers: fine, recentLoss: nil).isEmpty)  // the streak resets
        #expect(monitor.observe(iteration: 350, layers: slow, recentLoss: nil).isEmpty)
        #expect(monitor.observe(iteration: 400, layers: slow, recentLoss: nil).isEmpty)
        let warnings = monitor.observe(iteration: 450, layers: slow, recentLoss: nil)
        #expect(warnings.map(\.code) == ["only_biases_learning"] && warnings.first?.layer == 0)
    }

    @Test func lossPlateau_onlyForCrossEntropyAfterItsIterations() {
        let layers = [DiagnosticsMonitorTests.layer(0), DiagnosticsMonitorTests.layer(1, dead: nil)]
        let monitor = TrainingMonitor(config: JobConfig())
        #expect(monitor.observe(iteration: 499, layers: layers, recentLoss: 2.30).isEmpty)
        #expect(monitor.observe(iteration: 500, layers: layers, recentLoss: 1.9).isEmpty)
        #expect(monitor.observe(iteration: 550, layers: layers, recentLoss: 2.31).map(\.code) == ["loss_plateau"])
        var mse = JobConfig()
        mse.model.loss = .mse
        #expect(TrainingMonitor(config: mse).observe(iteration: 900, layers: layers, recentLoss: 2.30).isEmpty)
    }
}
