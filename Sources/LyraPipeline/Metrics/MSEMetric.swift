import LyraSearch
import LyraTensor

/// Mean squared error over every element of every batch (VEGA's `MSE`, minimised).
/// Integer targets are compared as numbers (regression on label values).
public final class MSEMetric: Metric {
  public let name = "MSE"
  public let objective = Direction.minimize
  private var sum = 0.0
  private var count = 0

  public init() {}

  public func reset() {
    sum = 0
    count = 0
  }

  public func update(output: Tensor, target: Tensor) throws {
    guard output.count == target.count else {
      throw TrainerError.input("MSE: output has \(output.count) values, target \(target.count)")
    }
    let o = MetricInput.doubles(output), t = MetricInput.doubles(target)
    for i in o.indices { let d = o[i] - t[i]; sum += d * d }
    count += o.count
  }

  public func summary() throws -> [String: Double] { [name: count == 0 ? 0 : sum / Double(count)] }
}
