import Foundation
import XCTest
import CKernels
@testable import LyraKernels

/// CKernels' packed GEMM on every ISA path against a Double-precision naive product: prime and
/// unit sizes, sizes straddling the micro-kernel tile and the cache blocks, both transposes,
/// padded leading dimensions, and the three kinds of beta.
final class GemmTests: XCTestCase {
  struct Case { let m, n, k: Int }

  /// Tiles are 4×16, 6×16 and 12×32; blocks MC 64-96, KC 256-384, NC 2048-4096. These shapes
  /// hit one element, partial tiles in both directions, several K blocks and several N blocks.
  static let cases: [Case] = [
    Case(m: 1, n: 1, k: 1), Case(m: 2, n: 3, k: 5), Case(m: 13, n: 17, k: 19), Case(m: 12, n: 32, k: 7),
    Case(m: 37, n: 71, k: 389), Case(m: 97, n: 33, k: 1031), Case(m: 5, n: 4099, k: 3), Case(m: 193, n: 47, k: 64),
    Case(m: 7, n: 1, k: 300), Case(m: 1, n: 61, k: 257),
    // Past the per-call packing thresholds (m ≥ 8 tiles packs B, n ≥ 8 tiles packs A), with edges.
    Case(m: 130, n: 300, k: 40), Case(m: 40, n: 300, k: 130),
  ]

