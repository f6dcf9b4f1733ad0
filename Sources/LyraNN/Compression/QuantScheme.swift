import LyraTensor

/// The integer arithmetic of quantisation, on plain arrays.
///
/// Weights: symmetric, one scale per output channel (row of the weight), integers in
/// [−(2^(b−1)−1), 2^(b−1)−1] so zero is exact and the range is symmetric (the narrow range
/// of Jacob et al., "Quantization and Training of Neural Networks for Efficient
/// Integer-Arithmetic-Only Inference", CVPR 2018, §2.2; per-channel scales as in
/// Krishnamoorthi 2018). Activations: affine (asymmetric) over a tracked range [lo, hi]
/// nudged so that 0 is exactly representable, as Jacob et al. §3.
///
/// Rounding is to nearest, ties to even (what PyTorch's fake-quantise ops do).
public enum QuantScheme {
  /// Bit widths a quantised layer accepts.
  public static let bitRange = 2...8

  /// The largest integer magnitude of `bits`-bit symmetric weights (127 for 8 bits, 1 for 2).
  public static func qmax(_ bits: Int) -> Int { (1 << (bits - 1)) - 1 }

  /// Integers and per-row scales of a [rows, ...] weight: scale = max|w_row| / qmax
  /// (0 for an all-zero row, whose integers are then 0).
  public static func quantize(_ w: [Float], rows: Int, bits: Int) -> (ints: [Int8], scales: [Float]) {
    precondition(bitRange.contains(bits) && rows > 0 && w.count % rows == 0, "QuantScheme.quantize: \(bits) bits, \(w.count) values in \(rows) rows")
    let per = w.count / rows, qm = Float(qmax(bits))
    var ints = [Int8](repeating: 0, count: w.count)
    var scales = [Float](repeating: 0, count: rows)
    for r in 0..<rows {
      var m: Float = 0
      for j in 0..<per { m = Swift.max(m, Swift.abs(w[r * per + j])) }
      guard m > 0, m.isFinite else { continue }
      let s = m / qm
      scales[r] = s
      for j in 0..<per {
        let q = (w[r * per + j] / s).rounded(.toNearestOrEven)
        ints[r * per + j] = Int8(Swift.min(Swift.max(q, -qm), qm))
      }
    }
    return (ints, scales)
  }

  /// Integers times their row's scale.
  public static func dequantize(_ ints: [Int8], scales: [Float]) -> [Float] {
    let per = ints.count / Swift.max(scales.count, 1)
    var out = [Float](repeating: 0, count: ints.count)
    for r in scales.indices { for j in 0..<per { out[r * per + j] = Float(ints[r * per + j]) * scales[r] } }
    return out
  }

  /// The weight as the quantised layer computes with it: quantised, then dequantised.
  public static func fakeQuantize(_ w: [Float], rows: Int, bits: Int) -> [Float] {
    let (q, s) = quantize(w, rows: rows, bits: bits)
    return dequantize(q, scales: s)
  }

  /// Scale and zero point of `bits`-bit unsigned activations over [lo, hi] (widened to
  /// contain 0, the zero point rounded so that 0 maps to an integer exactly).
  public static func affineParameters(lo: Float, hi: Float, bits: Int) -> (scale: Float, zeroPoint: Float) {
    let a = Swift.min(lo, 0), b = Swift.max(hi, 0)
    let levels = Float((1 << bits) - 1)
    guard b > a else { return (1, 0) }
    let s = (b - a) / levels
    let z = Swift.min(Swift.max((-a / s).rounded(.toNearestOrEven), 0), levels)
    return (s, z)
  }

  /// x quantised to the affine grid and back, in place over `count` floats.
  static func fakeQuantizeAffine(_ x: UnsafeMutablePointer<Float>, count: Int, scale s: Float, zeroPoint z: Float, bits: Int) {
    let levels = Float((1 << bits) - 1)
    for i in 0..<count {
      let q = Swift.min(Swift.max((x[i] / s).rounded(.toNearestOrEven) + z, 0), levels)
      x[i] = (q - z) * s
    }
  }
}
