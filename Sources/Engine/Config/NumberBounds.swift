// The bounds of a config number: an optional minimum and maximum, each inclusive or exclusive. The parser's
// check, its message ("a number in [0, 1)") and the OpenAPI bounds are all read from one value.

public struct NumberBounds: Equatable, Sendable {
    public var minimum: Double?
    public var minimumExclusive = false
    public var maximum: Double?
    public var maximumExclusive = false

    /// Any finite number.
    public static let finite = NumberBounds()
    /// A finite number > 0.
    public static let positive = NumberBounds(minimum: 0, minimumExclusive: true)
    /// A finite number ≥ 0.
    public static let nonNegative = NumberBounds(minimum: 0)

    /// [low, high], or [low, high) with `excludingHigh`.
    public static func range(_ low: Double, _ high: Double, excludingHigh: Bool = false) -> NumberBounds {
        NumberBounds(minimum: low, maximum: high, maximumExclusive: excludingHigh)
    }

    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        if let minimum, minimumExclusive ? value <= minimum : value < minimum { return false }
        if let maximum, maximumExclusive ? value >= maximum : value > maximum { return false }
        return true
    }

    /// "a finite number > 0", "a number in [0, 1)", ...: what the 400 says the field must be.
    public var rule: String {
        switch (minimum, maximum) {
        case let (low?, high?):
            return "a number in \(minimumExclusive ? "(" : "[")\(Self.text(low)), \(Self.text(high))\(maximumExclusive ? ")" : "]")"
        case let (low?, nil): return "a finite number \(minimumExclusive ? ">" : "≥") \(Self.text(low))"
        case let (nil, high?): return "a finite number \(maximumExclusive ? "<" : "≤") \(Self.text(high))"
        case (nil, nil): return "a finite number"
        }
    }

    /// A number as the user wrote it: 0 rather than 0.0, 1.5 as 1.5, 1e+300 as Swift prints it.
    public static func text(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
