import Foundation
import LyraTensor

/// Adadelta exactly as `torch.optim.Adadelta` (defaults lr 1.0, rho 0.9, eps 1e-6):
///
///     g ← ∇w + wd·w
///     v ← ρ·v + (1 − ρ)·g²
///     Δ = √(u + eps) / √(v + eps) · g
///     u ← ρ·u + (1 − ρ)·Δ²
///     w ← w − lr·Δ
public final class Adadelta: BufferedOptimizer {
  public let name = "Adadelta"
  public let params: [Tensor]
  public var lr: Double
  public var rho: Double
  public var eps: Double
  public var weightDecay: Double
  static let bufferNames = ["square_avg", "acc_delta"]
  var state: ParameterBuffers

  public init(_ params: [Tensor], lr: Double = 1, rho: Double = 0.9, eps: Double = 1e-6, weightDecay: Double = 0) {
    OptimizerChecks.checkParams(params, "Adadelta")
    OptimizerChecks.mustPass { try Adadelta.validate(lr: lr, rho: rho, eps: eps, weightDecay: weightDecay) }
    self.params = params
    (self.lr, self.rho, self.eps, self.weightDecay) = (lr, rho, eps, weightDecay)
    state = ParameterBuffers(Adadelta.bufferNames, count: params.count)
  }

  static func validate(lr: Double, rho: Double, eps: Double, weightDecay: Double) throws {
    try OptimizerChecks.atLeast("Adadelta", "learning rate", lr)
    try OptimizerChecks.require(rho >= 0 && rho <= 1, "Adadelta: invalid rho \(rho) (must be in [0, 1])")
    try OptimizerChecks.atLeast("Adadelta", "eps", eps)
    try OptimizerChecks.atLeast("Adadelta", "weight_decay", weightDecay)
  }

  public var hyperparameters: [String: Double] { ["lr": lr, "rho": rho, "eps": eps, "weight_decay": weightDecay] }

  public func step() {
    let r = Float(rho), oneMinusR = Float(1 - rho), e = Float(eps), wd = Float(weightDecay), lrF = Float(lr)
    for (k, p) in params.enumerated() {
      guard let grad = OptimizerChecks.gradient(of: p, "Adadelta.step") else { continue }
      state.steps[k] += 1
      let n = p.count, w = p.data, g = UnsafePointer(grad.data)
      let v = state.buffer("square_avg", k, like: p), u = state.buffer("acc_delta", k, like: p)
      for i in 0..<n {
        let gi = weightDecay != 0 ? g[i] + wd * w[i] : g[i]
        v[i] = r * v[i] + oneMinusR * gi * gi
        let delta = (u[i] + e).squareRoot() / (v[i] + e).squareRoot() * gi
        u[i] = r * u[i] + oneMinusR * delta * delta
        w[i] -= lrF * delta
      }
    }
  }

  public func loadStateDict(_ s: OptimizerState) throws {
    let (h, loaded) = try checkedState(s)
    let v = (h["lr"]!, h["rho"]!, h["eps"]!, h["weight_decay"]!)
    try Adadelta.validate(lr: v.0, rho: v.1, eps: v.2, weightDecay: v.3)
    (lr, rho, eps, weightDecay) = v
    state = loaded
  }
}
