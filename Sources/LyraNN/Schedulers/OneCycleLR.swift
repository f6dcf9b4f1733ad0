import Foundation

/// `OneCycleLR` (Smith & Topin's 1cycle policy, PyTorch's closed form): the rate rises
/// from max_lr / div_factor to max_lr over the first pct_start of `totalSteps`, then
/// anneals to max_lr / div_factor / final_div_factor ('cos' or 'linear'). With
/// `threePhase`, it comes back down to the initial rate symmetrically before the final
/// annealing. The optimiser's base rate is ignored (max_lr defines the curve), as PyTorch.
///
/// Differences from PyTorch: momentum is not cycled (cycle_momentum), and past
/// `totalSteps` the final rate is held rather than raising an error.
public struct OneCycleLR: LRScheduler {
  public var maxLR: Double
  public var totalSteps: Int
  public var pctStart: Double
  /// "cos" or "linear".
  public var annealStrategy: String
  public var divFactor: Double
  public var finalDivFactor: Double
  public var threePhase: Bool

  public init(maxLR: Double, totalSteps: Int, pctStart: Double = 0.3, annealStrategy: String = "cos", divFactor: Double = 25,
              finalDivFactor: Double = 1e4, threePhase: Bool = false) {
    precondition(totalSteps > 0, "OneCycleLR: total_steps must be positive")
    precondition(pctStart > 0 && pctStart < 1, "OneCycleLR: pct_start must be in (0, 1)")
    precondition(annealStrategy == "cos" || annealStrategy == "linear", "OneCycleLR: anneal_strategy must be 'cos' or 'linear'")
    (self.maxLR, self.totalSteps, self.pctStart, self.annealStrategy) = (maxLR, totalSteps, pctStart, annealStrategy)
    (self.divFactor, self.finalDivFactor, self.threePhase) = (divFactor, finalDivFactor, threePhase)
  }

  func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
    annealStrategy == "cos" ? end + (start - end) / 2 * (cos(Double.pi * pct) + 1) : (end - start) * pct + start
  }

  public func rate(at step: Int, base: Double) -> Double {
    let initial = maxLR / divFactor, minLR = initial / finalDivFactor
    let n = Double(totalSteps)
    // (end step, start rate, end rate) per phase, as PyTorch's _schedule_phases.
    let phases: [(Double, Double, Double)] = threePhase
      ? [(pctStart * n - 1, initial, maxLR), (2 * pctStart * n - 2, maxLR, initial), (n - 1, initial, minLR)]
      : [(pctStart * n - 1, initial, maxLR), (n - 1, maxLR, minLR)]
    let t = Double(min(step, totalSteps - 1))
    var start = 0.0
    for (i, p) in phases.enumerated() {
      if t <= p.0 || i == phases.count - 1 {
        let span = p.0 - start
        return anneal(p.1, p.2, span > 0 ? (t - start) / span : 1)
      }
      start = p.0
    }
    return minLR
  }
}
