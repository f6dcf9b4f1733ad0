import CKernels

/// Integer inference for quantised layers: a convolution or linear layer whose weights are
/// `bits`-bit integers with one scale per output channel and whose inputs are quantised to
/// `levels + 1` unsigned steps (scale, zero point) runs as an exact 32-bit integer product,
/// rescaled once per output (CKernels' `lyra_qgemm`; AVX-512 VNNI, AVX2 or portable).
///
/// Why: on a CPU with VNNI one `vpdpbusd` does 64 multiply-adds where an FMA does 16, and the
/// operands are a quarter of the bytes, so Quant-EA's models get faster, not only smaller. The
/// result equals the fake-quantised float layer's (`QuantConv2d` in training) up to that layer's
/// own float rounding: the integer sums are exact. Measurements in docs/performance.md.
public enum QuantizedProduct {
  /// The affine grid of a layer's inputs: q = clamp(round(x / scale) + zeroPoint, 0, levels).
  public struct Grid: Sendable, Equatable {
    public var scale: Float
    public var zeroPoint: Float
    public var levels: Float
    public init(scale: Float, zeroPoint: Float, levels: Float) {
      self.scale = scale; self.zeroPoint = zeroPoint; self.levels = levels
    }
  }

  /// The integer path the active ISA level runs: "avx512-vnni", "avx2" or "portable".
  public static var path: String { String(cString: lyra_qgemm_path(lyra_isa_active())) }

  /// A layer's integer weights [rows, k] prepared for one ISA path and one input grid (each
  /// row's combined scale, input scale × weight scale, and its bias folded in). Built once and
  /// reused while the layer's weights and grid stay the same (`QuantizedWeightCache` in LyraNN).
  public final class Weights {
    let handle: OpaquePointer
    public let rows: Int, k: Int
    /// The path (`KernelISA`) and grid it was prepared for.
    public let isa: KernelISA, grid: Grid

    /// nil when memory runs out (the caller then stays on its float path).
    /// `post` (per row a, c) is an affine map applied to the output, folded into the scales and
    /// biases: an evaluation-mode batch norm after the layer (a = γ/√(var + eps), c = β − mean·a).
    public init?(rows: Int, k: Int, ints: [Int8], weightScales: [Float], bias: UnsafePointer<Float>?, grid: Grid,
                 post: (scale: [Float], shift: [Float])? = nil) {
      precondition(ints.count == rows * k && weightScales.count == rows, "QuantizedProduct: \(ints.count) integers, \(weightScales.count) scales for \(rows)x\(k)")
      var combined = weightScales.map { $0 * grid.scale }
      var folded: [Float]? = nil
      if let post {
        precondition(post.scale.count == rows && post.shift.count == rows, "QuantizedProduct: post-affine of \(post.scale.count) rows for \(rows)")
        for r in 0..<rows { combined[r] *= post.scale[r] }
        folded = (0..<rows).map { r in (bias?[r] ?? 0) * post.scale[r] + post.shift[r] }
      }
      let level = lyra_isa_active()
      let h = ints.withUnsafeBufferPointer { ip in
        combined.withUnsafeBufferPointer { sp in
          if let folded { return folded.withUnsafeBufferPointer { lyra_qweights_new(level, rows, k, ip.baseAddress, k, sp.baseAddress, $0.baseAddress, Int32(grid.zeroPoint)) } }
          return lyra_qweights_new(level, rows, k, ip.baseAddress, k, sp.baseAddress, bias, Int32(grid.zeroPoint))
        }
      }
      guard let h else { return nil }
      (handle, self.rows, self.k, isa, self.grid) = (h, rows, k, KernelISA(rawValue: Int(level)) ?? .portable, grid)
    }
    deinit { lyra_qweights_free(handle) }
  }

  /// Quantised convolution, groups == 1: output [N, Cout, OH, OW] = conv(q(input), ints·scales)
  /// + bias, ReLU'd when `relu`. The batch is split across `KernelParallel`'s threads; each
  /// quantises its images, packs their im2col matrix (taps outside the image read the zero
  /// point, so padding is exactly 0) and runs one integer product per image.
  public static func conv2d(_ s: Conv2dShape, input: UnsafePointer<Float>, weights w: Weights,
                            output: UnsafeMutablePointer<Float>, relu: Bool = false) {
    s.validate()
    precondition(s.groups == 1, "QuantizedProduct.conv2d: groups must be 1")
    precondition(w.rows == s.outChannels && w.k == s.patchSize, "QuantizedProduct.conv2d: weights \(w.rows)x\(w.k) for \(s)")
    if s.batch == 0 { return }
    let grid = w.grid
    let K = s.patchSize, OHW = s.outHeight * s.outWidth, CHW = s.inChannels * s.height * s.width
    let packBytes = lyra_qpack_size(K, OHW)
    let zp = UInt8(grid.zeroPoint)
    KernelParallel.forRanges(count: s.batch, work: s.macs / 32) { _, range in
      let q = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, CHW))
      let packed = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, packBytes))
      defer { q.deallocate(); packed.deallocate() }
      for b in range {
        lyra_quantize_u8(input + b * CHW, CHW, grid.scale, grid.zeroPoint, grid.levels, q)
        lyra_qpack_im2col(q, s.inChannels, s.height, s.width, s.kernelH, s.kernelW, s.strideH, s.strideW,
                          s.padH, s.padW, s.dilationH, s.dilationW, s.outHeight, s.outWidth, zp, packed)
        lyra_qgemm(w.handle, OHW, packed, output + b * s.outChannels * OHW, OHW, 1, relu ? 1 : 0)
      }
    }
  }

  /// Quantised linear layer: output [n, rows] = q(input [n, k])·(ints·scales)ᵀ + bias. Rows of
  /// the batch are split across threads.
  public static func linear(n: Int, input: UnsafePointer<Float>, weights w: Weights,
                            output: UnsafeMutablePointer<Float>, relu: Bool = false) {
    let (k, outFeatures, grid) = (w.k, w.rows, w.grid)
    if n == 0 || outFeatures == 0 { return }
    KernelParallel.forRanges(count: n, work: n * k * outFeatures / 32) { _, range in
      let rows = range.count
      let q = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, rows * k))
      let packed = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, lyra_qpack_size(k, rows)))
      defer { q.deallocate(); packed.deallocate() }
      lyra_quantize_u8(input + range.lowerBound * k, rows * k, grid.scale, grid.zeroPoint, grid.levels, q)
      lyra_qpack_rows(q, rows, k, k, packed)
      // C = W·Xᵀ is [outFeatures, rows]; written transposed into the [rows, outFeatures] output.
      lyra_qgemm(w.handle, rows, packed, output + range.lowerBound * outFeatures, 1, outFeatures, relu ? 1 : 0)
    }
  }
}
