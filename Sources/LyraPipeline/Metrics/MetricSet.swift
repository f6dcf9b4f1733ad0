import LyraNN
import LyraSearch
import LyraTensor

/// The metrics of one trainer or evaluator (`metric:` may be one section or a list),
/// updated together; the first metric's name is the main key that decides "best".
public final class MetricSet {
  public let metrics: [Metric]

  public init(_ metrics: [Metric]) {
    precondition(!metrics.isEmpty, "MetricSet: at least one metric")
    self.metrics = metrics
  }

  /// From a `metric:` value: one section, a bare name, or a list of either.
  public convenience init(json: JSON, path: String = "trainer.metric") throws {
    if let list = json.array {
      guard !list.isEmpty else { throw TrainerError.config(key: path, "empty metric list") }
      self.init(try list.enumerated().map { try MetricRegistry.make($1, path: "\(path)[\($0 + 1)]") })
    } else {
      self.init([try MetricRegistry.make(json, path: path)])
    }
  }

  /// The key compared to pick the best epoch (the first metric's main value).
  public var mainKey: String { metrics[0].name }
  public var mainObjective: Direction { metrics[0].objective }

  /// The direction of every summary key (`accuracy_top5` follows `accuracy`).
  public var objectives: [String: Direction] {
    var out: [String: Direction] = [:]
    for m in metrics {
      out[m.name] = m.objective
      if let keys = try? m.summary().keys { for k in keys { out[k] = m.objective } }
    }
    return out
  }

  public func reset() { metrics.forEach { $0.reset() } }

  public func update(output: Tensor, target: Tensor) throws {
    for m in metrics { try m.update(output: output, target: target) }
  }

  public func summary() throws -> [String: Double] {
    var out: [String: Double] = [:]
    for m in metrics { out.merge(try m.summary()) { a, _ in a } }
    return out
  }

  /// True when `a` is better than `b` on `key` in `direction` (strictly).
  public static func better(_ a: Double, than b: Double, _ direction: Direction) -> Bool {
    direction == .maximize ? a > b : a < b
  }
}
