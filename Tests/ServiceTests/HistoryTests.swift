// History: one point per iteration, evaluations merged, `since` paging, idempotent replay after a resume,
// and its memory cost at 470,000 iterations.
import Foundation
import Testing
@testable import Service

private func train(_ i: Int, epoch: Int = 1) -> HistoryRecord {
    .train(iteration: i, epoch: epoch, loss: 1 / Float(i), accuracy: Float(i) / 1000)
}

@Test func points_keepEveryIterationAndMergeEvaluations() {
    var history = History()
    history.apply(.eval(iteration: 0, epoch: 0, loss: 2.3, accuracy: 0.1))
    for i in 1...10 { history.apply(train(i, epoch: (i - 1) / 5 + 1)) }
    history.apply(.eval(iteration: 5, epoch: 1, loss: 0.5, accuracy: 0.8))
    history.apply(.eval(iteration: 10, epoch: 2, loss: 0.4, accuracy: 0.85))
    let points = history.points()
    #expect(points.count == 11)
    #expect(points[0] == HistoryPoint(iteration: 0, epoch: 0, trainLoss: nil, trainAccuracy: nil, testLoss: 2.3, testAccuracy: 0.1))
    #expect(points[5] == HistoryPoint(iteration: 5, epoch: 1, trainLoss: 0.2, trainAccuracy: 0.005, testLoss: 0.5, testAccuracy: 0.8))
    #expect(points[6].epoch == 2 && points[6].testLoss == nil)
    #expect(points.map(\.iteration) == Array(0...10))
}

@Test func points_sinceReturnsOnlyLaterIterations() {
    var history = History()
    for i in 1...100 { history.apply(train(i, epoch: i / 30 + 1)) }
    #expect(history.points(since: 97).map(\.iteration) == [98, 99, 100])
    #expect(history.points(since: 100).isEmpty)
    #expect(history.points(since: 40, limit: 2).map(\.iteration) == [41, 42])
    #expect(history.points(since: 61).first?.epoch == 3)
}

@Test func apply_replacesIterationsReplayedAfterAResume() {
    var history = History()
    for i in 1...20 { history.apply(train(i)) }
    history.apply(.eval(iteration: 20, epoch: 1, loss: 0.3, accuracy: 0.9))
    // The checkpoint was at iteration 12: the resumed job re-appends 13... with new values.
    for i in 13...15 { history.apply(.train(iteration: i, epoch: 2, loss: 7, accuracy: 0.5)) }
    let points = history.points()
    #expect(points.count == 15)
    #expect(points.last == HistoryPoint(iteration: 15, epoch: 2, trainLoss: 7, trainAccuracy: 0.5))
    #expect(points[11].trainLoss == 1 / 12 && points[11].epoch == 1)
    #expect(history.evaluationCount == 0)
}

@Test func meanTrainLoss_averagesTheLastPoints() {
    var history = History()
    for i in 1...4 { history.apply(.train(iteration: i, epoch: 1, loss: Float(i), accuracy: 0)) }
    #expect(history.meanTrainLoss(last: 2) == 3.5)
    #expect(history.meanTrainLoss(last: 100) == 2.5)
    #expect(History().meanTrainLoss(last: 100) == nil)
}

@Test func renderPoints_writesTestFieldsOnlyWhereEvaluated() throws {
    let data = HistoryPoint.renderPoints([
        HistoryPoint(iteration: 1, epoch: 1, trainLoss: 2.25, trainAccuracy: 0.125),
        HistoryPoint(iteration: 2, epoch: 1, trainLoss: 2, trainAccuracy: 0.25, testLoss: 1.5, testAccuracy: 0.5),
    ], extra: ["next_since": 2])
    #expect(String(decoding: data, as: UTF8.self) == #"{"points":[{"iteration":1,"epoch":1,"train_loss":2.25,"train_accuracy":0.125},"#
        + #"{"iteration":2,"epoch":1,"train_loss":2,"train_accuracy":0.25,"test_loss":1.5,"test_accuracy":0.5}],"next_since":2}"#)
    _ = try JSONValue(parsing: data)
}

@Test func history_of470000IterationsStaysSmallAndFast() {
    var history = History()
    let start = Date()
    for i in 1...470_000 { history.apply(.train(iteration: i, epoch: (i - 1) / 470 + 1, loss: 0.1, accuracy: 0.9)) }
    for e in 1...1000 { history.apply(.eval(iteration: e * 470, epoch: e, loss: 0.2, accuracy: 0.95)) }
    #expect(history.count == 470_000)
    #expect(history.points(since: 469_990).count == 10)
    #expect(history.points(since: 469_990).last?.testAccuracy == 0.95)
    #expect(Date().timeIntervalSince(start) < 5)
    // 12 bytes per point plus array growth slack: under 9 MB for 470,000 points.
    #expect(history.storageBytes < 9_000_000)
    #expect(history.storageBytes >= 470_000 * 12)
}
