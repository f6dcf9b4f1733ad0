import XCTest
import CKernels
@testable import LyraKernels

/// A B operand packed once (`PackedGemmWeight`, `lyra_sgemm_pack_b`/`lyra_sgemm_prepacked`):
/// the product on every ISA path against a naive one, and the rule that rebuilds the packed copy
/// when the weight's bytes, the shape or the path change, and only then.
final class PackedGemmWeightTests: XCTestCase {
  func naive(m: Int, n: Int, k: Int, a: [Float], b: [Float], transB: Bool, beta: Float, c0: [Float]) -> [Float] {
    var r = c0
    for i in 0..<m { for j in 0..<n {
      var acc = Double(beta) * Double(c0[i * n + j])
      for p in 0..<k { acc += Double(a[i * k + p]) * Double(transB ? b[j * k + p] : b[p * n + j]) }
      r[i * n + j] = Float(acc)
    } }
    return r
  }

  /// Odd sizes: n at most 16 (AVX2's tile on AVX-512), n past the column block (NC 2048-4096),
  /// k past the K block (KC 256-384), m of one row and of several row tiles, both layouts of B.
  func testPrepackedProductMatchesNaiveOnEveryPath() {
    let savedISA = KernelISA.active, savedThreads = KernelParallel.maxThreads, savedWork = parallelGemmMinWork
    defer { KernelISA.force(savedISA); KernelParallel.maxThreads = savedThreads; parallelGemmMinWork = savedWork }
    parallelGemmMinWork = 64
    var rng = TestRNG(41)
    for (m, n, k) in [(1, 1, 1), (7, 13, 29), (37, 71, 389), (3, 4099, 5), (130, 17, 300), (25, 33, 2)] {
      for transB in [false, true] {
        let a = rng.array(m * k), b = rng.array(n * k)
        for beta: Float in [0, 1] {
          let c0 = beta == 0 ? [Float](repeating: .nan, count: m * n) : rng.array(m * n)
          let expected = naive(m: m, n: n, k: k, a: a, b: b, transB: transB, beta: beta, c0: beta == 0 ? [Float](repeating: 0, count: m * n) : c0)
          for isa in KernelISA.available { for threads in [1, 2] {
            KernelISA.force(isa)
            KernelParallel.maxThreads = threads
            let cache = PackedGemmWeight()
            var c = c0
            cache.multiply(m: m, n: n, k: k, a: a, lda: k, b: b, transB: transB, beta: beta, c: &c, ldc: n)
            assertClose(c, expected, atol: 2e-5 * Float(k).squareRoot() + 1e-5, rtol: 1e-5,
                        "m \(m) n \(n) k \(k) transB \(transB) beta \(beta) isa \(isa) threads \(threads)")
          } }
        }
      }
    }
  }

  func testRepacksExactlyWhenTheWeightShapeOrPathChanges() {
    let savedISA = KernelISA.active
    defer { KernelISA.force(savedISA) }
    var rng = TestRNG(43)
    let (m, n, k) = (5, 19, 23)
    let a = rng.array(m * k)
    var w = rng.array(n * k)
    let cache = PackedGemmWeight()
    func run() -> [Float] {
      var c = [Float](repeating: .nan, count: m * n)
      cache.multiply(m: m, n: n, k: k, a: a, lda: k, b: w, transB: true, beta: 0, c: &c, ldc: n)
      return c
    }
    let zeros = [Float](repeating: 0, count: m * n)
    assertClose(run(), naive(m: m, n: n, k: k, a: a, b: w, transB: true, beta: 0, c0: zeros))
    _ = run()
    XCTAssertEqual(cache.packings, 1, "the same bytes reuse the packed copy")
    // One float changed in place (as an optimiser step or copy_ would): the next product sees it.
    w[n * k - 1] += 0.5
    assertClose(run(), naive(m: m, n: n, k: k, a: a, b: w, transB: true, beta: 0, c0: zeros), "after a write")
    XCTAssertEqual(cache.packings, 2)
    // Another ISA path packs in its own layout.
    if let lower = KernelISA.available.first(where: { $0 != KernelISA.active }) {
      KernelISA.force(lower)
      assertClose(run(), naive(m: m, n: n, k: k, a: a, b: w, transB: true, beta: 0, c0: zeros), "path \(lower)")
      XCTAssertEqual(cache.packings, 3)
    }
    // A different shape (fewer columns from the same buffer) repacks too.
    var c = [Float](repeating: .nan, count: m * (n - 1))
    cache.multiply(m: m, n: n - 1, k: k, a: a, lda: k, b: w, transB: true, beta: 0, c: &c, ldc: n - 1)
    assertClose(c, naive(m: m, n: n - 1, k: k, a: a, b: Array(w[0..<((n - 1) * k)]), transB: true, beta: 0,
                         c0: [Float](repeating: 0, count: m * (n - 1))), "shape change")
  }
}
