// Each schedule's rate against its formula written out here, and against PyTorch's schedulers stepped the way
// the engine steps them (Fixtures/training_rules.json, written by Fixtures/make_training_rules.py with torch).
import Foundation
import Testing
@testable import Engine

struct LearningRateScheduleTests {
    struct Fixture: Decodable {
        let run: Int, per_epoch: Int, base: Double
        let schedules: [String: [Double]]
    }

    static func load() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/training_rules.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    @Test func eachSchedule_followsItsFormula() {
        let base = 0.1, total = 1000
        let step = LearningRateSchedule(.step(epochs: 3, gamma: 0.1))
        #expect(step.rate(base: base, update: 0, epoch: 2, total: total) == base)
        #expect(abs(step.rate(base: base, update: 0, epoch: 3, total: total) - 0.01) < 1e-15)
        #expect(abs(step.rate(base: base, update: 0, epoch: 7, total: total) - 0.001) < 1e-15)
        let exponential = LearningRateSchedule(.exponential(gamma: 0.95))
        #expect(abs(exponential.rate(base: base, update: 0, epoch: 4, total: total) - 0.1 * 0.95 * 0.95 * 0.95 * 0.95) < 1e-15)
        let cosine = LearningRateSchedule(.cosine(minimum: 0.001))
        #expect(cosine.rate(base: base, update: 0, epoch: 0, total: total) == base)
        #expect(abs(cosine.rate(base: base, update: 500, epoch: 0, total: total) - (0.001 + 0.099 / 2)) < 1e-15)
        #expect(abs(cosine.rate(base: base, update: 250, epoch: 0, total: total)
                    - (0.001 + 0.099 * (1 + 0.5.squareRoot()) / 2)) < 1e-15)
        #expect(abs(cosine.rate(base: base, update: 1000, epoch: 0, total: total) - 0.001) < 1e-15)
        // One cycle: max/25 at the start, max at update 0.3·total − 1, max/25/10⁴ at the last update.
        let cycle = LearningRateSchedule(.oneCycle(maximum: 0.5))
        #expect(abs(cycle.rate(base: base, update: 0, epoch: 0, total: total) - 0.02) < 1e-15)
        #expect(abs(cycle.rate(base: base, update: 299, epoch: 0, total: total) - 0.5) < 1e-15)
        #expect(abs(cycle.rate(base: base, update: 999, epoch: 0, total: total) - 0.02 / 1e4) < 1e-15)
        #expect(cycle.rate(base: base, update: 150, epoch: 0, total: total) > 0.02)
    }

    @Test func warmup_rampsLinearlyThenHandsOverToTheSchedule() {
        let warm = LearningRateSchedule(.cosine(minimum: 0), warmupIterations: 10)
        let plain = LearningRateSchedule(.cosine(minimum: 0))
        for update in 0..<10 {
            let expected = plain.rate(base: 0.1, update: update, epoch: 0, total: 100) * Double(update + 1) / 10
            #expect(abs(warm.rate(base: 0.1, update: update, epoch: 0, total: 100) - expected) < 1e-17)
        }
        #expect(warm.rate(base: 0.1, update: 10, epoch: 0, total: 100) == plain.rate(base: 0.1, update: 10, epoch: 0, total: 100))
        #expect(warm.rate(base: 0.1, update: 0, epoch: 0, total: 100) > 0)
    }

    /// PyTorch computes cosine and one-cycle in Double too, cosine by a recursion whose every step rounds:
    /// 40 updates of a few operations, each within 2⁻⁵³ relative, with (1 + cos) no smaller than about 0.006
    /// here amplifying each rounding by at most ~170, stay below 40 × 4 × 170 × 2⁻⁵³ ≈ 3·10⁻¹²; StepLR and
    /// ExponentialLR multiply by gamma once per epoch (≤ 6 roundings). 1e-11 relative covers both.
    @Test func schedules_matchPyTorchsSchedulers() throws {
        let fixture = try LearningRateScheduleTests.load()
        let schedules: [String: LearningRateSchedule] = [
            "step": LearningRateSchedule(.step(epochs: 2, gamma: 0.5)),
            "exponential": LearningRateSchedule(.exponential(gamma: 0.8)),
            "cosine": LearningRateSchedule(.cosine(minimum: 0.001)),
            "one_cycle": LearningRateSchedule(.oneCycle(maximum: 0.2)),
        ]
        #expect(Set(fixture.schedules.keys) == Set(schedules.keys))
        for (name, theirs) in fixture.schedules {
            let schedule = try #require(schedules[name])
            #expect(theirs.count == fixture.run)
            for (update, rate) in theirs.enumerated() {
                let ours = schedule.rate(base: fixture.base, update: update, epoch: update / fixture.per_epoch, total: fixture.run)
                #expect(abs(ours - rate) <= 1e-11 * rate, "\(name) update \(update): \(ours) vs PyTorch \(rate)")
            }
        }
    }

    /// The trainer steps with the schedule's rate: each StepResult says the rate its update used.
    @Test func trainer_stepsAtTheScheduledRate() throws {
        var config = JobConfig()
        config.model.hidden = [8]
        config.training.batchSize = 10
        config.training.epochs = 3
        config.training.learningRate = 0.1
        config.training.lrSchedule = LearningRateSchedule(.step(epochs: 1, gamma: 0.5), warmupIterations: 2)
        let images = (0..<50 * 4).map { Float($0 % 7) / 7 }, labels = (0..<50).map { UInt8($0 % 3) }
        let trainer = try Trainer(config: config, trainImages: images, trainLabels: labels, testImages: [], testLabels: [],
                                  classes: 3)
        var rates: [Double] = []
        while !trainer.isFinished { rates.append(try trainer.step().learningRate) }
        #expect(rates == [0.05, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.025])
    }
}
