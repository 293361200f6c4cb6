// The IMF-fixdate for the Date header (RFC 9110 §5.6.7), formatted once per second and shared.
import Foundation
import Glibc

enum HTTPDate {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cachedSecond = 0
    nonisolated(unsafe) private static var cachedText = ""

    /// The current time as "Sun, 06 Nov 1994 08:49:37 GMT".
    static func now() -> String {
        let second = time(nil)
        return lock.withLock {
            if second != cachedSecond {
                cachedSecond = second
                cachedText = format(second)
            }
            return cachedText
        }
    }

    static func format(_ seconds: Int) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = [CChar](repeating: 0, count: 64)
        // strftime's %a and %b are locale-dependent; the process never calls setlocale, so they stay "C".
        let count = strftime(&text, text.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: text[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
