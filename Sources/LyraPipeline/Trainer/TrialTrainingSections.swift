import LyraBase

extension TrialTraining {
  /// The step's trainer section with a trial's sampled `trainer.*` values merged in. When
  /// a sample switches a component's type (`trainer.optimizer.type: Adam` over a base
  /// SGD), the base `params` of that component are dropped: SGD's momentum means nothing
  /// to Adam, and the sampled params (and the new type's defaults) are what the trial meant.
  public static func trainerSection(_ base: JSON?, _ sampled: JSON?) -> JSON {
    var b = base?.object ?? [:]
    for part in ["optimizer", "lr_scheduler", "loss"] {
      guard let newType = sampled?[part]?["type"]?.string, var old = b[part]?.object,
            let oldType = old["type"]?.string, oldType != newType else { continue }
      old.removeValue(forKey: "params")
      b[part] = .object(old)
    }
    return ConfigRefs.merge(.object(b), sampled ?? .object([:]))
  }

  /// hps.dataset keys become the dataset's `common` keys (VEGA: `dataset.batch_size`).
  static func datasetSection(_ base: JSON, _ hps: JSON?) -> JSON {
    guard let h = hps?.object, !h.isEmpty else { return base }
    var o = base.object ?? [:]
    var common = o["common"]?.object ?? [:]
    for (k, v) in h {
      if ["type", "common", "train", "val", "test"].contains(k) { o[k] = ConfigRefs.merge(o[k], v) } else { common[k] = v }
    }
    o["common"] = .object(common)
    return .object(o)
  }
}
