// CheckpointCoding: a trainer's checkpoint survives the trip through bytes exactly, and damaged bytes are
// refused instead of restoring garbage.
import Foundation
import Testing
@testable import Engine
@testable import Service

private func trainedCheckpoint() throws -> Checkpoint {
    var config = JobConfig()
    config.model.hidden = [12, 7]
    config.training.batchSize = 8
    config.training.optimizer = .adam
    var random = SeededRandom(seed: 3)
    let images = (0..<(40 * 784)).map { _ in Float(random.nextUnit()) }
    let labels = (0..<40).map { UInt8($0 % 10) }
    let trainer = try Trainer(config: config, trainImages: images, trainLabels: labels, testImages: images, testLabels: labels)
    for _ in 0..<7 { try trainer.step() }
    return trainer.checkpoint()
}

@Test func checkpoint_roundTripsBitForBit() throws {
    let checkpoint = try trainedCheckpoint()
    #expect(checkpoint.iteration == 7 && checkpoint.position == 16 && checkpoint.optimizerState.count == 2 * checkpoint.parameters.count)
    let data = try CheckpointCoding.encode(checkpoint)
    // Raw float32 payload plus a small header.
    #expect(data.count < 4 * (checkpoint.parameters.count + checkpoint.optimizerState.count) + 1024)
    #expect(try CheckpointCoding.decode(data) == checkpoint)
}

@Test func checkpoint_refusesTruncatedOrForeignBytes() throws {
    let data = try CheckpointCoding.encode(try trainedCheckpoint())
    for cut in [0, 5, 12, 100, data.count - 1] {
        #expect(throws: StoreError.self) { try CheckpointCoding.decode(data.prefix(cut)) }
    }
    #expect(throws: StoreError.self) { try CheckpointCoding.decode(data + Data([0])) }
    var foreign = data
    foreign[0] = UInt8(ascii: "X")
    #expect(throws: StoreError.self) { try CheckpointCoding.decode(foreign) }
}

@Test func checkpoint_keepsEarlyStoppingsBestWeights() throws {
    var checkpoint = try trainedCheckpoint()
    checkpoint.bestParameters = checkpoint.parameters.map { $0 * 2 }
    var watch = EarlyStoppingState()
    watch.best = 0.25
    watch.bestIteration = 5
    watch.waited = 1
    checkpoint.earlyStopping = watch
    let data = try CheckpointCoding.encode(checkpoint)
    #expect(data.count < 4 * (2 * checkpoint.parameters.count + checkpoint.optimizerState.count) + 1280)
    #expect(try CheckpointCoding.decode(data) == checkpoint)
}
