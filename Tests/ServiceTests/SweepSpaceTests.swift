// What a sweep varies, checked against what the test computes itself: a grid's runs are exactly the product
// of its values, random search draws the same params for the same seed and stays inside its ranges, and
// successive halving's rungs and survivors follow their formulas.
import Foundation
import Testing
@testable import Engine
@testable import Service

@Test func grid_runsAreExactlyTheProductOfItsValues() throws {
    let lrs: [JSONValue] = [0.01, 0.1, 1]
    let inits: [JSONValue] = ["he", "xavier"]
    let batches: [JSONValue] = [32, 64]
    let space = try SweepSpace.grid(JSONReader(["training.learning_rate": .array(lrs), "model.init": .array(inits),
                                                "training.batch_size": .array(batches)], path: "grid"))
    #expect(space.paths == ["model.init", "training.batch_size", "training.learning_rate"])
    var product: [[String: JSONValue]] = []
    for i in inits { for b in batches { for l in lrs {
        product.append(["model.init": i, "training.batch_size": b, "training.learning_rate": l])
    } } }
    // Every combination once, in order: sorted paths, the last changing fastest.
    #expect(space.runs == product)
    #expect(Set(space.runs.map { JSONValue.object($0).text }).count == 12)
}

@Test func grid_refusesWhatCannotBeSwept() throws {
    func failure(_ grid: JSONValue) -> String? {
        do { _ = try SweepSpace.grid(JSONReader(grid, path: "grid")); return nil } catch let error as JSONReadError {
            return error.field
        } catch { return "\(error)" }
    }
    #expect(failure(["training.learnin_rate": [0.1]]) == "grid.training.learnin_rate")
    #expect(failure(["preset": ["lenet5"]]) == "grid.preset")
    #expect(failure(["training": [["epochs": 1]]]) == "grid.training")
    #expect(failure(["training.epochs": []]) == "grid.training.epochs")
    #expect(failure(["training.epochs": [1, 2, 1]]) == "grid.training.epochs")
    #expect(failure([:]) == "grid")
    // 16 × 17 = 272 > 256 runs.
    let many: JSONValue = ["training.epochs": .array((1...16).map { .int($0) }), "training.seed": .array((0...16).map { .int($0) })]
    #expect(failure(many) == "grid.training.seed")
}

@Test func random_drawsTheSameParamsForTheSameSeedInsideItsRanges() throws {
    func draw(seed: Int) throws -> SweepSpace {
        try SweepSpace.random(JSONReader(["count": 40, "seed": .int(seed), "space": [
            "training.learning_rate": ["log_uniform": [1e-4, 0.1]],
            "training.momentum": ["uniform": [0.5, 0.99]],
            "training.batch_size": ["int_uniform": [16, 256]],
            "model.init": ["choice": ["he", "xavier", "normal"]],
        ]], path: "random"))
    }
    let first = try draw(seed: 3), again = try draw(seed: 3), other = try draw(seed: 4)
    #expect(first.runs == again.runs)
    #expect(first.runs != other.runs)
    #expect(first.runs.count == 40)
    for run in first.runs {
        let lr = try #require(run["training.learning_rate"]?.doubleValue)
        let momentum = try #require(run["training.momentum"]?.doubleValue)
        let batch = try #require(run["training.batch_size"]?.intValue)
        #expect(lr >= 1e-4 && lr <= 0.1 && momentum >= 0.5 && momentum <= 0.99 && (16...256).contains(batch))
        #expect(["he", "xavier", "normal"].contains(run["model.init"]?.stringValue ?? ""))
    }
    // log_uniform spreads over the decades: of 40 draws over three decades, some fall in the lowest and the highest.
    let lrs = first.runs.compactMap { $0["training.learning_rate"]?.doubleValue }
    #expect(lrs.contains { $0 < 1e-3 } && lrs.contains { $0 > 1e-2 })
}

@Test func successiveHalving_rungsAndSurvivorsFollowTheirFormulas() throws {
    let halving = SuccessiveHalving(metric: "validation_loss", reduction: 3, rungs: 2)
    #expect(SuccessiveHalving.defaultRungs(runs: 27, reduction: 3) == 2)
    #expect(SuccessiveHalving.defaultRungs(runs: 6, reduction: 3) == 1)
    #expect(SuccessiveHalving.defaultRungs(runs: 81, reduction: 3) == 3)
    #expect(halving.fraction(rung: 0) == 1.0 / 9 && halving.fraction(rung: 1) == 1.0 / 3)
    #expect(halving.iteration(rung: 0, total: 900) == 100 && halving.iteration(rung: 1, total: 900) == 300)
    #expect(halving.iteration(rung: 0, total: 2) == 1)
    let order = (0..<7).map { "j\($0)" }
    let values: [String: Double] = ["j0": 0.5, "j1": 0.1, "j2": .nan, "j3": 0.3, "j4": 0.15, "j5": 0.9, "j6": 0.2]
    // 7 / 3 = 2 go on: the two lowest losses; a non-finite value ranks last.
    #expect(halving.survivors(values, order: order) == ["j1", "j4"])
    #expect(halving.survivors(["j0": .nan, "j1": .infinity, "j2": 3], order: order) == ["j2"])
    // A tie at the cut goes to the earlier run.
    #expect(halving.survivors(["j0": 0.2, "j1": 0.1, "j2": 0.1], order: order) == ["j1"])
    let accuracy = SuccessiveHalving(metric: "validation_accuracy", reduction: 2, rungs: 1)
    #expect(accuracy.survivors(["j0": 0.9, "j1": 0.95, "j2": 0.5, "j3": 0.95], order: order) == ["j1", "j3"])
    // One run always goes on.
    #expect(halving.survivors(["j0": 1], order: order) == ["j0"])
}
