/// `ReduceLROnPlateau`, as PyTorch's: multiplies the optimiser's rate by `factor` when a
/// metric has not improved for more than `patience` steps, then waits `cooldown` steps
/// before counting again; never below `minLR`, and a reduction smaller than `eps` is skipped.
///
/// Improvement: mode "min" with threshold_mode "rel" means metric < best·(1 − threshold);
/// "abs" means metric < best − threshold; mode "max" mirrors both.
///
/// Unlike the closed-form schedules it depends on the metrics seen, so it keeps state
/// (`best`, `badSteps`, `cooldownLeft`), which `state`/`restore` save and reload.
public final class ReduceLROnPlateau {
  public let optimizer: Optimizer
  public let mode: String, thresholdMode: String
  public let factor: Double, threshold: Double, minLR: Double, eps: Double
  public let patience: Int, cooldown: Int
  public private(set) var best: Double
  public private(set) var badSteps = 0
  public private(set) var cooldownLeft = 0
  public private(set) var stepCount = 0

  public init(optimizer: Optimizer, mode: String = "min", factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4,
              thresholdMode: String = "rel", cooldown: Int = 0, minLR: Double = 0, eps: Double = 1e-8) throws {
    try OptimizerChecks.require(mode == "min" || mode == "max", "ReduceLROnPlateau: mode must be 'min' or 'max', got '\(mode)'")
    try OptimizerChecks.require(thresholdMode == "rel" || thresholdMode == "abs",
                                "ReduceLROnPlateau: threshold_mode must be 'rel' or 'abs', got '\(thresholdMode)'")
    try OptimizerChecks.require(factor >= 0 && factor < 1, "ReduceLROnPlateau: factor must be in [0, 1), got \(factor)")
    try OptimizerChecks.require(patience >= 0 && cooldown >= 0, "ReduceLROnPlateau: patience and cooldown must be >= 0")
    try OptimizerChecks.require(threshold >= 0 && threshold.isFinite, "ReduceLROnPlateau: threshold must be >= 0, got \(threshold)")
    try OptimizerChecks.require(minLR >= 0 && eps >= 0, "ReduceLROnPlateau: min_lr and eps must be >= 0")
    self.optimizer = optimizer
    (self.mode, self.factor, self.patience, self.threshold, self.thresholdMode) = (mode, factor, patience, threshold, thresholdMode)
    (self.cooldown, self.minLR, self.eps) = (cooldown, minLR, eps)
    best = mode == "min" ? .infinity : -.infinity
  }

  func isBetter(_ a: Double) -> Bool {
    switch (mode, thresholdMode) {
    case ("min", "rel"): return a < best * (1 - threshold)
    case ("min", _): return a < best - threshold
    case (_, "rel"): return a > best * (1 + threshold)
    default: return a > best + threshold
    }
  }

  /// One step with this epoch's metric (a validation loss in "min" mode). NaN counts as no
  /// improvement.
  public func step(_ metric: Double) {
    stepCount += 1
    if isBetter(metric) {
      best = metric
      badSteps = 0
    } else {
      badSteps += 1
    }
    if cooldownLeft > 0 {
      cooldownLeft -= 1
      badSteps = 0
    }
    if badSteps > patience {
      let old = optimizer.lr, new = Swift.max(old * factor, minLR)
      if old - new > eps { optimizer.lr = new }
      cooldownLeft = cooldown
      badSteps = 0
    }
  }

  /// The counters a resumed run needs (the rate itself lives in the optimiser's state).
  public var state: [String: Double] {
    ["best": best, "num_bad_epochs": Double(badSteps), "cooldown_counter": Double(cooldownLeft), "last_epoch": Double(stepCount)]
  }

  public func restore(_ s: [String: Double]) throws {
    func count(_ k: String) throws -> Int {
      guard let v = s[k], v >= 0, v == v.rounded(), v < 1e15 else { throw OptimizerError("ReduceLROnPlateau state: \(k) must be an integer >= 0") }
      return Int(v)
    }
    guard let b = s["best"], !b.isNaN else { throw OptimizerError("ReduceLROnPlateau state: best must be a number") }
    let (n, c, e) = (try count("num_bad_epochs"), try count("cooldown_counter"), try count("last_epoch"))
    (best, badSteps, cooldownLeft, stepCount) = (b, n, c, e)
  }
}
