import Foundation

/// What the report knows about metric names: which are properties of the model rather
/// than of training (no learning curve for them), which are aliases of another (shown
/// once), and the unit each is displayed in.
enum MetricNames {
  /// Measured once per model (ModelStatistics, QuotaCheck, QuantEA): the same at every
  /// epoch, so a "learning curve" of them is a flat line that says nothing.
  static let staticMetrics: Set<String> = ["flops", "params", "latency", "host_latency", "model_size"]

  static func isStatic(_ key: String) -> Bool { staticMetrics.contains(key.lowercased()) }

  /// `accuracy_top1` is `accuracy` (Accuracy reports the first k under both names).
  /// True when `key` is `<base>_top1` and `base` is among `keys`.
  static func isAlias(_ key: String, among keys: Set<String>) -> Bool {
    guard key.hasSuffix("_top1") else { return false }
    return keys.contains(String(key.dropLast("_top1".count)))
  }

  /// `keys` without aliases, order kept.
  static func withoutAliases(_ keys: [String]) -> [String] {
    let all = Set(keys)
    return keys.filter { !isAlias($0, among: all) }
  }

  /// Display scale and unit: the records keep VEGA's units (flops in G, params in K,
  /// latency in ms, model_size in KiB); a NAS-sized network reads better in MFLOPs.
  static func unit(_ key: String) -> (scale: Double, unit: String)? {
    switch key.lowercased() {
    case "flops": return (1000, "MFLOPs")
    case "params": return (1, "K params")
    case "latency", "host_latency": return (1, "ms")
    case "model_size": return (1, "KiB")
    default: return nil
    }
  }

  /// An axis label: `flops (MFLOPs, min)` or `accuracy (max)`.
  static func axisLabel(_ key: String, maximize: Bool?) -> String {
    var parts: [String] = []
    if let u = unit(key) { parts.append(u.unit) }
    if let m = maximize { parts.append(m ? "max" : "min") }
    return parts.isEmpty ? key : "\(key) (\(parts.joined(separator: ", ")))"
  }

  /// A value in its display unit.
  static func scaled(_ key: String, _ v: Double) -> Double { v * (unit(key)?.scale ?? 1) }
}
