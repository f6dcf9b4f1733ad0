import LyraSearch
import LyraTensor

/// Top-k classification accuracy (VEGA's `accuracy`, default `topk: [1, 5]`).
///
/// Summary as VEGA's: with one k, `{accuracy}`; with several, `accuracy` is the first
/// k's value and `accuracy_top<k>` each k's. A k above the class count counts every
/// sample correct (VEGA clips k the same way). A sample is correct at k when fewer than
/// k classes score strictly higher than its true class (ties count in its favour).
public final class Accuracy: Metric {
  public let name = "accuracy"
  public let objective = Direction.maximize
  public let topk: [Int]
  private var correct: [Int]
  private var seen = 0

  public init(topk: [Int] = [1, 5]) throws {
    guard !topk.isEmpty, topk.allSatisfy({ $0 >= 1 }) else {
      throw TrainerError.config("accuracy: topk must be a non-empty list of positive integers, got \(topk)")
    }
    self.topk = topk
    correct = [Int](repeating: 0, count: topk.count)
  }

  public func reset() {
    correct = [Int](repeating: 0, count: topk.count)
    seen = 0
  }

  public func update(output: Tensor, target: Tensor) throws {
    let (n, c) = try MetricInput.rows(output, metric: name)
    try MetricInput.checkCount(n, target, metric: name)
    let labels = try MetricInput.labels(target, metric: name)
    if c == 1 {  // one logit per sample: binary, top-1 only
      let (pred, _) = try MetricInput.predictions(output, metric: name)
      let hits = zip(pred, labels).filter { $0 == $1 }.count
      for i in topk.indices { correct[i] += topk[i] >= 2 ? n : hits }
      seen += n
      return
    }
    let v = output.toArray()
    for i in 0..<n {
      let y = labels[i]
      guard y >= 0, y < c else { throw TrainerError.input("accuracy: label \(y) out of range for \(c) classes") }
      let s = v[i * c + y]
      var higher = 0
      for j in 0..<c where v[i * c + j] > s { higher += 1 }
      for (k, kk) in topk.enumerated() where higher < kk { correct[k] += 1 }
    }
    seen += n
  }

  public func summary() throws -> [String: Double] {
    let acc = correct.map { seen == 0 ? 0 : Double($0) / Double(seen) }
    if topk.count == 1 { return [name: acc[0]] }
    var out = [name: acc[0]]
    for (k, a) in zip(topk, acc) { out["\(name)_top\(k)"] = a }
    return out
  }
}
