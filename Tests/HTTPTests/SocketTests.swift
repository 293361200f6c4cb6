// The sockets layer over socketpair: no ports opened.
import Glibc
import Testing
@testable import HTTP

@Test func socket_writesAndReadsOverASocketPair() throws {
    let (a, b) = try Socket.pair()
    defer { a.close(); b.close() }
    let message = Array("hello, socket".utf8)
    #expect(try message.withUnsafeBytes { try a.writeAvailable($0) } == message.count)
    var received: [UInt8] = []
    let read = try b.readAvailable(into: &received, limit: 1024)
    #expect(received == message)
    #expect(read.count == message.count && !read.endOfStream)
}

@Test func socket_reportsWouldBlockWhenNothingIsBuffered() throws {
    let (a, b) = try Socket.pair()
    defer { a.close(); b.close() }
    var buffer = [UInt8](repeating: 0, count: 16)
    #expect(try buffer.withUnsafeMutableBytes { try b.read(into: $0) } == .wouldBlock)
}

@Test func socket_seesEndOfStreamAfterThePeerShutsDownWriting() throws {
    let (a, b) = try Socket.pair()
    defer { a.close(); b.close() }
    _ = try Array("bye".utf8).withUnsafeBytes { try a.writeAvailable($0) }
    a.shutdownWrite()
    var received: [UInt8] = []
    let read = try b.readAvailable(into: &received, limit: 1024)
    #expect(received == Array("bye".utf8))
    // The data and the end may arrive in one call or two.
    if !read.endOfStream {
        #expect(try b.readAvailable(into: &received, limit: 1024).endOfStream)
    }
}

@Test func socket_stopsWritingWhenThePeerDoesNotRead() throws {
    let (a, b) = try Socket.pair()
    defer { a.close(); b.close() }
    let big = [UInt8](repeating: 7, count: 8 * 1024 * 1024)
    let written = try big.withUnsafeBytes { try a.writeAvailable($0) }
    #expect(written > 0 && written < big.count)
    #expect(try big.withUnsafeBytes { try a.write($0) } == .wouldBlock)
}

@Test func socketError_recordsTheErrnoOfTheFailedCall() throws {
    let (a, b) = try Socket.pair()
    b.close()
    defer { a.close() }
    // Writing to a socket whose peer is closed fails with EPIPE (and no SIGPIPE, thanks to MSG_NOSIGNAL).
    #expect(throws: SocketError.failed(call: "send", errno: EPIPE)) {
        try Array("x".utf8).withUnsafeBytes { try a.writeAvailable($0) }
    }
    let closed = Socket(fd: 1_000_000)
    #expect(throws: SocketError.failed(call: "read", errno: EBADF)) {
        var buffer = [UInt8](repeating: 0, count: 4)
        _ = try buffer.withUnsafeMutableBytes { try closed.read(into: $0) }
    }
    #expect(SocketError.failed(call: "bind", errno: EADDRINUSE).description.contains("Address already in use"))
}

@Test func listener_bindsPortZeroToAFreePortAndRejectsBadInput() throws {
    let listener = try Listener.bind(host: "127.0.0.1", port: 0)
    defer { listener.socket.close() }
    #expect(listener.port > 0)
    #expect(throws: SocketError.failed(call: "bind", errno: EADDRINUSE)) {
        _ = try Listener.bind(host: "127.0.0.1", port: listener.port)
    }
    #expect(throws: SocketError.invalidPort(70000)) { _ = try Listener.bind(host: "127.0.0.1", port: 70000) }
    #expect(throws: SocketError.self) { _ = try Listener.bind(host: "no such host.invalid", port: 0) }
}
