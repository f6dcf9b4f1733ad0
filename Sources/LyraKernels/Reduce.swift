/// Vectorised reductions over contiguous floats.
///
/// Why by hand: a scalar `s += p[i]` loop is a serial dependency the compiler may not
/// reorder (IEEE addition is not associative), so it runs one add per 3–4 cycles. Eight
/// independent SIMD8 lanes (two accumulators) let it stream at memory speed.
enum Reduce {
  @inline(__always)
  static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  /// Σ p[i].
  @inline(__always)
  static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var a = SIMD8<Float>(), b = SIMD8<Float>()
    var i = 0
    while i + 16 <= n { a += load8(p + i); b += load8(p + i + 8); i += 16 }
    var s = (a + b).sum()
    while i < n { s += p[i]; i += 1 }
    return s
  }

  /// Σ (p[i] − m)².
  @inline(__always)
  static func sumSquaredDeviation(_ p: UnsafePointer<Float>, _ n: Int, mean m: Float) -> Float {
    let mv = SIMD8<Float>(repeating: m)
    var a = SIMD8<Float>(), b = SIMD8<Float>()
    var i = 0
    while i + 16 <= n {
      let d0 = load8(p + i) - mv, d1 = load8(p + i + 8) - mv
      a += d0 * d0; b += d1 * d1; i += 16
    }
    var s = (a + b).sum()
    while i < n { let d = p[i] - m; s += d * d; i += 1 }
    return s
  }

  /// (Σ g[i], Σ g[i]·(x[i] − m)), with g masked to 0 where `mask[i] <= 0` when a mask is given
  /// (the ReLU that followed the forward pass).
  @inline(__always)
  static func gradSums(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean m: Float,
                       mask: UnsafePointer<Float>?) -> (Float, Float) {
    let mv = SIMD8<Float>(repeating: m)
    var sg = SIMD8<Float>(), sgx = SIMD8<Float>()
    var i = 0
    if let mask = mask {
      let zero = SIMD8<Float>()
      while i + 8 <= n {
        let gv = load8(g + i).replacing(with: zero, where: load8(mask + i) .<= zero)
        sg += gv; sgx += gv * (load8(x + i) - mv); i += 8
      }
      var a = sg.sum(), b = sgx.sum()
      while i < n { let gv = mask[i] > 0 ? g[i] : 0; a += gv; b += gv * (x[i] - m); i += 1 }
      return (a, b)
    }
    while i + 8 <= n {
      let gv = load8(g + i)
      sg += gv; sgx += gv * (load8(x + i) - mv); i += 8
    }
    var a = sg.sum(), b = sgx.sum()
    while i < n { a += g[i]; b += g[i] * (x[i] - m); i += 1 }
    return (a, b)
  }

  /// d = k·(g − meanG − (x − mean)·xCoef), g masked by `mask > 0` when given: batch norm's
  /// input gradient, in SIMD8 (the scalar form with an optional mask did not vectorise).
  @inline(__always)
  static func batchNormGradInput(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int,
                                 mask: UnsafePointer<Float>?, k: Float, meanG: Float, mean: Float, xCoef: Float) {
    let kv = SIMD8<Float>(repeating: k), mg = SIMD8<Float>(repeating: meanG)
    let mv = SIMD8<Float>(repeating: mean), xc = SIMD8<Float>(repeating: xCoef), zero = SIMD8<Float>()
    var i = 0
    if let m = mask {
      while i + 8 <= n {
        let gv = load8(g + i).replacing(with: zero, where: load8(m + i) .<= zero)
        UnsafeMutableRawPointer(d + i).storeBytes(of: kv * (gv - mg - (load8(x + i) - mv) * xc), as: SIMD8<Float>.self)
        i += 8
      }
      while i < n { let gv: Float = m[i] > 0 ? g[i] : 0; d[i] = k * (gv - meanG - (x[i] - mean) * xCoef); i += 1 }
    } else {
      while i + 8 <= n {
        UnsafeMutableRawPointer(d + i).storeBytes(of: kv * (load8(g + i) - mg - (load8(x + i) - mv) * xc), as: SIMD8<Float>.self)
        i += 8
      }
      while i < n { d[i] = k * (g[i] - meanG - (x[i] - mean) * xCoef); i += 1 }
    }
  }
}
