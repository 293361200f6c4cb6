// Graceful shutdown on SIGTERM and SIGINT through Dispatch signal sources.
import Dispatch
import Foundation
import Glibc

extension Server {
    /// On the first SIGTERM or SIGINT: runs `beforeShutdown` (e.g. checkpoint jobs), then `shutdown()`,
    /// after which `wait()` returns. A second signal during shutdown exits the process at once (status 1).
    public func shutdownOnSignals(_ signals: [Int32] = [SIGTERM, SIGINT], beforeShutdown: @escaping () -> Void = {}) {
        let once = NSLock()
        var received = false
        for number in signals {
            // The default action would kill the process before the source sees the signal.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                let first = once.withLock { () -> Bool in
                    defer { received = true }
                    return !received
                }
                guard first else { exit(1) }
                beforeShutdown()
                self?.shutdown()
            }
            source.resume()
            signalSources.append(source)
        }
    }
}
