import Foundation
import LyraTensor

/// Gradient clipping, as `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`.
/// Parameters without a gradient are ignored.

/// Rescales all gradients together so that their joint `normType`-norm is at most
/// `maxNorm`, and returns the joint norm before clipping (what a trainer logs).
///
/// The joint norm is the norm of the vector of all gradients concatenated
/// (`.infinity` gives the largest magnitude). As PyTorch, the factor is
/// maxNorm / (norm + 1e-6), applied only when below 1, and non-finite norms are returned
/// without an error (the gradients are then scaled by NaN, as PyTorch with
/// error_if_nonfinite=False). Sums run in Double, so large models do not lose the
/// small contributions.
@discardableResult
public func clipGradNorm(_ params: [Tensor], maxNorm: Double, normType: Double = 2) -> Double {
  precondition(normType > 0, "clipGradNorm: norm type must be positive (or .infinity), got \(normType)")
  let grads = params.compactMap { $0.grad }
  if grads.isEmpty { return 0 }
  for g in grads { precondition(g.isContiguous, "clipGradNorm: gradients must be contiguous") }
  var total = 0.0
  for g in grads {
    let p = UnsafePointer(g.data), n = g.count
    if normType == .infinity {
      var m: Float = 0, nan = false
      for i in 0..<n { let a = abs(p[i]); if a > m { m = a }; if a.isNaN { nan = true } }
      total = nan || total.isNaN ? .nan : Swift.max(total, Double(m))
    } else if normType == 2 {
      var s = 0.0
      for i in 0..<n { let x = Double(p[i]); s += x * x }
      total += s
    } else if normType == 1 {
      var s = 0.0
      for i in 0..<n { s += Double(abs(p[i])) }
      total += s
    } else {
      var s = 0.0
      for i in 0..<n { s += pow(Double(abs(p[i])), normType) }
      total += s
    }
  }
  if normType == 2 { total = total.squareRoot() } else if normType != 1 && normType != .infinity { total = pow(total, 1 / normType) }
  let coef = maxNorm / (total + 1e-6)
  if coef < 1 || coef.isNaN {
    let c = Float(coef)
    for g in grads {
      let p = g.data
      for i in 0..<g.count { p[i] *= c }
    }
  }
  return total
}

/// Clamps every gradient element to [−clipValue, clipValue] (`clip_grad_value_`).
public func clipGradValue(_ params: [Tensor], clipValue: Double) {
  precondition(clipValue >= 0, "clipGradValue: clip value must be non-negative, got \(clipValue)")
  let hi = Float(clipValue), lo = -hi
  for p in params {
    guard let g = p.grad else { continue }
    precondition(g.isContiguous, "clipGradValue: gradients must be contiguous")
    let d = g.data
    for i in 0..<g.count { d[i] = Swift.min(Swift.max(d[i], lo), hi) }
  }
}
