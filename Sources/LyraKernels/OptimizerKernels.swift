import CKernels

/// Optimiser updates in C on the active ISA path (CKernels' `lyra_sgd_momentum`).
///
/// Why: SGD's fused Swift loop over 235,146 MLP parameters took 11 % of an MLP training step
/// (one thread, AVX-512 Xeon, `perf record`): baseline x86-64 Swift runs it on 128-bit vectors
/// at best, with the decay and Nesterov branches inside the loop.
public enum OptimizerKernels {
  /// One SGD-with-momentum step over n floats: d = g + wd·w (when wd ≠ 0), v = mu·v + keep·d
  /// (v = d when `first`), w += negLr·v (Nesterov: negLr·(d + mu·v)). v must not alias w or g.
  public static func sgdMomentum(w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, v: UnsafeMutablePointer<Float>,
                                 count n: Int, negLr: Float, weightDecay wd: Float, momentum mu: Float, keep: Float,
                                 nesterov: Bool, first: Bool) {
    lyra_sgd_momentum(w, g, v, n, negLr, wd, mu, keep, wd != 0 ? 1 : 0, nesterov ? 1 : 0, first ? 1 : 0)
  }
}
