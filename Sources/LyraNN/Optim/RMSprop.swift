import Foundation
import LyraTensor

/// RMSprop exactly as `torch.optim.RMSprop` (defaults lr 1e-2, alpha 0.99, eps 1e-8):
///
///     g ← ∇w + wd·w
///     v ← α·v + (1 − α)·g²
///     centered:  ḡ ← α·ḡ + (1 − α)·g,  v̂ = v − ḡ²   else v̂ = v
///     momentum:  b ← μ·b + g / (√v̂ + eps),  w ← w − lr·b   else w ← w − lr·g / (√v̂ + eps)
///
/// eps is added outside the square root, as PyTorch (Hinton's lecture adds it inside).
public final class RMSprop: BufferedOptimizer {
  public let name = "RMSprop"
  public let params: [Tensor]
  public var lr: Double
  public var alpha: Double
  public var eps: Double
  public var weightDecay: Double
  public var momentum: Double
  public var centered: Bool
  static let bufferNames = ["square_avg", "momentum_buffer", "grad_avg"]
  var state: ParameterBuffers

  public init(_ params: [Tensor], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
              momentum: Double = 0, centered: Bool = false) {
    OptimizerChecks.checkParams(params, "RMSprop")
    OptimizerChecks.mustPass { try RMSprop.validate(lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum) }
    self.params = params
    (self.lr, self.alpha, self.eps, self.weightDecay, self.momentum, self.centered) = (lr, alpha, eps, weightDecay, momentum, centered)
    state = ParameterBuffers(RMSprop.bufferNames, count: params.count)
  }

  static func validate(lr: Double, alpha: Double, eps: Double, weightDecay: Double, momentum: Double) throws {
    try OptimizerChecks.atLeast("RMSprop", "learning rate", lr)
    try OptimizerChecks.atLeast("RMSprop", "alpha", alpha)
    try OptimizerChecks.require(alpha <= 1, "RMSprop: invalid alpha \(alpha) (must be <= 1)")
    try OptimizerChecks.atLeast("RMSprop", "eps", eps)
    try OptimizerChecks.atLeast("RMSprop", "weight_decay", weightDecay)
    try OptimizerChecks.atLeast("RMSprop", "momentum", momentum)
  }

  public var hyperparameters: [String: Double] {
    ["lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weightDecay, "momentum": momentum, "centered": centered ? 1 : 0]
  }

  public func step() {
    let a = Float(alpha), oneMinusA = Float(1 - alpha), e = Float(eps), wd = Float(weightDecay), mu = Float(momentum), lrF = Float(lr)
    for (k, p) in params.enumerated() {
      guard let grad = OptimizerChecks.gradient(of: p, "RMSprop.step") else { continue }
      state.steps[k] += 1
      let n = p.count, w = p.data, g = UnsafePointer(grad.data)
      let v = state.buffer("square_avg", k, like: p)
      let gavg = centered ? state.buffer("grad_avg", k, like: p) : nil
      let buf = momentum > 0 ? state.buffer("momentum_buffer", k, like: p) : nil
      for i in 0..<n {
        let gi = weightDecay != 0 ? g[i] + wd * w[i] : g[i]
        v[i] = a * v[i] + oneMinusA * gi * gi
        var vh = v[i]
        if let gavg {
          gavg[i] = a * gavg[i] + oneMinusA * gi
          vh -= gavg[i] * gavg[i]
        }
        let update = gi / (vh.squareRoot() + e)
        if let buf {
          buf[i] = mu * buf[i] + update
          w[i] -= lrF * buf[i]
        } else {
          w[i] -= lrF * update
        }
      }
    }
  }

  public func loadStateDict(_ s: OptimizerState) throws {
    let (h, loaded) = try checkedState(s)
    try RMSprop.validate(lr: h["lr"]!, alpha: h["alpha"]!, eps: h["eps"]!, weightDecay: h["weight_decay"]!, momentum: h["momentum"]!)
    (lr, alpha, eps, weightDecay, momentum) = (h["lr"]!, h["alpha"]!, h["eps"]!, h["weight_decay"]!, h["momentum"]!)
    centered = h["centered"]! != 0
    state = loaded
  }
}
