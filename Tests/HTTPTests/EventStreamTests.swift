// Server-sent event formatting and the close notifications, over an in-memory sink.
import Foundation
import Testing
@testable import HTTP

final class Sink: @unchecked Sendable {
    let lock = NSLock()
    var text = ""
    var accepting = true
    func write(_ data: Data) -> Bool {
        lock.withLock {
            guard accepting else { return false }
            text += String(decoding: data, as: UTF8.self)
            return true
        }
    }
}

@Test func eventStream_formatsEventsPerTheSSEFormat() {
    let sink = Sink()
    let stream = EventStream(sink: sink.write)
    #expect(stream.send("{\"iteration\": 1}", event: "progress", id: "1"))
    stream.send("two\nlines")
    stream.comment("ping")
    #expect(sink.text == "id: 1\nevent: progress\ndata: {\"iteration\": 1}\n\ndata: two\ndata: lines\n\n: ping\n\n")
}

@Test func eventStream_reportsTheClientGoneOnceAndStopsSending() {
    let sink = Sink()
    let stream = EventStream(sink: sink.write)
    var closes = 0
    stream.onClose { closes += 1 }
    sink.accepting = false
    #expect(!stream.send("lost"))
    #expect(!stream.isOpen)
    #expect(!stream.send("again"))
    stream.close()
    #expect(closes == 1)
    var late = 0
    stream.onClose { late += 1 }
    #expect(late == 1)
}

@Test func eventStream_closeRunsTheServerFinishOnce() {
    var finishes = 0
    let stream = EventStream(sink: { _ in true }, finish: { finishes += 1 })
    stream.close()
    stream.close()
    #expect(finishes == 1 && !stream.isOpen)
}
