// SIGINT and SIGTERM as a request to stop a foreground run at its next minibatch, instead of killing the
// process mid-write; a second signal kills it as usual.
import Dispatch
import Foundation

/// Calls `handler` once on the first SIGINT or SIGTERM while alive; `restore()` puts the default back.
final class Interrupts {
    private var sources: [DispatchSourceSignal] = []

    init(_ handler: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                handler()
                signal(SIGINT, SIG_DFL)
                signal(SIGTERM, SIG_DFL)
            }
            source.resume()
            sources.append(source)
        }
    }

    func restore() {
        for source in sources { source.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
