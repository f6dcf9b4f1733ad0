import CKernels

/// Reductions and per-plane loops over contiguous floats, on the active ISA path
/// (CKernels' planes.c: one source compiled for 512-, 256- and 128-bit vectors).
///
/// Why C: Swift compiles for baseline x86-64, so SIMD8<Float> ran as two SSE halves; the C
/// paths use the whole register. On the reference CNN's planes (128 images × 784 floats per
/// channel) batch norm is bound by memory, not lanes: its share of a training step stayed
/// about 16 % (one thread, AVX-512 Xeon); what the planes gained there is the one-pass
/// statistics (`shiftedSums`). Why vectorised at all: a scalar `s += p[i]` loop is a serial
/// dependency the compiler may not reorder (IEEE addition is not associative), so it runs one
/// add per 3–4 cycles.
enum Reduce {
  /// Σ p[i].
  @inline(__always)
  static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float { lyra_plane_sum(p, n) }

  /// (Σ (p[i] − shift), Σ (p[i] − shift)²) in one pass.
  @inline(__always)
  static func shiftedSums(_ p: UnsafePointer<Float>, _ n: Int, shift: Float) -> (Float, Float) {
    var a: Float = 0, b: Float = 0
    lyra_plane_shifted_sums(p, n, shift, &a, &b)
    return (a, b)
  }

  /// (Σ g[i], Σ g[i]·(x[i] − m)), with g masked to 0 where `mask[i] <= 0` when a mask is given
  /// (the ReLU that followed the forward pass).
  @inline(__always)
  static func gradSums(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean m: Float,
                       mask: UnsafePointer<Float>?) -> (Float, Float) {
    var a: Float = 0, b: Float = 0
    lyra_plane_grad_sums(g, x, mask, n, m, &a, &b)
    return (a, b)
  }

  /// d = k·(g − meanG − (x − mean)·xCoef), g masked by `mask > 0` when given: batch norm's
  /// input gradient.
  @inline(__always)
  static func batchNormGradInput(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int,
                                 mask: UnsafePointer<Float>?, k: Float, meanG: Float, mean: Float, xCoef: Float) {
    lyra_plane_bn_grad_input(g, x, d, mask, n, k, meanG, mean, xCoef)
  }

  /// y = x·scale + shift (then ReLU); y may alias x.
  @inline(__always)
  static func affine(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, scale: Float, shift: Float, relu: Bool) {
    lyra_plane_affine(x, y, n, scale, shift, relu ? 1 : 0)
  }
}
