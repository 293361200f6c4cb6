// Lint warnings for the configurations the seeds show to be broken.
import Testing
@testable import Engine

struct JobConfigLintTests {
    @Test func warnings_flagTheSeedsBrokenConfigsAndNotTheDefault() {
        #expect(JobConfig().warnings().isEmpty)
        var config = JobConfig()
        config.model.output = .relu
        config.model.loss = .crossEntropy
        #expect(config.warnings().map(\.code) == ["output_loss_mismatch"])
        config = JobConfig()
        config.model.activation = .sigmoid
        #expect(config.warnings().map(\.code) == ["init_activation_mismatch"])
        config = JobConfig()
        config.model.initializer = .normal
        #expect(config.warnings().map(\.code) == ["init_too_small"])
    }
}
