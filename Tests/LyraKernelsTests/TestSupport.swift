import XCTest
@testable import LyraKernels

/// Deterministic pseudo-random floats in [-1, 1) (a 64-bit LCG), so failures reproduce.
struct TestRNG {
  var state: UInt64
  init(_ seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }
  mutating func next() -> Float {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Float(Double(state >> 40) / Double(1 << 24)) * 2 - 1
  }
  mutating func array(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in next() * scale } }
}

/// Asserts two arrays agree elementwise within atol + rtol·|expected|.
func assertClose(_ actual: [Float], _ expected: [Float], atol: Float = 1e-4, rtol: Float = 1e-4,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
  XCTAssertEqual(actual.count, expected.count, "count " + message, file: file, line: line)
  var worst = 0, worstErr: Float = -1
  for i in 0..<min(actual.count, expected.count) {
    let err = abs(actual[i] - expected[i]) - (atol + rtol * abs(expected[i]))
    if !(err <= 0) && (err > worstErr || worstErr < 0 || err.isNaN) { worst = i; worstErr = err.isNaN ? .infinity : err }
  }
  if worstErr >= 0 {
    XCTFail("mismatch at \(worst): \(actual[worst]) vs \(expected[worst]) \(message)", file: file, line: line)
  }
}

/// Central finite difference of a scalar function of `x` at index i, in Double.
func finiteDifference(_ x: [Float], _ i: Int, eps: Float = 1e-2, _ f: ([Float]) -> Double) -> Double {
  var p = x, m = x
  p[i] += eps; m[i] -= eps
  return (f(p) - f(m)) / Double(2 * eps)
}

/// Σ a·b in Double: the scalar loss L = Σ out·r whose gradient w.r.t. out is r.
func dot(_ a: [Float], _ b: [Float]) -> Double {
  var s = 0.0
  for i in 0..<a.count { s += Double(a[i]) * Double(b[i]) }
  return s
}

/// Runs `body` under each threading / batching setting the kernels branch on, restoring them after.
func withKernelSettings(_ body: (String) -> Void) {
  let saved = (KernelParallel.maxThreads, KernelParallel.minParallelWork, Conv2dTuning.minColumns,
               Conv2dTuning.transposedWeightGradient, Conv2dTuning.implicitGemm)
  let savedISA = KernelISA.active
  defer {
    (KernelParallel.maxThreads, KernelParallel.minParallelWork, Conv2dTuning.minColumns,
     Conv2dTuning.transposedWeightGradient, Conv2dTuning.implicitGemm) = saved
    KernelISA.force(savedISA)
  }
  // Every ISA path this machine can run (LYRA_ISA does not narrow the tests), each under
  // every split; the lower paths under the two default splits only, to bound the time.
  for isa in KernelISA.available.reversed() {
    KernelISA.force(isa)
    // implicit: stride-1 forwards by the implicit GEMM (`ImplicitConv`) or by im2col.
    let splits: [(Int, Int, Bool, Bool)] = isa == KernelISA.detected
      ? [(1, 0, true, true), (2, 0, true, true), (1, 0, true, false), (2, 4096, true, false), (1, 100, true, false),
         (2, 0, false, true), (1, 4096, false, false), (2, 1024, false, false)]
      : [(1, 0, true, true), (2, 4096, false, false)]
    for (threads, cols, transposed, implicit) in splits {
      KernelParallel.maxThreads = threads
      KernelParallel.minParallelWork = 0
      Conv2dTuning.minColumns = cols
      Conv2dTuning.transposedWeightGradient = transposed
      Conv2dTuning.implicitGemm = implicit
      body("isa \(isa) threads \(threads) minColumns \(cols) transposed dW \(transposed) implicit \(implicit)")
    }
  }
}
