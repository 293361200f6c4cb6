// Divergence on real MNIST with an absurd learning rate: the trainer stops within a few steps with a hint
// that names the fix, no NaN or infinity ever reaches the weights, and diagnostics never report one.
import Testing
@testable import Engine

struct DiagnosticsDivergenceTests {
    @Test(arguments: [OptimizerKind.sgd, .momentum, .adam])
    func learningRate1e6_divergesWithinAFewStepsAndKeepsTheWeightsFinite(optimizer: OptimizerKind) throws {
        let config = MNISTFixture.config {
            $0.training.optimizer = optimizer
            $0.training.learningRate = 1e6
            $0.training.seed = 5
        }
        let trainer = try MNISTFixture.trainer(config)
        var caught: TrainingError?
        for _ in 0..<10 {
            do { try trainer.step() } catch let error as TrainingError { caught = error; break }
            #expect(trainer.network.firstNonFiniteParameterLayer() == nil)
            let stats = trainer.diagnostics()
            #expect(stats.allSatisfy { $0.weightNorm.isFinite && $0.activationStd.isFinite && $0.updateRatioWeights.isFinite })
        }
        guard case .diverged(let iteration, _, let hint) = caught else {
            Issue.record("expected divergence, got \(String(describing: caught))"); return
        }
        print("\(optimizer) at lr 1e6 diverged at iteration \(iteration): \(hint)")
        #expect(iteration <= 3)
        // A tenth of 1e6 would still diverge: the hint names a rate that trains this optimizer.
        let suggested = optimizer == .adam ? "0.001" : optimizer == .sgd ? "0.1" : "0.01"
        #expect(hint.contains("lower training.learning_rate (now 1000000.0), e.g. to \(suggested),"))
        #expect(trainer.network.firstNonFiniteParameterLayer() == nil)
        #expect(trainer.iteration == iteration - 1)
        // The workspace holds the diverged batch: no diagnostics rather than NaNs in a JSON body.
        #expect(trainer.diagnostics().isEmpty)
    }
}
