// Lint warnings for the configurations the seeds show to be broken, their fixes, and the signal-scale
// estimate behind the init checks measured against a real forward pass.
import Testing
@testable import Engine

struct JobConfigLintTests {
    static func config(_ change: (inout ModelConfig) -> Void) -> JobConfig {
        var config = JobConfig()
        change(&config.model)
        return config
    }

    static func codes(_ change: (inout ModelConfig) -> Void) -> [String] { config(change).warnings().map(\.code) }

    @Test func defaultConfig_andTheSeedsFixes_haveNoWarning() {
        #expect(JobConfig().warnings().isEmpty)
        #expect(JobConfigLintTests.codes { $0.initializer = .uniform; $0.hidden = [100] }.isEmpty)      // the uniform ±0.5 fix
        #expect(JobConfigLintTests.codes { $0.initializer = .uniform }.isEmpty)                          // ... 4 layers deep
        #expect(JobConfigLintTests.codes { $0.activation = .sigmoid; $0.initializer = .xavier }.isEmpty) // Xavier for sigmoid
        #expect(JobConfigLintTests.codes { $0.activation = .tanh; $0.initializer = .xavier }.isEmpty)
        #expect(JobConfigLintTests.codes { $0.output = .linear; $0.loss = .mse }.isEmpty)
        #expect(JobConfigLintTests.codes { $0.output = .sigmoid }.isEmpty)
        #expect(JobConfigLintTests.codes { $0.initializer = .xavier; $0.hidden = [100, 100, 100] }.isEmpty)
    }

    static func rateCodes(_ change: (inout TrainingConfig) -> Void) -> [String] {
        var config = JobConfig()
        change(&config.training)
        return config.warnings().map(\.code)
    }