  func reference(_ c: Case, transA: Bool, transB: Bool, a: [Float], lda: Int, b: [Float], ldb: Int,
                 beta: Float, c0: [Float], ldc: Int) -> [Float] {
    var r = c0
    for i in 0..<c.m { for j in 0..<c.n {
      var acc = 0.0
      for p in 0..<c.k {
        let av = transA ? a[p * lda + i] : a[i * lda + p]
        let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
        acc += Double(av) * Double(bv)
      }
      r[i * ldc + j] = Float(acc + (beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j])))
    } }
    return r
  }

  /// Every ISA path under every packing policy (packed strips, operands read in place, and the
  /// per-call choice between them), against the naive product.
  func testEveryPathMatchesNaiveProduct() {
    var rng = TestRNG(7)
    let savedPolicy = lyra_gemm_pack_policy
    defer { lyra_gemm_pack_policy = savedPolicy }
    for (n, c) in GemmTests.cases.enumerated() {
      for transA in [false, true] { for transB in [false, true] {
        let lda = (transA ? c.m : c.k) + 3, ldb = (transB ? c.k : c.n) + 1, ldc = c.n + 2
        let a = rng.array((transA ? c.k : c.m) * lda), b = rng.array((transB ? c.n : c.k) * ldb)
        for beta: Float in [0, 1, -0.5] {
          // With beta 0 C starts as NaN: the kernel must not read it. Padding columns must survive.
          var start = beta == 0 ? [Float](repeating: .nan, count: c.m * ldc) : rng.array(c.m * ldc)
          for i in 0..<c.m { for j in c.n..<ldc { start[i * ldc + j] = 42 } }
          let expected = reference(c, transA: transA, transB: transB, a: a, lda: lda, b: b, ldb: ldb,
                                   beta: beta, c0: start, ldc: ldc)
          let tol = 2e-5 * Float(c.k).squareRoot() + 1e-6
          for isa in KernelISA.available { for policy: Int32 in [0, 1, 2] {
            lyra_gemm_pack_policy = policy
            var out = start
            let rc = lyra_sgemm_level(Int32(isa.rawValue), transA ? 1 : 0, transB ? 1 : 0, c.m, c.n, c.k,
                                      a, lda, b, ldb, beta, &out, ldc)
            XCTAssertEqual(rc, 0)
            var worst: Float = 0, paddingKept = true
            for i in 0..<c.m { for j in 0..<ldc {
              let e = expected[i * ldc + j], g = out[i * ldc + j]
              if j >= c.n { paddingKept = paddingKept && g == 42; continue }
              worst = max(worst, abs(g - e) / max(1, abs(e)))
            } }
            let what = "\(isa) policy \(policy) case \(n) \(c) transA \(transA) transB \(transB) beta \(beta)"
            XCTAssertTrue(paddingKept, "\(what): a column past n was written")
            XCTAssertLessThanOrEqual(worst, tol, what)
          } }
        }
      } }
    }
  }

  /// k == 0 scales C by beta (zeroes it for beta 0, even over NaN), like BLAS.
  func testEmptyInnerDimensionScalesC() {
    for isa in KernelISA.available {
      var c: [Float] = [.nan, .nan, 3, 4]
      XCTAssertEqual(lyra_sgemm_level(Int32(isa.rawValue), 0, 0, 2, 2, 0, [], 1, [], 2, 0, &c, 2), 0)
      XCTAssertEqual(c, [0, 0, 0, 0])
      c = [1, 2, 3, 4]
      XCTAssertEqual(lyra_sgemm_level(Int32(isa.rawValue), 0, 0, 2, 2, 0, [], 1, [], 2, 0.5, &c, 2), 0)
      XCTAssertEqual(c, [0.5, 1, 1.5, 2])
    }
  }

  /// The paths agree with each other to float rounding on a convolution-sized product, and the
  /// threaded entry point (`parallelSgemm`, which splits rows or columns across threads) gives the
  /// same result as one call on every path.
  func testPathsAgreeAndThreadedSplitMatches() {
    var rng = TestRNG(11)
    let m = 64, n = 300, k = 150
    let a = rng.array(m * k), b = rng.array(k * n)
    var results: [[Float]] = []
    let savedThreads = KernelParallel.maxThreads, savedWork = parallelGemmMinWork
    defer { KernelParallel.maxThreads = savedThreads; parallelGemmMinWork = savedWork }
    for isa in KernelISA.available {
      var one = [Float](repeating: 0, count: m * n), split = one
      XCTAssertEqual(lyra_sgemm_level(Int32(isa.rawValue), 0, 0, m, n, k, a, k, b, n, 0, &one, n), 0)
      KernelISA.with(isa) {
        KernelParallel.maxThreads = 2
        parallelGemmMinWork = 1 << 10
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in split.withUnsafeMutableBufferPointer { pc in
          parallelSgemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n, beta: 0,
                        c: pc.baseAddress!, ldc: n)
        } } }
      }
      XCTAssertEqual(one, split, "\(isa): a row/column split must not change any sum (same K order)")
      results.append(one)
    }
    for r in results.dropFirst() {
      for i in 0..<r.count { XCTAssertEqual(r[i], results[0][i], accuracy: 1e-4 * max(1, abs(results[0][i]))) }
    }
  }

  /// Packing buffers belong to their thread and go with it: 48 short-lived threads each packing a
  /// 384×4096 block of B (6 MiB) must not leave 288 MiB behind (thread-locals without a
  /// destructor did). Resident memory is read from /proc; the margin is 10× the allowed growth.
  func testPackingBuffersAreFreedWithTheirThread() throws {
    func residentMiB() throws -> Double {
      let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
      guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { throw XCTSkip("no VmRSS") }
      return kb / 1024
    }
    let m = 96, n = 4096, k = 384
    let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: n * k)
    let before = try residentMiB()
    for _ in 0..<48 {
      let done = DispatchSemaphore(value: 0)
      let t = Thread {
        var c = [Float](repeating: 0, count: m * n)
        _ = lyra_sgemm(0, 1, m, n, k, a, k, b, k, 0, &c, n)   // transposed B: always packed
        done.signal()
      }
      t.start()
      done.wait()
    }
    let grown = try residentMiB() - before
    XCTAssertLessThan(grown, 60, "resident memory grew \(grown) MiB over 48 threads")
  }

  /// Forcing a path clamps to what the CPU has, `with` restores, and the names round-trip
  /// as LYRA_ISA spells them.
  func testForcingAndNames() {
    let detected = KernelISA.detected
    let before = KernelISA.active
    XCTAssertEqual(KernelISA.force(.avx512).rawValue, min(KernelISA.avx512.rawValue, detected.rawValue))
    KernelISA.with(.portable) { XCTAssertEqual(KernelISA.active, .portable) }
    KernelISA.force(before)
    XCTAssertEqual(KernelISA.active, before)
    for isa in KernelISA.allCases { XCTAssertEqual(KernelISA(name: isa.description), isa) }
    XCTAssertNil(KernelISA(name: "sse9"))
    XCTAssertNil(KernelISA(name: "AVX2"), "names are lower case, as LYRA_ISA documents")
    XCTAssertEqual(KernelISA.portable.gemmTile, "4x16")
    XCTAssertTrue(KernelISA.summary.contains("kernels: \(KernelISA.active)"))
  }
}
