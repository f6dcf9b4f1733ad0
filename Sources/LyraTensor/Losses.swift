import Foundation

/// Losses with mean reduction (PyTorch defaults).
extension Tensor {
  /// Cross-entropy of logits [N, C] against int32 class targets [N], with optional label
  /// smoothing; fused with log-softmax so the gradient is (softmax − q) / N in one pass.
  public static func crossEntropy(_ logits: Tensor, _ targets: Tensor, labelSmoothing: Float = 0) -> Tensor {
    logits.requireFloat("Tensor.cross_entropy")
    targets.requireInt("Tensor.cross_entropy")
    precondition(logits.rank == 2, "Tensor.cross_entropy: logits must be [N, C], got \(Shape.describe(logits.shape))")
    let n = logits.shape[0], c = logits.shape[1]
    precondition(targets.shape == [n], "Tensor.cross_entropy: targets must be [\(n)], got \(Shape.describe(targets.shape))")
    precondition(n > 0 && c > 0, "Tensor.cross_entropy: empty batch or no classes")
    precondition(labelSmoothing >= 0 && labelSmoothing <= 1, "Tensor.cross_entropy: label_smoothing must be in [0, 1], got \(labelSmoothing)")
    let logp = logits.detach().softmaxForward(1, log: true)
    let t = targets.contiguous()
    let lp = logp.data, tp = t.intData
    let eps = labelSmoothing
    var total = 0.0
    for i in 0..<n {
      let k = Int(tp[i])
      precondition(k >= 0 && k < c, "Tensor.cross_entropy: target \(k) out of range for \(c) classes")
      let row = lp + i * c
      var loss = -Double(row[k]) * Double(1 - eps)
      if eps > 0 {
        var s = 0.0
        for j in 0..<c { s += Double(row[j]) }
        loss -= Double(eps) / Double(c) * s
      }
      total += loss
    }
    let out = Tensor(Float(total / Double(n)))
    return out.recorded("cross_entropy", [logits]) { g in
      let tp = t.intData  // captures `t` so the targets outlive this call
      let grad = logp.exp()  // softmax
      let gp = grad.data, scale = g.item() / Float(n)
      for i in 0..<n {
        let row = gp + i * c
        let k = Int(tp[i])
        if eps > 0 { for j in 0..<c { row[j] -= eps / Float(c) } }
        row[k] -= 1 - eps
        for j in 0..<c { row[j] *= scale }
      }
      return [grad]
    }
  }

  /// Binary cross-entropy on logits, mean over elements:
  /// max(x, 0) − x·y + log(1 + e^−|x|). Targets get no gradient.
  public static func bceWithLogits(_ logits: Tensor, _ targets: Tensor) -> Tensor {
    logits.requireFloat("Tensor.binary_cross_entropy_with_logits")
    precondition(logits.shape == targets.shape,
                 "Tensor.binary_cross_entropy_with_logits: logits \(Shape.describe(logits.shape)) and targets \(Shape.describe(targets.shape)) differ")
    let y = targets.detach().float()
    let per = logits.detach().mapBinary(y, "Tensor.binary_cross_entropy_with_logits", FBceLoss())
    let n = Float(logits.count)
    let out = per.detach().mean()
    return out.recorded("bce_with_logits", [logits]) { g in
      [logits.detach().mapBinary(y, "bce", FBceGrad(scale: g.item() / n))]
    }
  }

  /// Mean squared error.
  public static func mseLoss(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(input.shape == target.shape, "Tensor.mse_loss: shapes \(Shape.describe(input.shape)) and \(Shape.describe(target.shape)) differ")
    let d = input.sub(target)
    return d.mul(d).mean()
  }

  /// Mean absolute error.
  public static func l1Loss(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(input.shape == target.shape, "Tensor.l1_loss: shapes \(Shape.describe(input.shape)) and \(Shape.describe(target.shape)) differ")
    return input.sub(target).abs().mean()
  }
}

struct FBceLoss: BinaryFn {
  @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float {
    Swift.max(x, 0) - x * y + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
  }
}
struct FBceGrad: BinaryFn {
  let scale: Float
  @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { (sigmoidScalar(x) - y) * scale }
}