    @Test func aLearningRatePastWhatTrains_isFlaggedWithMomentumCounted() {
        #expect(JobConfigLintTests.rateCodes { $0.learningRate = 1e6 } == ["learning_rate_too_high"])
        // Momentum 0.9 makes 0.3 an effective 3; 0.1 (effective 1) is the default's neighbourhood.
        #expect(JobConfigLintTests.rateCodes { $0.learningRate = 0.3 } == ["learning_rate_too_high"])
        #expect(JobConfigLintTests.rateCodes { $0.learningRate = 0.1 }.isEmpty)
        #expect(JobConfigLintTests.rateCodes { $0.optimizer = .sgd; $0.learningRate = 0.5 }.isEmpty)
        #expect(JobConfigLintTests.rateCodes { $0.optimizer = .sgd; $0.learningRate = 2 } == ["learning_rate_too_high"])
        #expect(JobConfigLintTests.rateCodes { $0.optimizer = .adam; $0.learningRate = 0.01 }.isEmpty)
        #expect(JobConfigLintTests.rateCodes { $0.optimizer = .adamw; $0.learningRate = 0.1 } == ["learning_rate_too_high"])
        // A one-cycle schedule peaks at its max_lr, whatever the base rate.
        #expect(JobConfigLintTests.rateCodes {
            $0.optimizer = .sgd; $0.learningRate = 0.01
            $0.lrSchedule = LearningRateSchedule(.oneCycle(maximum: 5), warmupIterations: 0)
        } == ["learning_rate_too_high"])
        var config = JobConfig()
        config.training.learningRate = 1e6
        let message = config.warnings()[0].message
        #expect(message.contains("training.learning_rate 1e+06") && message.contains("effective rate of 1e+07"))
    }

    @Test func reluOrLinearOutputWithCrossEntropy_saysSoftmax() {
        for output in [OutputActivation.relu, .linear] {
            let warnings = JobConfigLintTests.config { $0.output = output; $0.loss = .crossEntropy }.warnings()
            #expect(warnings.map(\.code) == ["output_loss_mismatch"])
            #expect(warnings[0].message.contains("model.output \"softmax\""))
        }
    }

    @Test func reluOutputForRegression_saysLinear() {
        let warnings = JobConfigLintTests.config { $0.output = .relu }.warnings()   // loss null = mse
        #expect(warnings.map(\.code) == ["relu_output"])
        #expect(warnings[0].message.contains("model.output \"linear\""))
    }

    @Test func heWithSigmoidOrTanh_saysXavier() {
        for activation in [HiddenActivation.sigmoid, .tanh] {
            let warnings = JobConfigLintTests.config { $0.activation = activation }.warnings()
            #expect(warnings.map(\.code) == ["init_activation_mismatch"])
            #expect(warnings[0].message.contains("model.init \"xavier\""))
        }
    }

    @Test func xavierWithFourReLULayers_saysHe() {
        let warnings = JobConfigLintTests.config { $0.initializer = .xavier }.warnings()
        #expect(warnings.map(\.code) == ["init_activation_mismatch"])
        #expect(warnings[0].message.contains("model.init \"he\"") && warnings[0].message.contains("0.25"))
    }

    @Test func seeds000And004_tinyInitsForTheDepth_sayHe() {
        // std 0.01 over 784-100-100-100-100: 0.198 · 0.0707³ ≈ 7.0e-5 of the input's scale.
        let normal = JobConfigLintTests.config { $0.initializer = .normal }
        #expect(abs(normal.signalScale() - 7.0e-5) < 0.1e-5)
        #expect(normal.warnings().map(\.code) == ["init_too_small"])
        #expect(normal.warnings()[0].message.contains("model.init \"he\""))
        let uniform = JobConfigLintTests.config { $0.initializer = .uniform; $0.initRange = [-0.01, 0.01] }
        #expect(uniform.warnings().map(\.code) == ["init_too_small"])
        #expect(uniform.warnings()[0].message.contains("init_range [-0.5, 0.5]"))
        // Shallow enough to still learn: one hidden layer of std 0.01 keeps 0.198 of the scale.
        #expect(JobConfigLintTests.codes { $0.initializer = .normal; $0.hidden = [100] }.isEmpty)
        #expect(JobConfigLintTests.codes { $0.initializer = .normal; $0.initStd = 0.0001; $0.hidden = [100] } == ["init_too_small"])
        let sigmoid = JobConfigLintTests.config { $0.activation = .sigmoid; $0.initializer = .normal }.warnings()
        #expect(sigmoid.map(\.code) == ["init_too_small"] && sigmoid[0].message.contains("xavier"))
    }

    @Test func hugeInits_saturateSigmoidsOrBlowUpReLUs() {
        let sigmoid = JobConfigLintTests.config { $0.activation = .sigmoid; $0.initializer = .normal; $0.initStd = 1 }
        #expect(sigmoid.warnings().map(\.code) == ["init_too_large"])
        #expect(sigmoid.warnings()[0].message.contains("model.init \"xavier\""))
        #expect(JobConfigLintTests.codes { $0.initializer = .normal; $0.initStd = 1 } == ["init_too_large"])
    }

    @Test func signalScale_predictsTheRMSOfTheLastHiddenLayerOnGaussianInputs() {
        for (initializer, std) in [(InitKind.normal, 0.01), (.normal, 0.05), (.he, 0), (.xavier, 0)] {
            let config = JobConfigLintTests.config { $0.initializer = initializer; $0.initStd = std }
            let spec = config.model.spec()
            var random = SeededRandom(seed: 3)
            let network = Network<Float>(spec: spec)
            network.initialize(config.model.weightInitializer, random: &random)
            let workspace = Workspace<Float>(spec: spec, capacity: 500)
            workspace.input.assign((0..<workspace.input.count).map { _ in Float(random.nextNormal()) })
            network.forward(workspace, rows: 500)
            let last = workspace.a[spec.hidden.count - 1].toArray()
            let rms = (last.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(last.count)).squareRoot()
            let predicted = config.signalScale()
            #expect(rms / predicted > 0.8 && rms / predicted < 1.25, "\(initializer) \(std): rms \(rms) vs \(predicted)")
        }
    }
}
