import Foundation
import LyraTensor

/// The state and fused update shared by `Adam` and `AdamW` (they differ only in how
/// weight decay enters), following `torch.optim.adam` (single-tensor path) line by line:
///
///     t ← t + 1
///     w ← w·(1 − lr·wd)                    (AdamW: decoupled decay)
///     g ← ∇w + wd·w                          (Adam: L2 decay in the gradient)
///     m ← m + (1 − β1)(g − m)               (PyTorch's lerp_)
///     v ← β2·v + (1 − β2)·g²
///     v̂ ← max(v̂, v) (AMSGrad), else v̂ = v
///     w ← w − (lr / (1 − β1ᵗ)) · m / (√v̂ / √(1 − β2ᵗ) + eps)
///
/// Note eps is added after the bias correction of √v̂, as PyTorch does (the paper adds it
/// to the corrected estimate too; some libraries add it before, which differs early on).
struct AdamBuffers {
  var expAvg: [Tensor?]
  var expAvgSq: [Tensor?]
  var maxExpAvgSq: [Tensor?]
  /// Per-parameter step counts (PyTorch keeps `state['step']` per parameter).
  var steps: [Int]

  static let bufferNames: Set<String> = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"]

  init(count: Int) {
    expAvg = Array(repeating: nil, count: count)
    expAvgSq = expAvg
    maxExpAvgSq = expAvg
    steps = Array(repeating: 0, count: count)
  }

  static func validate(_ who: String, lr: Double, beta1: Double, beta2: Double, eps: Double, weightDecay: Double) throws {
    try OptimizerChecks.require(lr >= 0, "\(who): invalid learning rate \(lr) (must be >= 0)")
    try OptimizerChecks.require(eps >= 0, "\(who): invalid eps \(eps) (must be >= 0)")
    try OptimizerChecks.require(beta1 >= 0 && beta1 < 1, "\(who): invalid beta parameter at index 0: \(beta1) (must be in [0, 1))")
    try OptimizerChecks.require(beta2 >= 0 && beta2 < 1, "\(who): invalid beta parameter at index 1: \(beta2) (must be in [0, 1))")
    try OptimizerChecks.require(weightDecay >= 0, "\(who): invalid weight_decay \(weightDecay) (must be >= 0)")
  }

  /// One Adam step over every parameter with a gradient; `decoupled` selects AdamW's decay.
  mutating func step(_ params: [Tensor], who: String, lr: Double, beta1: Double, beta2: Double, eps: Double,
                     weightDecay: Double, amsgrad: Bool, decoupled: Bool) {
    let b2 = Float(beta2), oneMinusB1 = Float(1 - beta1), oneMinusB2 = Float(1 - beta2)
    let epsF = Float(eps), wd = Float(weightDecay)
    let l2 = !decoupled && weightDecay != 0
    let shrink = Float(1 - lr * weightDecay), useShrink = decoupled && weightDecay != 0
    for (k, p) in params.enumerated() {
      guard let grad = OptimizerChecks.gradient(of: p, "\(who).step") else { continue }
      let n = p.count
      if expAvg[k] == nil {
        expAvg[k] = Tensor.zerosLike(p)
        expAvgSq[k] = Tensor.zerosLike(p)
      }
      if amsgrad && maxExpAvgSq[k] == nil { maxExpAvgSq[k] = Tensor.zerosLike(p) }
      steps[k] += 1
      // Bias corrections in Double, as PyTorch computes them with Python floats.
      let t = Double(steps[k])
      let stepSize = Float(lr / (1 - pow(beta1, t)))
      let bc2Sqrt = Float((1 - pow(beta2, t)).squareRoot())
      let w = p.data, g = UnsafePointer(grad.data), m = expAvg[k]!.data, v = expAvgSq[k]!.data
      let vmax = amsgrad ? maxExpAvgSq[k]!.data : v
      for i in 0..<n {
        var wi = w[i]
        if useShrink { wi *= shrink }
        let gi = l2 ? g[i] + wd * wi : g[i]
        let mi = m[i] + oneMinusB1 * (gi - m[i])
        let vi = b2 * v[i] + oneMinusB2 * gi * gi
        m[i] = mi
        v[i] = vi
        var vh = vi
        if amsgrad { vh = Swift.max(vmax[i], vi); vmax[i] = vh }
        let denom = vh.squareRoot() / bc2Sqrt + epsF
        w[i] = wi + -stepSize * (mi / denom)
      }
    }
  }

  func save(into s: inout OptimizerState) {
    for k in 0..<steps.count {
      if let b = expAvg[k] { s.buffers["\(k).exp_avg"] = b.optimValues }
      if let b = expAvgSq[k] { s.buffers["\(k).exp_avg_sq"] = b.optimValues }
      if let b = maxExpAvgSq[k] { s.buffers["\(k).max_exp_avg_sq"] = b.optimValues }
      if steps[k] > 0 { s.steps[k] = steps[k] }
    }
  }

  /// The buffers in `s`, or an error; `self` is untouched on error.
  static func load(_ s: OptimizerState, params: [Tensor]) throws -> AdamBuffers {
    var out = AdamBuffers(count: params.count)
    for (k, p) in params.enumerated() {
      out.expAvg[k] = try s.buffer(k, "exp_avg", count: p.count).map { Tensor.optimBuffer($0, like: p) }
      out.expAvgSq[k] = try s.buffer(k, "exp_avg_sq", count: p.count).map { Tensor.optimBuffer($0, like: p) }
      out.maxExpAvgSq[k] = try s.buffer(k, "max_exp_avg_sq", count: p.count).map { Tensor.optimBuffer($0, like: p) }
      out.steps[k] = s.steps[k] ?? 0
      try OptimizerChecks.require((out.expAvg[k] != nil) == (out.expAvgSq[k] != nil) && (out.expAvg[k] != nil) == (out.steps[k] > 0),
        "\(s.optimizer) state: parameter \(k) needs exp_avg, exp_avg_sq and a step count together")
    }
    return out
  }
}
