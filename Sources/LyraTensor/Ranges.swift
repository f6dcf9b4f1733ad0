import Foundation

/// Sequences beyond arange/linspace: Torch7's inclusive `range` and `logspace`.
extension Tensor {
  /// The number of values `range(start, end, step)` yields: every start + i*step up to
  /// end inclusive (a relative 1e-9 of slack, so range(0, 1, 0.1) ends at 1).
  public static func rangeCount(_ start: Double, _ end: Double, _ step: Double) -> Int {
    precondition(step != 0, "Tensor.range: step must be non-zero")
    let q = (end - start) / step
    return q < 0 ? 0 : Int((q + 1e-9 * Swift.max(1, q)).rounded(.down)) + 1
  }

  /// start, start+step, ... up to and including end (Torch7's `torch.range`; float).
  public static func range(_ start: Double, _ end: Double, _ step: Double = 1) -> Tensor {
    let n = rangeCount(start, end, step)
    let t = Tensor(uninitializedShape: [n])
    for i in 0..<n { t.data[i] = Float(start + Double(i) * step) }
    return t
  }

  /// `steps` values base^v for v evenly spaced from start to end inclusive (`torch.logspace`).
  public static func logspace(_ start: Float, _ end: Float, _ steps: Int, base: Float = 10) -> Tensor {
    let t = linspace(start, end, steps)
    for i in 0..<steps { t.data[i] = Float(Foundation.pow(Double(base), Double(t.data[i]))) }
    return t
  }
}
