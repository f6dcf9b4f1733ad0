import XCTest
@testable import LyraKernels

/// The performance paths added for the reference models: SIMD 2×2 max pooling (ties and
/// NaN in PyTorch's scan order), the split GEMM, and the worker pool.
final class FastPathTests: XCTestCase {
  /// PyTorch's scan over a 2×2 window: a later value wins if greater or NaN.
  static func reference2x2(_ x: [Float], planes: Int, h: Int, w: Int) -> ([Float], [Int32]) {
    let oh = h / 2, ow = w / 2
    var y: [Float] = [], ind: [Int32] = []
    for p in 0..<planes { for oy in 0..<oh { for ox in 0..<ow {
      var best = Float(0), bi = -1
      for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        let i = (2 * oy + dy) * w + 2 * ox + dx, v = x[p * h * w + i]
        if bi < 0 || v > best || v.isNaN { best = v; bi = i }
      }
      y.append(best); ind.append(Int32(bi))
    } } }
    return (y, ind)
  }

  /// On every ISA path (AVX-512 runs CKernels' masked 16-wide kernel, the others Swift's SIMD
  /// loop): rows shorter than a vector, one and several vectors wide, odd widths.
  func testMaxPool2x2SimdMatchesScanOrder() {
    let saved = KernelISA.active
    defer { KernelISA.force(saved) }
    for isa in KernelISA.available { KernelISA.force(isa); checkMaxPool2x2(isa) }
  }

  func checkMaxPool2x2(_ isa: KernelISA) {
    var rng = TestRNG(5)
    for (h, w) in [(28, 28), (14, 14), (6, 19), (5, 9), (4, 40), (6, 70), (2, 65), (3, 2)] {
      let planes = 3, n = planes * h * w
      // Few distinct levels, so many windows tie; some NaNs.
      var x = (0..<n).map { _ in (rng.next() * 3).rounded() }
      for i in stride(from: 0, to: n, by: 37) { x[i] = .nan }
      let s = Pool2dShape(batch: 1, channels: planes, height: h, width: w, kernel: 2)
      let (ey, eind) = FastPathTests.reference2x2(x, planes: planes, h: h, w: w)
      var y = [Float](repeating: -1, count: s.outputCount), ind = [Int32](repeating: -7, count: s.outputCount)
      maxPool2dForward(s, input: x, output: &y, indices: &ind)
      XCTAssertEqual(ind, eind, "\(isa) indices \(h)x\(w)")
      for i in 0..<y.count {
        XCTAssertTrue(y[i] == ey[i] || (y[i].isNaN && ey[i].isNaN), "\(isa) value \(i) \(h)x\(w): \(y[i]) vs \(ey[i])")
      }
      var y2 = [Float](repeating: -1, count: s.outputCount)
      maxPool2dForward(s, input: x, output: &y2, indices: nil)
      for i in 0..<y2.count {
        XCTAssertTrue(y2[i] == ey[i] || (y2[i].isNaN && ey[i].isNaN), "\(isa) no-index value \(i) \(h)x\(w)")
      }
    }
  }

  func testParallelSgemmMatchesSingleCall() {
    var rng = TestRNG(9)
    let saved = (KernelParallel.maxThreads, parallelGemmMinWork)
    defer { (KernelParallel.maxThreads, parallelGemmMinWork) = saved }
    parallelGemmMinWork = 64  // force splitting on small shapes
    for threads in [1, 2, 3] {
      KernelParallel.maxThreads = threads
      for (m, n, k) in [(37, 20, 11), (9, 70, 5), (128, 130, 33), (1, 50, 7)] {
        for ta in [false, true] { for tb in [false, true] {
          let a = rng.array(m * k), b = rng.array(k * n), c0 = rng.array(m * n)
          let lda = ta ? m : k, ldb = tb ? k : n
          var expected = c0, actual = c0
          a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            expected.withUnsafeMutableBufferPointer { pc in
              sgemm(transA: ta, transB: tb, m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                    beta: 0.5, c: pc.baseAddress!, ldc: n)
            }
            actual.withUnsafeMutableBufferPointer { pc in
              parallelSgemm(transA: ta, transB: tb, m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!,
                            ldb: ldb, beta: 0.5, c: pc.baseAddress!, ldc: n)
            }
          } }
          assertClose(actual, expected, atol: 1e-5, rtol: 1e-5)
        } }
      }
    }
  }

  func testPoolRunsEveryPartOnceAndNests() {
    let saved = KernelParallel.maxThreads
    defer { KernelParallel.maxThreads = saved }
    KernelParallel.maxThreads = 2
    for round in 0..<200 {
      let count = 1000 + round
      var hits = [Int](repeating: 0, count: count)
      hits.withUnsafeMutableBufferPointer { h in
        let p = h.baseAddress!
        KernelParallel.forRanges(count: count, parts: 2) { _, r in
          // A nested region runs serially on the caller; it must still cover its range.
          KernelParallel.forRanges(count: r.count, parts: 2) { _, inner in
            for i in inner { p[r.lowerBound + i] += 1 }
          }
        }
      }
      XCTAssertEqual(hits, [Int](repeating: 1, count: count), "round \(round)")
      if round % 50 == 0 { usleep(2000) }  // let the worker fall asleep sometimes
    }
  }
}
