import Foundation
import CKernels

/// A GEMM's B operand (a layer's weight) packed once and kept between inference calls.
///
/// Why: a linear layer multiplies by Wᵀ (weight [out, in]), a transposed B, which the GEMM
/// packs on every call (register transposes, 0.17 ns per element): for the MLP's 784→256 layer at
/// batch 256 that is a 0.8 MB gather per call beside 51 MFLOP. Packed here once, in the GEMM's own
/// strip layout (`lyra_sgemm_pack_b`), a call multiplies straight from it.
///
/// Invalidation: the packed copy is rebuilt when the weight's bytes differ from a snapshot taken
/// when it was packed (memcmp), when the ISA path or the shape changed. Lyra's tensors carry no
/// version counter, and a byte comparison is exact whatever wrote the weight (an optimiser step,
/// `copy_` from Lua, a loaded checkpoint), which is the rule the int8 path's weight cache chose
/// too. The comparison streams the weight once (about 0.03 ns per float) instead of
/// transposing it. The cost: a snapshot and a packed copy, twice the weight's memory, so only
/// inference (no gradient, evaluation mode) uses it.
public final class PackedGemmWeight: @unchecked Sendable {
  private let lock = NSLock()
  private var snapshot: [Float] = []
  private var packed: UnsafeMutablePointer<Float>?
  private var packedCount = 0
  private var level: Int32 = -1, n = 0, k = 0, transB = false

  public init() {}
  deinit { packed?.deallocate() }

  /// How often this weight was packed (for tests of the invalidation rule).
  public private(set) var packings = 0

  /// C[m×n] = A[m×k]·op(B) + beta·C with op(B) k×n: B contiguous, stored n×k when `transB`.
  /// Rows of C are split across `KernelParallel` threads as `parallelSgemm` splits them.
  /// Concurrent callers take turns (the packed copy is rebuilt under the lock).
  public func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                       transB: Bool, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m == 0 || n == 0 { return }
    lock.lock()
    defer { lock.unlock() }
    let level = lyra_isa_active()
    guard k > 0, let bp = current(level: level, n: n, k: k, b: b, transB: transB) else {
      parallelSgemm(transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: transB ? k : n,
                    beta: beta, c: c, ldc: ldc)
      return
    }
    forGemmParts(m: m, n: n, k: k, rowsOnly: true) { _, lo, hi in
      if lyra_sgemm_prepacked(level, 0, hi - lo, n, k, a + lo * lda, lda, bp, beta, c + lo * ldc, ldc) != 0 {
        sgemm(transB: transB, m: hi - lo, n: n, k: k, a: a + lo * lda, lda: lda, b: b, ldb: transB ? k : n,
              beta: beta, c: c + lo * ldc, ldc: ldc)
      }
    }
  }

  /// The packed copy of B, repacked when B's bytes, the shape or the level changed.
  private func current(level: Int32, n: Int, k: Int, b: UnsafePointer<Float>, transB: Bool) -> UnsafePointer<Float>? {
    let count = n * k
    if let p = packed, level == self.level, n == self.n, k == self.k, transB == self.transB,
       snapshot.withUnsafeBytes({ memcmp($0.baseAddress!, b, count * 4) == 0 }) {
      return UnsafePointer(p)
    }
    let need = lyra_sgemm_packed_b_count(level, n, k)
    if need > packedCount {
      packed?.deallocate()
      packed = UnsafeMutablePointer<Float>.allocate(capacity: need)
      packedCount = need
    }
    guard let p = packed else { return nil }
    lyra_sgemm_pack_b(level, transB ? 1 : 0, n, k, b, transB ? k : n, p)
    snapshot = Array(UnsafeBufferPointer(start: b, count: count))
    (self.level, self.n, self.k, self.transB) = (level, n, k, transB)
    packings += 1
    return UnsafePointer(p)
  }
}
