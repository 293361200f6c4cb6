// The validation split and early stopping on real MNIST: the held-out samples are the same for a seed and
// never trained on, their evaluation is the plain evaluation of those images, early stopping stops after
// patience + 1 evaluations without a gain and ends on the best weights, and a checkpoint keeps all of it.
import Foundation
import Testing
@testable import Engine

struct ValidationSplitTests {
    static func config(_ change: (inout JobConfig) -> Void = { _ in }) -> JobConfig {
        MNISTFixture.config {
            $0.model.hidden = [32]
            $0.training.validationSplit = 0.1
            $0.training.seed = 3
            $0.training.iterations = 40
            change(&$0)
        }
    }

    @Test func theHeldOutSamples_areTheSameForASeedAndNeverTrainedOn() throws {
        let trainer = try MNISTFixture.trainer(ValidationSplitTests.config())
        #expect(trainer.validationCount == 6000 && trainer.trainedSampleCount == 54000)
        #expect(trainer.iterationsPerEpoch == (54000 + 127) / 128)
        let held = Set(trainer.validationIndices), trained = Set(trainer.trainingIndices)
        #expect(held.isDisjoint(with: trained) && held.union(trained).count == 60000)
        // Every label is represented about as often as in the whole set (a uniform draw, not the file's first rows).
        let labels = MNISTFixture.dataset.train.labels
        for digit in 0..<10 {
            let share = Double(trainer.validationIndices.filter { labels[Int($0)] == digit }.count) / 6000
            let whole = Double(labels.filter { $0 == digit }.count) / 60000
            #expect(abs(share - whole) < 0.015, "digit \(digit): \(share) held out vs \(whole) overall")
        }
        // Another init, another optimizer: the same samples held out; another seed: others.
        let same = try MNISTFixture.trainer(ValidationSplitTests.config { $0.model.initializer = .xavier; $0.training.optimizer = .adam })
        #expect(same.validationIndices == trainer.validationIndices)
        let other = try MNISTFixture.trainer(ValidationSplitTests.config { $0.training.seed = 4 })
        #expect(other.validationIndices != trainer.validationIndices)
        // One epoch's order covers the trained samples exactly once.
        try trainer.step()
        #expect(Set(trainer.order) == trained && trainer.order.count == 54000)
    }

    @Test func theValidationEvaluation_isThePlainEvaluationOfTheHeldOutImages() throws {
        let trainer = try MNISTFixture.trainer(ValidationSplitTests.config())
        for _ in 0..<20 { try trainer.step() }
        let indices = trainer.validationIndices.map(Int.init)
        var images: [Float] = []
        images.reserveCapacity(indices.count * 784)
        for index in indices { images += MNISTFixture.trainImages[(index * 784)..<((index + 1) * 784)] }
        let labels = indices.map { MNISTFixture.dataset.train.labels[$0] }
        let validation = try #require(trainer.evaluateValidation())
        #expect(validation == trainer.evaluate(images: images, labels: labels))
        #expect(validation.accuracy > 0.5)
    }

    @Test(arguments: [0, 1, 3])
    func earlyStopping_withAnUnreachableMinDelta_stopsAfterPatiencePlusOneEvaluations(patience: Int) {
        var settings = EarlyStoppingSettings()
        settings.patience = patience
        settings.minDelta = 1e9
        var state = EarlyStoppingState()
        var evaluations = 0
        while state.stoppedAt == nil && evaluations < 20 {
            evaluations += 1
            let newBest = state.observe(Evaluation(loss: 1 / Double(evaluations), accuracy: 0.5), iteration: evaluations * 10,
                                        settings: settings)
            #expect(newBest == (evaluations == 1))
        }
        #expect(evaluations == max(patience, 1) + 1 && state.stoppedAt == evaluations * 10 && state.bestIteration == 10)
    }

    @Test func earlyStopping_countsOnlyEvaluationsWithoutAGain_inTheMetricsDirection() {
        var settings = EarlyStoppingSettings()
        settings.metric = .validation_accuracy
        settings.patience = 2
        settings.minDelta = 0.01
        var state = EarlyStoppingState()
        let accuracies = [0.90, 0.905, 0.92, 0.925, 0.921]
        let verdicts = accuracies.enumerated().map { state.observe(Evaluation(loss: 0, accuracy: $1), iteration: $0, settings: settings) }
        #expect(verdicts == [true, false, true, false, false])
        #expect(state.stoppedAt == 4 && state.bestValue(settings) == 0.92)
    }

    /// Early stopping through a trainer: the best evaluation's weights are kept and put back, and a trainer
    /// restored from a checkpoint mid-run continues to the same bits, watch included.
    @Test func theBestWeights_areRestoredAndACheckpointKeepsTheWatch() throws {
        let config = ValidationSplitTests.config {
            $0.training.earlyStopping = EarlyStoppingSettings()
            $0.training.earlyStopping?.minDelta = 1e9
            $0.training.earlyStopping?.patience = 2
        }
        func run(_ trainer: Trainer, until end: Int, snapshots: inout [Int: [Float]]) throws {
            while trainer.iteration < end && !trainer.isFinished {
                try trainer.step()
                if trainer.iteration % 10 == 0 {
                    trainer.observeValidation(trainer.evaluateValidation()!)
                    snapshots[trainer.iteration] = trainer.network.parameters.toArray()
                }
            }
        }
        var snapshots: [Int: [Float]] = [:]
        let trainer = try MNISTFixture.trainer(config)
        try run(trainer, until: 15, snapshots: &snapshots)
        let checkpoint = trainer.checkpoint()
        #expect(checkpoint.bestParameters == snapshots[10] && checkpoint.earlyStopping?.bestIteration == 10)
        try run(trainer, until: 40, snapshots: &snapshots)
        #expect(trainer.stoppedEarlyAt == 30 && trainer.isFinished)
        #expect(trainer.restoreBestWeights() == 10)
        #expect(trainer.network.parameters.toArray() == snapshots[10])

        var resumedSnapshots: [Int: [Float]] = [:]
        let resumed = try MNISTFixture.trainer(config)
        try resumed.restore(checkpoint)
        try run(resumed, until: 40, snapshots: &resumedSnapshots)
        #expect(resumed.stoppedEarlyAt == 30 && resumedSnapshots[30] == snapshots[30])
        #expect(resumed.earlyStoppingState == trainer.earlyStoppingState)
    }
}
