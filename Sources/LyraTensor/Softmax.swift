import Foundation

/// Softmax and log-softmax along a dimension, shifted by the row maximum so large logits
/// cannot overflow.
extension Tensor {
  /// exp(x) / Σ exp(x) along `dim`.
  public func softmax(_ dim: Int = -1) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, "Tensor.softmax")
    let out = softmaxForward(d, log: false)
    return out.recorded("softmax", [self]) { g in
      // dx = y * (g - Σ g*y)
      let gy = g.mul(out)
      return [gy.sub(gy.sum(d, keepdim: true).mul(out))]
    }
  }

  /// x - log Σ exp(x) along `dim`.
  public func logSoftmax(_ dim: Int = -1) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, "Tensor.log_softmax")
    let out = softmaxForward(d, log: true)
    return out.recorded("log_softmax", [self]) { g in
      // dx = g - exp(y) * Σ g
      [g.sub(out.exp().mul(g.sum(d, keepdim: true)))]
    }
  }

  func softmaxForward(_ d: Int, log: Bool) -> Tensor {
    requireFloat(log ? "Tensor.log_softmax" : "Tensor.softmax")
    let (outer, n, inner) = axisSplit(d)
    let c = contiguous()
    let out = Tensor(uninitializedShape: shape)
    let x = c.data, y = out.data
    Parallel.forRange(outer * inner, work: count * 4) { r in
      for j in r {
        let o = j / inner, i = j % inner
        let base = o * n * inner + i
        softmaxLine(x + base, y + base, n, inner, log)
      }
    }
    return out
  }
}

/// One softmax line of `n` elements `stride` apart.
@inline(__always)
func softmaxLine(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ stride: Int, _ log: Bool) {
  if n == 0 { return }
  var m = -Float.infinity
  for k in 0..<n { m = Swift.max(m, x[k * stride]) }
  if m == -.infinity { m = 0 }
  var s: Float = 0
  if log {
    for k in 0..<n { s += Foundation.exp(x[k * stride] - m) }
    let lse = m + Foundation.log(s)
    for k in 0..<n { y[k * stride] = x[k * stride] - lse }
  } else {
    for k in 0..<n {
      let e = Foundation.exp(x[k * stride] - m)
      y[k * stride] = e
      s += e
    }
    let inv = 1 / s
    for k in 0..<n { y[k * stride] *= inv }
  }
}
