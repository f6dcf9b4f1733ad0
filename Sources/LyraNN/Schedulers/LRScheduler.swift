import Foundation

/// A learning-rate schedule: the rate for a given step (or epoch), as a pure function,
/// so a resumed run gets exactly the rate it would have had (no hidden state to save).
///
/// The formulas are PyTorch's closed forms (`torch.optim.lr_scheduler`), so a VEGA or
/// PyTorch user's config gives the same curve.
public protocol LRScheduler {
  /// The rate at `step` (0-based), given the optimiser's base rate.
  func rate(at step: Int, base: Double) -> Double
}

/// `StepLR`: multiply by `gamma` every `stepSize` steps.
public struct StepLR: LRScheduler {
  public var stepSize: Int
  public var gamma: Double
  public init(stepSize: Int, gamma: Double = 0.1) {
    precondition(stepSize > 0, "StepLR: step_size must be positive, got \(stepSize)")
    self.stepSize = stepSize
    self.gamma = gamma
  }
  public func rate(at step: Int, base: Double) -> Double { base * pow(gamma, Double(step / stepSize)) }
}

/// `MultiStepLR`: multiply by `gamma` at each milestone.
public struct MultiStepLR: LRScheduler {
  public var milestones: [Int]
  public var gamma: Double
  public init(milestones: [Int], gamma: Double = 0.1) {
    self.milestones = milestones.sorted()
    self.gamma = gamma
  }
  public func rate(at step: Int, base: Double) -> Double {
    base * pow(gamma, Double(milestones.filter { $0 <= step }.count))
  }
}

/// `ExponentialLR`: multiply by `gamma` every step.
public struct ExponentialLR: LRScheduler {
  public var gamma: Double
  public init(gamma: Double) { self.gamma = gamma }
  public func rate(at step: Int, base: Double) -> Double { base * pow(gamma, Double(step)) }
}

/// `CosineAnnealingLR` (closed form, one half-period of `tMax` steps, then held at
/// `etaMin`): lr = etaMin + (base − etaMin)(1 + cos(π t / tMax)) / 2.
public struct CosineAnnealingLR: LRScheduler {
  public var tMax: Int
  public var etaMin: Double
  public init(tMax: Int, etaMin: Double = 0) {
    precondition(tMax > 0, "CosineAnnealingLR: T_max must be positive, got \(tMax)")
    self.tMax = tMax
    self.etaMin = etaMin
  }
  public func rate(at step: Int, base: Double) -> Double {
    let t = Double(min(step, tMax))
    return etaMin + (base - etaMin) * (1 + cos(Double.pi * t / Double(tMax))) / 2
  }
}

/// Linear warm-up from `startFactor`·base to base over `warmupSteps`, then `after`
/// (counted from the end of the warm-up), as VEGA's WarmupScheduler wraps another.
public struct WarmupLR: LRScheduler {
  public var warmupSteps: Int
  public var startFactor: Double
  public var after: LRScheduler?
  public init(warmupSteps: Int, startFactor: Double = 0.0, after: LRScheduler? = nil) {
    precondition(warmupSteps >= 0, "WarmupLR: warmup steps must be non-negative")
    self.warmupSteps = warmupSteps
    self.startFactor = startFactor
    self.after = after
  }
  public func rate(at step: Int, base: Double) -> Double {
    if step < warmupSteps {
      let f = startFactor + (1 - startFactor) * Double(step) / Double(warmupSteps)
      return base * f
    }
    return after?.rate(at: step - warmupSteps, base: base) ?? base
  }
}

/// A constant rate (the default when a config names no scheduler).
public struct ConstantLR: LRScheduler {
  public init() {}
  public func rate(at step: Int, base: Double) -> Double { base }
}
