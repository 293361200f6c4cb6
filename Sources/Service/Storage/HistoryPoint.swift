// One point of a job's history as `GET /jobs/{id}/history` returns it, and the record the trainer appends.
import Foundation

/// What the training loop reports: a minibatch's loss and accuracy, or an evaluation on the test set.
public enum HistoryRecord: Equatable, Sendable {
    /// Training step `iteration` (1-based) in `epoch` (1-based): minibatch mean loss and accuracy.
    case train(iteration: Int, epoch: Int, loss: Float, accuracy: Float)
    /// Test-set evaluation after `iteration` steps (0 = before training).
    case eval(iteration: Int, epoch: Int, loss: Float, accuracy: Float)
    /// Evaluation of the held-out validation samples after `iteration` steps.
    case validation(iteration: Int, epoch: Int, loss: Float, accuracy: Float)

    public var iteration: Int {
        switch self {
        case .train(let i, _, _, _), .eval(let i, _, _, _), .validation(let i, _, _, _): return i
        }
    }
}

/// One iteration's values; test and validation values only where evaluated, the learning rate only where the
/// job's schedule gives it. An evaluation without a training step (iteration 0, before training) has nil train
/// values.
public struct HistoryPoint: Equatable, Sendable {
    public var iteration: Int
    public var epoch: Int
    public var trainLoss: Float?
    public var trainAccuracy: Float?
    public var testLoss: Float?
    public var testAccuracy: Float?
    public var validationLoss: Float?
    public var validationAccuracy: Float?
    public var learningRate: Double?

    public init(iteration: Int, epoch: Int, trainLoss: Float?, trainAccuracy: Float?,
                testLoss: Float? = nil, testAccuracy: Float? = nil) {
        self.iteration = iteration
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
    }

    /// `{"points": [...]}` rendered directly to bytes: a 470,000-point history is ~35 MB of JSON, too many
    /// values for a JSONValue tree. Test and validation fields are present only where evaluated, the learning
    /// rate only where it is known.
    public static func renderPoints(_ points: [HistoryPoint], extra: [String: JSONValue] = [:]) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(points.count * 80 + 32)
        out += Array("{\"points\":[".utf8)
        for (index, p) in points.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Array("{\"iteration\":\(p.iteration),\"epoch\":\(p.epoch),\"train_loss\":".utf8)
            writeOptional(p.trainLoss, &out)
            out += Array(",\"train_accuracy\":".utf8)
            writeOptional(p.trainAccuracy, &out)
            if p.testLoss != nil || p.testAccuracy != nil {
                out += Array(",\"test_loss\":".utf8)
                writeOptional(p.testLoss, &out)
                out += Array(",\"test_accuracy\":".utf8)
                writeOptional(p.testAccuracy, &out)
            }
            if p.validationLoss != nil || p.validationAccuracy != nil {
                out += Array(",\"validation_loss\":".utf8)
                writeOptional(p.validationLoss, &out)
                out += Array(",\"validation_accuracy\":".utf8)
                writeOptional(p.validationAccuracy, &out)
            }
            if let rate = p.learningRate {
                out += Array(",\"learning_rate\":".utf8)
                JSONValue.writeNumber(rate, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        for key in extra.keys.sorted() {
            out.append(UInt8(ascii: ","))
            JSONValue.writeString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            extra[key]!.write(to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    private static func writeOptional(_ value: Float?, _ out: inout [UInt8]) {
        if let value { JSONValue.writeNumber(value, to: &out) } else { out += Array("null".utf8) }
    }
}
