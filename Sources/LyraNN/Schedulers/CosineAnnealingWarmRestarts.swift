import Foundation

/// `CosineAnnealingWarmRestarts` (SGDR, Loshchilov & Hutter): cosine annealing from base
/// to eta_min over T_0 steps, then a restart at base, each period T_mult times longer:
///   lr = eta_min + (base − eta_min)(1 + cos(π T_cur / T_i)) / 2.
/// Integer steps, as PyTorch's scheduler stepped once per epoch.
public struct CosineAnnealingWarmRestarts: LRScheduler {
  public var t0: Int
  public var tMult: Int
  public var etaMin: Double

  public init(t0: Int, tMult: Int = 1, etaMin: Double = 0) {
    precondition(t0 > 0, "CosineAnnealingWarmRestarts: T_0 must be positive")
    precondition(tMult >= 1, "CosineAnnealingWarmRestarts: T_mult must be an integer >= 1")
    (self.t0, self.tMult, self.etaMin) = (t0, tMult, etaMin)
  }

  public func rate(at step: Int, base: Double) -> Double {
    var tCur = max(step, 0), tI = t0
    if tMult == 1 {
      tCur %= t0
    } else {
      while tCur >= tI { tCur -= tI; tI = tI > Int.max / tMult ? Int.max : tI * tMult }
    }
    return etaMin + (base - etaMin) * (1 + cos(Double.pi * Double(tCur) / Double(tI))) / 2
  }
}
