import LyraSearch
import LyraTensor

/// F1 score of a classifier (VEGA's `F1`/sklearn's `f1_score`, maximised), from the
/// confusion counts of every sample seen since `reset()`.
///
/// Predictions: argmax of [N, C] outputs, or logit > 0 for [N]/[N, 1] outputs.
/// `average`: `binary` (F1 of class `pos_label`, default 1), `macro` (unweighted mean
/// over the classes present in targets or predictions, as sklearn), `micro` (global
/// counts). Default `auto`: binary for two-class outputs, macro otherwise (sklearn's
/// `binary` default fails on more than two classes). A class never predicted and never
/// present scores 0, as sklearn's zero_division=0.
public final class F1: Metric {
  public enum Average: String { case auto, binary, macro, micro }
  public let name = "F1"
  public let objective = Direction.maximize
  public let average: Average
  public let posLabel: Int
  private var tp: [Int: Int] = [:], fp: [Int: Int] = [:], fn: [Int: Int] = [:]
  private var seenClasses: Set<Int> = []
  private var outputClasses = 0

  public init(average: Average = .auto, posLabel: Int = 1) {
    self.average = average
    self.posLabel = posLabel
  }

  public func reset() {
    tp = [:]; fp = [:]; fn = [:]
    seenClasses = []
    outputClasses = 0
  }

  public func update(output: Tensor, target: Tensor) throws {
    let (pred, classes) = try MetricInput.predictions(output, metric: name)
    try MetricInput.checkCount(pred.count, target, metric: name)
    let y = try MetricInput.labels(target, metric: name)
    outputClasses = max(outputClasses, classes)
    for (p, t) in zip(pred, y) {
      seenClasses.insert(p); seenClasses.insert(t)
      if p == t { tp[p, default: 0] += 1 } else { fp[p, default: 0] += 1; fn[t, default: 0] += 1 }
    }
  }

  static func f1(tp: Int, fp: Int, fn: Int) -> Double {
    let d = 2 * tp + fp + fn
    return d == 0 ? 0 : Double(2 * tp) / Double(d)
  }

  public func summary() throws -> [String: Double] {
    var mode = average
    if mode == .auto { mode = outputClasses <= 2 ? .binary : .macro }
    switch mode {
    case .binary:
      if let bad = seenClasses.first(where: { $0 != 0 && $0 != 1 && $0 != posLabel }) {
        throw TrainerError.input("F1: average 'binary' but class \(bad) occurs; use average: macro or micro")
      }
      return [name: F1.f1(tp: tp[posLabel] ?? 0, fp: fp[posLabel] ?? 0, fn: fn[posLabel] ?? 0)]
    case .macro:
      guard !seenClasses.isEmpty else { return [name: 0] }
      let s = seenClasses.map { F1.f1(tp: tp[$0] ?? 0, fp: fp[$0] ?? 0, fn: fn[$0] ?? 0) }.reduce(0, +)
      return [name: s / Double(seenClasses.count)]
    case .micro, .auto:
      return [name: F1.f1(tp: tp.values.reduce(0, +), fp: fp.values.reduce(0, +), fn: fn.values.reduce(0, +))]
    }
  }
}
