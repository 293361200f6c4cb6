// HistoryLog: records survive a reload, cost 20 bytes each on disk, and a torn or zeroed tail is ignored
// and cut off before the next append.
import Foundation
import Testing
@testable import Service

private func records(_ range: ClosedRange<Int>) -> [HistoryRecord] {
    range.map { .train(iteration: $0, epoch: ($0 - 1) / 100 + 1, loss: 3 / Float($0), accuracy: Float($0 % 100) / 100) }
}

@Test func flush_thenReload_givesTheSamePoints() throws {
    let dir = try TemporaryDirectory()
    let log = HistoryLog(url: dir.file("history.bin"))
    try log.append(records(1...250))
    try log.append([.eval(iteration: 100, epoch: 1, loss: 0.5, accuracy: 0.75)])
    try log.sync()
    let reread = try HistoryLog(url: dir.file("history.bin")).points()
    #expect(reread == (try log.points()))
    #expect(reread.count == 250)
    #expect(reread[99].testAccuracy == 0.75 && reread[99].trainLoss == 0.03)
    let size = try FileManager.default.attributesOfItem(atPath: dir.file("history.bin").path)[.size] as? Int
    #expect(size == 8 + 251 * 20)
}

@Test func append_withoutFlush_isVisibleInMemoryButNotOnDisk() throws {
    let dir = try TemporaryDirectory()
    let log = HistoryLog(url: dir.file("history.bin"))
    try log.append(records(1...10))
    #expect(try log.points(since: 8).map(\.iteration) == [9, 10])
    #expect(try HistoryLog(url: dir.file("history.bin")).points().isEmpty)
}

@Test func load_ignoresATornTailAndCutsItBeforeAppending() throws {
    let dir = try TemporaryDirectory()
    let url = dir.file("history.bin")
    let log = HistoryLog(url: url)
    try log.append(records(1...30))
    try log.sync()
    log.close()
    // A write cut short mid-record, then a block of zeros as a power loss can leave.
    let handle = try FileHandle(forWritingTo: url)
    handle.seekToEndOfFile()
    handle.write(Data([1, 2, 3, 4, 5, 6, 7]) + Data(count: 40))
    handle.closeFile()

    let reopened = HistoryLog(url: url)
    #expect(try reopened.points().count == 30)
    #expect(reopened.discardedTailBytes == 47)
    try reopened.append(records(31...35))
    try reopened.flush()
    let final = try HistoryLog(url: url).points()
    #expect(final.map(\.iteration) == Array(1...35))
}

@Test func load_stopsAtACorruptedRecord() throws {
    let dir = try TemporaryDirectory()
    let url = dir.file("history.bin")
    let log = HistoryLog(url: url)
    try log.append(records(1...10))
    try log.flush()
    var bytes = try Data(contentsOf: url)
    bytes[8 + 5 * 20 + 9] ^= 0x40  // flip a bit in record 6's loss
    try bytes.write(to: url)
    #expect(try HistoryLog(url: url).points().map(\.iteration) == [1, 2, 3, 4, 5])
}

@Test func load_rejectsAFileThatIsNotAHistory() throws {
    let dir = try TemporaryDirectory()
    try Data("definitely not a history file".utf8).write(to: dir.file("history.bin"))
    #expect(throws: StoreError.self) { try HistoryLog(url: dir.file("history.bin")).points() }
}

@Test func replayAfterResume_isAppendOnlyAndReloadsTheSame() throws {
    let dir = try TemporaryDirectory()
    let log = HistoryLog(url: dir.file("history.bin"))
    try log.append(records(1...20))
    try log.append(records(11...12).map { _ in .train(iteration: 11, epoch: 9, loss: 9, accuracy: 0.9) })
    try log.flush()
    let reread = try HistoryLog(url: dir.file("history.bin")).points()
    #expect(reread.count == 11)
    #expect(reread.last == HistoryPoint(iteration: 11, epoch: 9, trainLoss: 9, trainAccuracy: 0.9))
}

@Test func validationRecords_roundTripAndJoinTheirIterationsPoint() throws {
    let dir = try TemporaryDirectory()
    let log = HistoryLog(url: dir.file("history.bin"))
    try log.append(records(1...20))
    try log.append([.validation(iteration: 10, epoch: 1, loss: 0.4, accuracy: 0.875),
                    .eval(iteration: 10, epoch: 1, loss: 0.5, accuracy: 0.75),
                    .validation(iteration: 20, epoch: 1, loss: 0.3, accuracy: 0.9375)])
    try log.sync()
    let reread = try HistoryLog(url: dir.file("history.bin")).points()
    #expect(reread == (try log.points()))
    #expect(reread[9].validationLoss == 0.4 && reread[9].validationAccuracy == 0.875 && reread[9].testAccuracy == 0.75)
    #expect(reread[19].validationAccuracy == 0.9375 && reread[19].testAccuracy == nil)
    #expect(reread.filter { $0.validationLoss != nil }.count == 2)
    // A resumed run re-appending from iteration 15 drops the validation recorded at 20.
    try log.append(records(15...16))
    #expect(try log.points().compactMap(\.validationLoss) == [0.4])
}
