// The stepping trainer on real MNIST: checkpoints resume bit-identically, file order without shuffle,
// divergence stops before a NaN update, evaluation and epochs count as documented.
import Foundation
import Testing
@testable import Engine

struct TrainerTests {
    static let small = MNISTFixture.config {
        $0.model.hidden = [32]
        $0.training.batchSize = 100
        $0.training.optimizer = .adam
        $0.training.learningRate = 0.001
        $0.training.seed = 11
        $0.training.epochs = 1
    }

    @Test func checkpoint_restoredMidEpochResumesBitIdentically() throws {
        // 600 batches per epoch: 650 steps cross an epoch boundary, the checkpoint at 620 is mid-epoch 2.
        let straight = try MNISTFixture.trainer(TrainerTests.small)
        var expected: [Double] = []
        for _ in 0..<650 { expected.append(try straight.step().loss) }

        let first = try MNISTFixture.trainer(TrainerTests.small)
        var resumed: [Double] = []
        for _ in 0..<620 { resumed.append(try first.step().loss) }
        let data = try JSONEncoder().encode(first.checkpoint())
        let second = try MNISTFixture.trainer(TrainerTests.small)
        try second.restore(JSONDecoder().decode(Checkpoint.self, from: data))
        #expect(second.iteration == 620 && second.epoch == 1)
        for _ in 0..<30 { resumed.append(try second.step().loss) }

        #expect(resumed == expected)
        #expect(second.model() == straight.model())
    }

    @Test func sameSeedAndConfig_giveBitIdenticalLossesAndWeights() throws {
        let a = try MNISTFixture.trainer(TrainerTests.small), b = try MNISTFixture.trainer(TrainerTests.small)
        for _ in 0..<20 { #expect(try a.step() == b.step()) }
        #expect(a.model() == b.model())
        var other = TrainerTests.small
        other.training.seed = 12
        let reseeded = try MNISTFixture.trainer(other).model(), original = try MNISTFixture.trainer(TrainerTests.small).model()
        #expect(reseeded != original)
    }

    @Test func withoutShuffle_theFirstBatchIsTheFirstImages() throws {
        var config = TrainerTests.small
        config.training.shuffle = false
        config.training.batchSize = 7
        let trainer = try MNISTFixture.trainer(config)
        try trainer.step()
        let gathered = trainer.workspace.input.prefix(rows: 7).toArray()
        #expect(gathered == Array(MNISTFixture.trainImages[0..<(7 * 784)]))
        let targets = trainer.workspace.targets.prefix(rows: 7)
        let labels = (0..<7).map { r in (0..<10).first { targets[r, $0] == 1 }! }
        #expect(labels == MNISTFixture.dataset.train.labels[0..<7].map(Int.init))
    }

    @Test func epochs_keepTheLastPartialBatch() throws {
        var config = TrainerTests.small
        config.training.batchSize = 128
        config.training.epochs = 2
        let trainer = try MNISTFixture.trainer(config)
        #expect(trainer.iterationsPerEpoch == 469 && trainer.totalIterations == 938)
        var samples = 0
        for _ in 0..<469 { samples += try trainer.step().samples }
        #expect(samples == 60000 && trainer.epoch == 1)
    }

    @Test func divergence_throwsATypedErrorAndNeverAppliesTheNaN() throws {
        var config = TrainerTests.small
        config.model.initializer = .normal
        config.model.initStd = 30
        config.training.optimizer = .sgd
        config.training.learningRate = 1e30
        let trainer = try MNISTFixture.trainer(config)
        var caught: TrainingError?
        do { for _ in 0..<50 { try trainer.step() } } catch let error as TrainingError { caught = error }
        guard case .diverged(let iteration, _, let hint) = caught else {
            Issue.record("expected divergence, got \(String(describing: caught))"); return
        }
        #expect(iteration >= 1 && iteration == trainer.iteration + 1)
        #expect(hint.contains("learning_rate"))
        #expect(trainer.network.firstNonFiniteParameterLayer() == nil)
    }

    @Test func divergence_catchesAFiniteBlowUpOfTheLoss() throws {
        // lr 1e6 with momentum on 784-32-32-10: the first step kills the ReLUs and throws the output biases far
        // apart, so the loss stays finite (and the gradients vanish) while the network is ruined.
        var config = JobConfig()
        config.model.hidden = [32, 32]
        config.training.learningRate = 1e6
        config.training.iterations = 500
        let trainer = try MNISTFixture.trainer(config)
        var caught: TrainingError?
        do { while !trainer.isFinished { try trainer.step() } } catch let error as TrainingError { caught = error }
        guard case .diverged(let iteration, _, let hint) = caught else {
            Issue.record("expected divergence, got \(String(describing: caught))"); return
        }
        #expect(iteration < 500)
        #expect(hint.contains("learning_rate"), "\(hint)")
    }

    @Test func overflowingUpdate_ofFiniteGradients_throwsBeforeAnyWeightBecomesInfinite() throws {
        // A wide init gives a large but finite first loss and gradients in the thousands; lr 1e37 turns them into
        // weights beyond Float's range (3.4e38). Before the update was checked, they became ±inf silently.
        var config = TrainerTests.small
        config.model.initializer = .normal
        config.model.initStd = 30
        config.training.optimizer = .sgd
        config.training.learningRate = 1e37
        let trainer = try MNISTFixture.trainer(config)
        let before = trainer.network.parameters.toArray()
        var caught: TrainingError?
        do { try trainer.step() } catch let error as TrainingError { caught = error }
        guard case .diverged(let iteration, let layer, let hint) = caught else {
            Issue.record("expected divergence, got \(String(describing: caught))"); return
        }
        #expect(iteration == 1 && layer != nil)
        #expect(hint.contains("update of layer") && hint.contains("lower training.learning_rate (now 1e+37)"), "\(hint)")
        #expect(trainer.iteration == 0)
        #expect(trainer.network.parameters.toArray() == before)
        #expect(trainer.network.firstNonFiniteGradientLayer() == nil)
    }

    @Test func evaluate_reportsChanceBeforeTrainingAndLearnsAfterOneEpoch() throws {
        let trainer = try MNISTFixture.trainer(TrainerTests.small)
        let before = trainer.evaluateTest()
        #expect(abs(before.loss - log(10)) < 0.5 && before.accuracy < 0.3)
        while !trainer.isFinished { try trainer.step() }
        let after = trainer.evaluateTest()
        #expect(after.accuracy > 0.92 && after.loss < 0.3, "\(after)")
    }

    @Test func initialModel_startsFromExportedWeights() throws {
        let trained = try MNISTFixture.trainer(TrainerTests.small)
        for _ in 0..<50 { try trained.step() }
        let restarted = try MNISTFixture.trainer(TrainerTests.small, initialModel: trained.model())
        #expect(restarted.model() == trained.model())
        #expect(restarted.evaluateTest() == trained.evaluateTest())
        var other = TrainerTests.small
        other.model.hidden = [33]
        #expect(throws: ModelError.self) { try MNISTFixture.trainer(other, initialModel: trained.model()) }
    }

    @Test func badData_isRejectedNotCrashed() {
        #expect(throws: TrainingError.self) {
            try Trainer(config: JobConfig(), trainImages: [0, 0, 0], trainLabels: [1, 2], testImages: [], testLabels: [])
        }
        #expect(throws: TrainingError.self) {
            try Trainer(config: JobConfig(), trainImages: [0, 0], trainLabels: [1, 12], testImages: [], testLabels: [])
        }
    }
}
