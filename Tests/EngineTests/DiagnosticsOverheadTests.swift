// What diagnostics cost next to training: 784-100-100-100-100-10, batch 128, one call every 50 steps
// (the service's cadence) must stay under 5% of the training time.
import Foundation
import Testing
@testable import Engine

@Suite(.serialized) struct DiagnosticsOverheadTests {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    @Test func diagnosticsEveryFiftySteps_costUnderFivePercentOfTraining() throws {
        let trainer = try MNISTFixture.trainer(MNISTFixture.config { $0.training.seed = 9 })
        for _ in 0..<20 { try trainer.step() }   // warm up caches and the thread pool
        var stepTime = Double.infinity, callTime = Double.infinity
        // Best of three rounds each, interleaved so a busy machine slows both alike.
        for _ in 0..<3 {
            stepTime = min(stepTime, try DiagnosticsOverheadTests.seconds { for _ in 0..<50 { try trainer.step() } } / 50)
            callTime = min(callTime, DiagnosticsOverheadTests.seconds { for _ in 0..<20 { _ = trainer.diagnostics() } } / 20)
        }
        let overhead = callTime / (50 * stepTime)
        print(String(format: "diagnostics: %.0f µs per call, step %.0f µs: %.2f%% of training at one call per 50 steps",
                     callTime * 1e6, stepTime * 1e6, overhead * 100))
        #expect(overhead < 0.05)
    }
}
