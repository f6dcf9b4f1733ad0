import LyraBase

extension TrainerConfig {
  /// VEGA's `trainer.limits: {flop_range: [lo, hi], param_range: [lo, hi]}` (its
  /// QuantTrainerCallback fails a trial whose model falls outside) as a quota expression
  /// (`Quota`), checked on each trial's model before it trains, its reason recorded. VEGA
  /// counts raw multiply-adds and parameters; the quota's units are G and K, so the bounds
  /// are scaled (×1e-9, ×1e-3). nil when absent.
  static func limitsQuota(_ json: JSON?, path: String) throws -> String? {
    guard let json, json != .null else { return nil }
    guard let o = json.object else { throw TrainerError.config(key: path, "expected {flop_range: [lo, hi], param_range: [lo, hi]}, got \(json.text)") }
    var clauses: [String] = []
    for (key, quantity, scale) in [("flop_range", "flops", 1e-9), ("param_range", "params", 1e-3)] {
      guard let v = o[key] else { continue }
      guard let a = v.array?.compactMap(\.double), a.count == 2, a[0] <= a[1] else {
        throw TrainerError.config(key: "\(path).\(key)", "expected [low, high] with low ≤ high, got \(v.text)")
      }
      clauses.append("\(quantity) in [\(a[0] * scale), \(a[1] * scale)]")
    }
    for k in o.keys.sorted() where !["flop_range", "param_range"].contains(k) {
      throw TrainerError.config(key: "\(path).\(k)", "unknown key '\(k)'\(Suggest.hint(k, in: ["flop_range", "param_range"]))")
    }
    return clauses.isEmpty ? nil : clauses.joined(separator: " and ")
  }
}
