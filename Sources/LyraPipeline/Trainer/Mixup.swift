import Foundation
import LyraBase
import LyraTensor

/// VEGA's `trainer.mixup` (Zhang et al., "mixup: Beyond Empirical Risk Minimization",
/// ICLR 2018): each training batch is mixed with a shuffled copy of itself,
/// x̃ = λ·x + (1 − λ)·x[π], and the loss is λ·L(out, y) + (1 − λ)·L(out, y[π]), with
/// λ ~ Beta(α, α) and α = 0.1 as VEGA's PyTorch and TensorFlow trainers draw it.
///
/// λ and π come from a generator of their own, seeded by (trainer seed, epoch, step), so a
/// run resumed from a checkpoint mixes its remaining batches as the uninterrupted run did,
/// and the dropout and shuffle streams are not disturbed.
struct Mixup {
  var alpha = 0.1

  func draw(seed: UInt64, epoch: Int, step: Int, batch: Int) -> (lambda: Float, permutation: [Int]) {
    let g = Generator(seed: seed ^ 0x6D69_7875_70).split(stream: UInt64(epoch) << 32 | UInt64(step))
    let lambda = Float(Mixup.beta(alpha, alpha, g))
    var perm = Array(0..<batch)
    for i in stride(from: batch - 1, to: 0, by: -1) { perm.swapAt(i, g.int(below: i + 1)) }
    return (lambda, perm)
  }

  /// The mixed batch and the mixed loss of `model` on it.
  func loss(x: Tensor, y: Tensor, seed: UInt64, epoch: Int, step: Int,
            forward: (Tensor) throws -> Tensor, loss: Loss) throws -> (output: Tensor, loss: Tensor) {
    let n = x.shape.first ?? 0
    let (lambda, perm) = draw(seed: seed, epoch: epoch, step: step, batch: n)
    let shuffled = x.indexSelect(0, Tensor(indices: perm))
    let out = try forward(x * lambda + shuffled * (1 - lambda))
    var yb = y
    if y.rank >= 1, y.shape[0] == n {
      if y.dtype == .int32 {
        let labels = y.toIntArray()
        yb = Tensor(indices: perm.map { labels[$0] })
      } else {
        yb = y.indexSelect(0, Tensor(indices: perm))
      }
    }
    return (out, try loss(out, y) * lambda + (try loss(out, yb)) * (1 - lambda))
  }

  /// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
  static func beta(_ a: Double, _ b: Double, _ g: Generator) -> Double {
    let x = gamma(a, g), y = gamma(b, g)
    return x + y > 0 ? x / (x + y) : 0.5
  }

  /// Gamma(k, 1): Marsaglia and Tsang's squeeze (2000) for k ≥ 1; for k < 1, Gamma(k + 1)·U^(1/k).
  static func gamma(_ k: Double, _ g: Generator) -> Double {
    if k < 1 {
      var u = g.nextDouble()
      while u <= 0 { u = g.nextDouble() }
      return gamma(k + 1, g) * pow(u, 1 / k)
    }
    let d = k - 1.0 / 3, c = 1 / (9 * d).squareRoot()
    while true {
      let z = g.normal()
      let t = 1 + c * z
      guard t > 0 else { continue }
      let v = t * t * t
      let u = g.nextDouble()
      if u > 0, log(u) < 0.5 * z * z + d - d * v + d * log(v) { return d * v }
    }
  }
}
