import LyraData
import LyraNN
import LyraTensor

/// Runs a model over a dataset with metrics and no training (VEGA's HostEvaluator,
/// used by BenchmarkPipeStep): eval mode, no gradients, every batch, then the summary.
public struct Evaluator {
  public let metrics: MetricSet
  public var makeBatch: TrainerBatch.Maker = TrainerBatch.standard

  public init(metrics: MetricSet) { self.metrics = metrics }

  /// From VEGA's `evaluator:` section (`{type: Evaluator, host_evaluator: {type:
  /// HostEvaluator, metric: {...}}}`) or just `{metric: ...}`; default metric accuracy.
  public init(json: JSON, path: String = "evaluator") throws {
    let r = try ParamReader(json, path: path)
    _ = try r.optionalString("type")
    r.accept(["device_evaluator"]) // warned about by ConfigWarnings: no boards here
    var metric: JSON = .object(["type": .string("accuracy")])
    if let m = r.raw("metric") { metric = m }
    if let h = r.raw("host_evaluator") {
      let hr = try ParamReader(h, path: path + ".host_evaluator")
      _ = try hr.optionalString("type")
      hr.accept(["cuda", "evaluate_latency"])
      if let m = hr.raw("metric") { metric = m }
      try hr.finish()
    }
    try r.finish()
    self.init(metrics: try MetricSet(json: metric, path: path + ".metric"))
  }

  /// The metric values of `model` on every batch of `loader`.
  public func evaluate(_ model: Module, on loader: DataLoader) throws -> [String: Double] {
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    metrics.reset()
    try Tensor.noGrad {
      let it = loader.batches(epoch: 0)
      defer { it.stop() }
      while let b = it.next() {
        try Interruption.check()
        let (x, y) = try makeBatch(b)
        try metrics.update(output: try model(x), target: y)
      }
    }
    return try metrics.summary()
  }
}
