import LyraBase
import LyraNN
import LyraSearch

/// Metrics by VEGA's registry names (`trainer.metric: {type: accuracy, params: {topk: [1, 5]}}`),
/// looked up exactly first, then case-insensitively (so `psnr` and `f1_score` work).
/// Lua and other layers add metrics with `register`.
public enum MetricRegistry {
  static let factories = Registry<MetricFactory>(kind: "metric", defaults())

  /// Adds or replaces the metric `name`.
  public static func register(_ name: String, _ factory: @escaping MetricFactory) { factories.register(name, factory) }

  public static var names: [String] { factories.names }

  /// Builds one metric from a `{type, params}` section or a bare name.
  public static func make(_ json: JSON, path: String = "trainer.metric") throws -> Metric {
    let spec = try ComponentSpec(json, path: path)
    return try make(spec, path: path)
  }

  public static func make(_ spec: ComponentSpec, path: String = "trainer.metric") throws -> Metric {
    let f = try factories.lookup(spec.type, ignoringCase: true) { TrainerError.config(key: path, $0) }
    let r = ParamReader(spec.params, path: path + ".params")
    let m = try f(r)
    try r.finish()
    return m
  }

  static func defaults() -> [String: MetricFactory] {
    let image: (ParamReader) throws -> ImagePairs = { try ImagePairs.read($0) }
    let f1: MetricFactory = { r in
      let a = try r.string("average", "auto")
      guard let avg = F1.Average(rawValue: a) else {
        throw TrainerError.config("\(r.path).average: expected auto, binary, macro or micro, got '\(a)'")
      }
      return F1(average: avg, posLabel: try r.int("pos_label", 1))
    }
    return [
      "accuracy": { r in try Accuracy(topk: try r.ints("topk", [1, 5])) },
      "MSE": { _ in MSEMetric() },
      "PSNR": { r in PSNR(prep: try image(r)) },
      "SSIM": { r in SSIM(prep: try image(r)) },
      "AUC": { _ in AUC() },
      "F1": f1,
      "f1_score": f1,
    ]
  }
}
