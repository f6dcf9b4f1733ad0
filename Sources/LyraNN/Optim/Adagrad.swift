import Foundation
import LyraTensor

/// Adagrad exactly as `torch.optim.Adagrad` (defaults lr 1e-2, lr_decay 0, eps 1e-10):
///
///     t ← t + 1,  g ← ∇w + wd·w,  clr = lr / (1 + (t − 1)·lr_decay)
///     s ← s + g²   (s starts at initial_accumulator_value)
///     w ← w − clr·g / (√s + eps)
public final class Adagrad: BufferedOptimizer {
  public let name = "Adagrad"
  public let params: [Tensor]
  public var lr: Double
  public var lrDecay: Double
  public var weightDecay: Double
  public var initialAccumulatorValue: Double
  public var eps: Double
  static let bufferNames = ["sum"]
  var state: ParameterBuffers

  public init(_ params: [Tensor], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
              initialAccumulatorValue: Double = 0, eps: Double = 1e-10) {
    OptimizerChecks.checkParams(params, "Adagrad")
    OptimizerChecks.mustPass {
      try Adagrad.validate(lr: lr, lrDecay: lrDecay, weightDecay: weightDecay, initial: initialAccumulatorValue, eps: eps)
    }
    self.params = params
    (self.lr, self.lrDecay, self.weightDecay, self.initialAccumulatorValue, self.eps) = (lr, lrDecay, weightDecay, initialAccumulatorValue, eps)
    state = ParameterBuffers(Adagrad.bufferNames, count: params.count)
  }

  static func validate(lr: Double, lrDecay: Double, weightDecay: Double, initial: Double, eps: Double) throws {
    try OptimizerChecks.atLeast("Adagrad", "learning rate", lr)
    try OptimizerChecks.atLeast("Adagrad", "lr_decay", lrDecay)
    try OptimizerChecks.atLeast("Adagrad", "weight_decay", weightDecay)
    try OptimizerChecks.atLeast("Adagrad", "initial_accumulator_value", initial)
    try OptimizerChecks.atLeast("Adagrad", "eps", eps)
  }

  public var hyperparameters: [String: Double] {
    ["lr": lr, "lr_decay": lrDecay, "weight_decay": weightDecay, "initial_accumulator_value": initialAccumulatorValue, "eps": eps]
  }

  public func step() {
    let wd = Float(weightDecay), e = Float(eps)
    for (k, p) in params.enumerated() {
      guard let grad = OptimizerChecks.gradient(of: p, "Adagrad.step") else { continue }
      state.steps[k] += 1
      let clr = Float(lr / (1 + Double(state.steps[k] - 1) * lrDecay))
      let n = p.count, w = p.data, g = UnsafePointer(grad.data)
      let s = state.buffer("sum", k, like: p, initial: Float(initialAccumulatorValue))
      for i in 0..<n {
        let gi = weightDecay != 0 ? g[i] + wd * w[i] : g[i]
        s[i] += gi * gi
        w[i] -= clr * gi / (s[i].squareRoot() + e)
      }
    }
  }

  public func loadStateDict(_ s: OptimizerState) throws {
    let (h, loaded) = try checkedState(s)
    let v = (h["lr"]!, h["lr_decay"]!, h["weight_decay"]!, h["initial_accumulator_value"]!, h["eps"]!)
    try Adagrad.validate(lr: v.0, lrDecay: v.1, weightDecay: v.2, initial: v.3, eps: v.4)
    (lr, lrDecay, weightDecay, initialAccumulatorValue, eps) = v
    state = loaded
  }
}
