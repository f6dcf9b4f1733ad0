import CBLAS
import CKernels

/// Row-major SGEMM, C = A·B (+ beta·C), with optional transposes: the one entry point every
/// kernel uses, so argument order is spelled out once. It runs CKernels' packed GEMM on the
/// active ISA path (`KernelISA`); OpenBLAS is the fallback only when the packing buffers cannot
/// be allocated. Why not OpenBLAS first: Debian's 0.3.21 misdetects recent CPUs (the AVX-512
/// Xeon with FP16 this project measured on runs its Prescott kernels: 30 GFLOP/s per core, against 150 for the AVX-512
/// path here; docs/performance.md), and the environments that fix it by OPENBLAS_CORETYPE pin
/// AVX2 kernels on AVX-512 machines.
@inline(__always)
func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
  if lyra_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, a, lda, b, ldb, beta, c, ldc) == 0 { return }
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
              blasint(m), blasint(n), blasint(k), 1, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// dst[i] += src[i], for reducing per-thread partial sums.
@inline(__always)
func addInPlace(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
  var i = 0
  while i < count { dst[i] += src[i]; i += 1 }
}

/// C = A·B (+ beta·C) like `sgemm`, split across `KernelParallel` threads (rows of C when
/// it is taller than wide, else columns, in multiples of 16), each part one
/// single-threaded OpenBLAS call. Why: OpenBLAS's own pool spins with `sched_yield`
/// for a long while after every threaded call, which on a 2-core machine steals a core
/// from Lyra's element-wise kernels; splitting ourselves keeps one pool on the cores.
public func parallelSgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                          a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
  forGemmParts(m: m, n: n, k: k, rowsOnly: false) { splitRows, lo, hi in
    if splitRows {
      // Rows lo..<hi of op(A): row offset in A is lo·lda without transpose, lo with.
      sgemm(transA: transA, transB: transB, m: hi - lo, n: n, k: k, a: a + (transA ? lo : lo * lda), lda: lda,
            b: b, ldb: ldb, beta: beta, c: c + lo * ldc, ldc: ldc)
    } else {
      sgemm(transA: transA, transB: transB, m: m, n: hi - lo, k: k, a: a, lda: lda,
            b: b + (transB ? lo * ldb : lo), ldb: ldb, beta: beta, c: c + lo, ldc: ldc)
    }
  }
}

/// How `parallelSgemm` splits an m×n×k product: `body(splitRows, lo, hi)` for each part, rows
/// lo..<hi of C (in multiples of 8) when C is taller than wide or `rowsOnly`, else columns (in
/// multiples of 16); one part, the whole of C, when the product is too small to share.
func forGemmParts(m: Int, n: Int, k: Int, rowsOnly: Bool, _ body: (_ splitRows: Bool, _ lo: Int, _ hi: Int) -> Void) {
  if m == 0 || n == 0 { return }
  let work = m * n * max(k, 1)
  let threads = KernelParallel.maxThreads
  var parts = work >= 2 * parallelGemmMinWork ? min(threads, max(1, work / parallelGemmMinWork)) : 1
  let splitRows = rowsOnly || m >= n
  let unit = splitRows ? 8 : 16
  parts = min(parts, max(1, (splitRows ? m : n) / unit))
  KernelParallel.withSingleThreadedBLAS {
    let total = splitRows ? m : n
    if parts <= 1 {
      body(splitRows, 0, total)
      return
    }
    let blocks = (total + unit - 1) / unit
    KernelParallel.run(parts: parts) { i in
      let lo = min(total, blocks * i / parts * unit), hi = min(total, blocks * (i + 1) / parts * unit)
      if lo < hi { body(splitRows, lo, hi) }
    }
  }
}

/// Multiply-adds per part below which `parallelSgemm` stays on one thread.
nonisolated(unsafe) public var parallelGemmMinWork = 1 << 18
