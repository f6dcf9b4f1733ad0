import CBLAS

/// Row-major SGEMM, C = A·B (+ beta·C), with optional transposes: the one entry point
/// every kernel uses for OpenBLAS, so argument order is spelled out once.
@inline(__always)
func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
              blasint(m), blasint(n), blasint(k), 1, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// dst[i] += src[i], for reducing per-thread partial sums.
@inline(__always)
func addInPlace(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
  var i = 0
  while i < count { dst[i] += src[i]; i += 1 }
}
