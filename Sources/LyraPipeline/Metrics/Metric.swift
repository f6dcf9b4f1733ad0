import LyraSearch
import LyraTensor

/// A validation metric accumulated over batches, as VEGA's `MetricBase`: `reset()` at
/// the start of a validation pass, `update` per batch, `summary()` at the end.
///
/// Why accumulate instead of averaging per-batch values: the last batch is usually
/// smaller, and rank metrics (AUC) are not averages at all.
public protocol Metric: AnyObject {
  /// The registry name, also the key of the main value in `summary()` ("accuracy").
  var name: String { get }
  /// Whether larger (`maximize`) or smaller is better; VEGA's `objective` (MAX by default).
  var objective: Direction { get }
  /// Forgets everything seen so far.
  func reset()
  /// Adds one batch: the model's output and the batch's target.
  func update(output: Tensor, target: Tensor) throws
  /// Values by key: always `name`, plus extras (`accuracy_top5`). Throws when nothing
  /// meaningful can be computed (AUC with one class only).
  func summary() throws -> [String: Double]
}

/// A metric a factory builds from its `params`; the reader rejects unknown keys.
public typealias MetricFactory = (ParamReader) throws -> Metric

/// Shared conversions for metric inputs.
enum MetricInput {
  /// Values of a tensor as Doubles in row-major order (int tensors too).
  static func doubles(_ t: Tensor) -> [Double] {
    t.dtype == .int32 ? t.toIntArray().map(Double.init) : t.toArray().map(Double.init)
  }

  /// Class labels: int tensors, or float tensors holding whole numbers.
  static func labels(_ t: Tensor, metric: String) throws -> [Int] {
    if t.dtype == .int32 { return t.toIntArray() }
    let v = t.toArray()
    guard v.allSatisfy({ $0 == $0.rounded() }) else {
      throw TrainerError.input("\(metric): targets must be class labels, got fractional values")
    }
    return v.map { Int($0) }
  }

  /// Predicted classes: argmax of [N, C] scores (C ≥ 2); for [N] or [N, 1] logits,
  /// 1 where the logit is above 0 (probability above ½).
  static func predictions(_ output: Tensor, metric: String) throws -> (pred: [Int], classes: Int) {
    let (n, c) = try rows(output, metric: metric)
    let v = output.toArray()
    if c == 1 { return (v.map { $0 > 0 ? 1 : 0 }, 2) }
    var pred = [Int](repeating: 0, count: n)
    for i in 0..<n {
      var best = 0
      for j in 1..<c where v[i * c + j] > v[i * c + best] { best = j }
      pred[i] = best
    }
    return (pred, c)
  }

  /// [N] → (N, 1); [N, C] → (N, C); anything else is an error naming the metric.
  static func rows(_ output: Tensor, metric: String) throws -> (Int, Int) {
    switch output.rank {
    case 1: return (output.shape[0], 1)
    case 2: return (output.shape[0], output.shape[1])
    default: throw TrainerError.input("\(metric): expected outputs [N] or [N, C], got \(output.shape)")
    }
  }

  static func checkCount(_ n: Int, _ target: Tensor, metric: String) throws {
    guard target.count == n else {
      throw TrainerError.input("\(metric): \(n) outputs but \(target.count) targets")
    }
  }
}
