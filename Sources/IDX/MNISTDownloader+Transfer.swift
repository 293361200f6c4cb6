// Reading one MNIST file from a source: a local directory, or an HTTP(S) mirror through URLSession.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A mirror that answered, but not with 200: other files may still be there.
struct HTTPStatusError: Error, LocalizedError {
    let status: Int
    var errorDescription: String? { "HTTP \(status)" }
}

/// A failed transfer, with a message fit for the user ("HTTP 404", "could not resolve host", ...).
struct TransferError: Error, LocalizedError {
    let message: String
    var errorDescription: String? { message }
}

extension MNISTDownloader {
    /// Seconds to wait for a mirror to answer before trying the next one.
    static let requestTimeout: TimeInterval = 20

    /// The bytes of `file` from `source`.
    static func read(_ file: MNISTFile, from source: MNISTSource) throws -> [UInt8] {
        switch source {
        case .directory(let path):
            return try FileIO.readAll(Dataset.join(path, file.name))
        case .mirror(let prefix):
            guard let url = URL(string: prefix + file.name) else { throw TransferError(message: "not a URL") }
            return try download(url)
        }
    }

    /// GETs `url` synchronously; any non-200 answer or transport error is a TransferError.
    static func download(_ url: URL) throws -> [UInt8] {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.timeoutIntervalForResource = 10 * 60
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let box = TransferBox()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: url) { data, response, error in
            box.set(data: data, response: response, error: error)
            done.signal()
        }.resume()
        done.wait()
        let (data, response, error) = box.get()
        if let error { throw TransferError(message: error.localizedDescription) }
        guard let http = response as? HTTPURLResponse else { throw TransferError(message: "no HTTP response") }
        guard http.statusCode == 200 else { throw HTTPStatusError(status: http.statusCode) }
        return [UInt8](data ?? Data())
    }
}

/// Hands a completion handler's results to the waiting thread.
private final class TransferBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: Error?

    func set(data: Data?, response: URLResponse?, error: Error?) {
        lock.lock()
        defer { lock.unlock() }
        (self.data, self.response, self.error) = (data, response, error)
    }

    func get() -> (Data?, URLResponse?, Error?) {
        lock.lock()
        defer { lock.unlock() }
        return (data, response, error)
    }
}
