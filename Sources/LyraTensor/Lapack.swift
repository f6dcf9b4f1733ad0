import CBLAS
import LyraKernels

/// A linear-algebra failure worded for the user: a singular matrix, a matrix that is not
/// positive definite, an algorithm that did not converge, or input refused before LAPACK
/// saw it (NaN, a size past LAPACK's 32-bit integers). Thrown, never trapped: the data
/// decides these, not the caller.
public struct LinalgError: Error, CustomStringConvertible {
  /// The operation ("inverse", "svd", ...), empty for LAPACK's own complaints.
  public let operation: String
  /// What went wrong, without the operation's name (the Lua layer adds the function's).
  public let message: String
  public var description: String { operation.isEmpty ? message : "\(operation): \(message)" }
  init(_ operation: String, _ message: String) {
    self.operation = operation
    self.message = message
  }
}

/// A matrix in column-major order, the layout LAPACK works in.
struct ColumnMajor {
  let rows: Int, cols: Int
  var values: [Float]

  init(rows: Int, cols: Int) {
    self.rows = rows
    self.cols = cols
    values = [Float](repeating: 0, count: rows * cols)
  }

  /// The values of a 2-D float tensor of any strides.
  init(_ t: Tensor) {
    self.init(rows: t.shape[0], cols: t.shape[1])
    let p = t.data, rs = t.strides[0], cs = t.strides[1]
    for j in 0..<cols { for i in 0..<rows { values[i + j * rows] = p[i * rs + j * cs] } }
  }

  /// The leading `r` × `c` block as a new row-major tensor.
  func tensor(rows r: Int? = nil, cols c: Int? = nil) -> Tensor {
    let r = r ?? rows, c = c ?? cols
    let out = Tensor(uninitializedShape: [r, c])
    for i in 0..<r { for j in 0..<c { out.data[i * c + j] = values[i + j * rows] } }
    return out
  }
}

/// Thin wrappers over OpenBLAS's LAPACK: workspace queries, info codes turned into
/// `LinalgError`s. Each takes its matrix by value (LAPACK overwrites it).
enum Lapack {
  /// Runs one LAPACK call with OpenBLAS on a single thread. Why: LAPACK is the first
  /// thing in Lyra that reaches OpenBLAS's own threaded BLAS (Lyra's GEMMs run in
  /// CKernels); after lyra.set_num_threads(1024) (OpenBLAS caps it at 64) on a 2-core
  /// machine, a 2x2 eig, a 200x200 inverse and a 100x80 SVD took 11.5 s of CPU with
  /// OpenBLAS's threads and 0.06 s without. The matrices of a lesson are small.
  /// Not cured here: under an address-space cap (lyra-fuzz's 8 GiB) those 64 threads'
  /// 128 MiB buffers exhaust it and OpenBLAS's allocator retries forever, for any call.
  static func single(_ body: () -> Void) { KernelParallel.withSingleThreadedBLAS(body) }

  /// Refuses what LAPACK cannot take: non-finite values (it may loop or return garbage
  /// on NaN) and sizes past its 32-bit integers.
  static func check(_ t: Tensor, _ fn: String, _ what: String = "the matrix") throws {
    guard t.rank == 2 else { throw LinalgError(fn, "expects a 2-D matrix, got shape \(Shape.describe(t.shape))") }
    guard t.shape.allSatisfy({ $0 <= Int(Int32.max) / 8 }), t.count <= Int(Int32.max) / 8 else {
      throw LinalgError(fn, "matrix \(Shape.describe(t.shape)) is too large for LAPACK's 32-bit sizes")
    }
    let c = t.detach().contiguous()
    for i in 0..<c.count where !c.data[i].isFinite {
      throw LinalgError(fn, "\(what) contains \(c.data[i].isNaN ? "NaN" : "an infinity") (element \(i + 1) in row-major order); LAPACK needs finite values")
    }
  }

  static func square(_ t: Tensor, _ fn: String) throws {
    try check(t, fn)
    guard t.shape[0] == t.shape[1] else { throw LinalgError(fn, "expects a square matrix, got \(Shape.describe(t.shape))") }
  }

  /// The workspace size a LAPACK query returned, as the Int32 the routine takes.
  static func workSize(_ query: Float, _ fn: String) throws -> Int32 {
    guard query.isFinite, query < 2e9 else { throw LinalgError(fn, "LAPACK asked for a workspace of \(query) floats, more than it can address") }
    return Swift.max(1, Int32(query))
  }

  /// An illegal-argument info (< 0) is Lyra's bug, not the user's; still an error, not a trap.
  static func illegal(_ routine: String, _ info: Int32) -> LinalgError {
    LinalgError("", "LAPACK \(routine): argument \(-info) had an illegal value (a Lyra bug; please report it)")
  }

  /// LU factorisation in place (sgetrf): pivots, and the 1-based index of the first zero
  /// pivot when the matrix is exactly singular.
  static func lu(_ a: inout ColumnMajor) throws -> (pivots: [Int32], zeroPivot: Int?) {
    var m = Int32(a.rows), n = Int32(a.cols), lda = Swift.max(1, Int32(a.rows)), info: Int32 = 0
    var ipiv = [Int32](repeating: 0, count: Swift.max(1, Swift.min(a.rows, a.cols)))
    single { sgetrf_(&m, &n, &a.values, &lda, &ipiv, &info) }
    if info < 0 { throw illegal("sgetrf", info) }
    return (ipiv, info > 0 ? Int(info) : nil)
  }

  static func singular(_ fn: String, _ k: Int) -> LinalgError {
    LinalgError(fn, "the matrix is singular (pivot \(k) of its LU factorisation is exactly zero), so it has no inverse; check for linearly dependent rows or columns")
  }

  /// The inverse of a square matrix (sgetrf + sgetri).
  static func inverse(_ a: ColumnMajor, _ fn: String) throws -> ColumnMajor {
    var a = a
    if a.rows == 0 { return a }
    let (ipiv, zero) = try lu(&a)
    if let k = zero { throw singular(fn, k) }
    var n = Int32(a.rows), lda = n, info: Int32 = 0, lwork: Int32 = -1, query: Float = 0
    single { sgetri_(&n, &a.values, &lda, ipiv, &query, &lwork, &info) }
    lwork = try workSize(query, fn)
    var work = [Float](repeating: 0, count: Int(lwork))
    single { sgetri_(&n, &a.values, &lda, ipiv, &work, &lwork, &info) }
    if info < 0 { throw illegal("sgetri", info) }
    if info > 0 { throw singular(fn, Int(info)) }
    return a
  }

  /// X with A·X = B (sgetrf + sgetrs), or Aᵀ·X = B when `transposed`.
  static func solve(_ a: ColumnMajor, _ b: ColumnMajor, transposed: Bool = false, _ fn: String) throws -> ColumnMajor {
    var a = a, b = b
    if a.rows == 0 || b.cols == 0 { return b }
    let (ipiv, zero) = try lu(&a)
    if let k = zero { throw LinalgError(fn, "the matrix A is singular (pivot \(k) of its LU factorisation is exactly zero), so A·X = B has no unique solution") }
    var trans = CChar(UInt8(ascii: transposed ? "T" : "N"))
    var n = Int32(a.rows), nrhs = Int32(b.cols), lda = n, ldb = n, info: Int32 = 0
    single { sgetrs_(&trans, &n, &nrhs, a.values, &lda, ipiv, &b.values, &ldb, &info, 1) }
    if info < 0 { throw illegal("sgetrs", info) }
    return b
  }

  /// The determinant from an LU factorisation: the product of U's diagonal, its sign
  /// flipped once per row interchange. Accumulated in Double (a product of n floats
  /// under- or overflows long before the determinant does in Double).
  static func determinant(_ a: ColumnMajor) throws -> Double {
    var a = a
    if a.rows == 0 { return 1 }
    let (ipiv, _) = try lu(&a)
    var d = 1.0
    for i in 0..<a.rows {
      d *= Double(a.values[i + i * a.rows])
      if Int(ipiv[i]) != i + 1 { d = -d }
    }
    return d
  }

  /// Thin or full SVD (sgesdd): A = U · diag(S) · Vᵀ with S descending.
  static func svd(_ a: ColumnMajor, full: Bool, _ fn: String) throws -> (u: ColumnMajor, s: [Float], vt: ColumnMajor) {
    var a = a
    let m = a.rows, n = a.cols, k = Swift.min(m, n)
    var u = ColumnMajor(rows: m, cols: full ? m : k), vt = ColumnMajor(rows: full ? n : k, cols: n)
    var s = [Float](repeating: 0, count: k)
    if k == 0 {
      // Nothing to factor; the full forms are identities.
      for i in 0..<Swift.min(u.rows, u.cols) { u.values[i + i * u.rows] = 1 }
      for i in 0..<Swift.min(vt.rows, vt.cols) { vt.values[i + i * vt.rows] = 1 }
      return (u, s, vt)
    }
    var jobz = CChar(UInt8(ascii: full ? "A" : "S"))
    var mm = Int32(m), nn = Int32(n), lda = Int32(m), ldu = Int32(m), ldvt = Int32(vt.rows), info: Int32 = 0
    var iwork = [Int32](repeating: 0, count: 8 * k)
    var lwork: Int32 = -1, query: Float = 0
    single { sgesdd_(&jobz, &mm, &nn, &a.values, &lda, &s, &u.values, &ldu, &vt.values, &ldvt, &query, &lwork, &iwork, &info, 1) }
    lwork = try workSize(query, fn)
    var work = [Float](repeating: 0, count: Int(lwork))
    single { sgesdd_(&jobz, &mm, &nn, &a.values, &lda, &s, &u.values, &ldu, &vt.values, &ldvt, &work, &lwork, &iwork, &info, 1) }
    if info < 0 { throw illegal("sgesdd", info) }
    if info > 0 { throw LinalgError(fn, "the SVD did not converge (LAPACK sgesdd info \(info))") }
    return (u, s, vt)
  }

  /// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric
  /// matrix (ssyev, reading the lower triangle).
  static func eigh(_ a: ColumnMajor, _ fn: String) throws -> (w: [Float], v: ColumnMajor) {
    var a = a
    let n = a.rows
    var w = [Float](repeating: 0, count: n)
    if n == 0 { return (w, a) }
    var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "L"))
    var nn = Int32(n), lda = Int32(n), info: Int32 = 0, lwork: Int32 = -1, query: Float = 0
    single { ssyev_(&jobz, &uplo, &nn, &a.values, &lda, &w, &query, &lwork, &info, 1, 1) }
    lwork = try workSize(query, fn)
    var work = [Float](repeating: 0, count: Int(lwork))
    single { ssyev_(&jobz, &uplo, &nn, &a.values, &lda, &w, &work, &lwork, &info, 1, 1) }
    if info < 0 { throw illegal("ssyev", info) }
    if info > 0 { throw LinalgError(fn, "the eigenvalue algorithm did not converge (\(info) off-diagonal elements did not reach zero)") }
    return (w, a)
  }

  /// Eigenvalues (real and imaginary parts) and right eigenvectors of a general square
  /// matrix (sgeev). A complex pair j, j+1 has vectors VR[:, j] ± i·VR[:, j+1].
  static func eig(_ a: ColumnMajor, _ fn: String) throws -> (wr: [Float], wi: [Float], v: ColumnMajor) {
    var a = a
    let n = a.rows
    var wr = [Float](repeating: 0, count: n), wi = wr
    var vr = ColumnMajor(rows: n, cols: n)
    if n == 0 { return (wr, wi, vr) }
    var jobvl = CChar(UInt8(ascii: "N")), jobvr = CChar(UInt8(ascii: "V"))
    var nn = Int32(n), lda = Int32(n), ldvl: Int32 = 1, ldvr = Int32(n), info: Int32 = 0, lwork: Int32 = -1, query: Float = 0
    var vl: Float = 0
    single { sgeev_(&jobvl, &jobvr, &nn, &a.values, &lda, &wr, &wi, &vl, &ldvl, &vr.values, &ldvr, &query, &lwork, &info, 1, 1) }
    lwork = try workSize(query, fn)
    var work = [Float](repeating: 0, count: Int(lwork))
    single { sgeev_(&jobvl, &jobvr, &nn, &a.values, &lda, &wr, &wi, &vl, &ldvl, &vr.values, &ldvr, &work, &lwork, &info, 1, 1) }
    if info < 0 { throw illegal("sgeev", info) }
    if info > 0 { throw LinalgError(fn, "the QR algorithm failed to compute all eigenvalues (LAPACK sgeev info \(info))") }
    return (wr, wi, vr)
  }

  /// Reduced QR (sgeqrf + sorgqr): Q is m × k with orthonormal columns, R is k × n upper
  /// triangular, k = min(m, n).
  static func qr(_ a: ColumnMajor, _ fn: String) throws -> (q: ColumnMajor, r: ColumnMajor) {
    var a = a
    let m = a.rows, n = a.cols, k = Swift.min(m, n)
    var r = ColumnMajor(rows: k, cols: n)
    if k == 0 { return (ColumnMajor(rows: m, cols: 0), r) }
    var mm = Int32(m), nn = Int32(n), kk = Int32(k), lda = Int32(m), info: Int32 = 0
    var tau = [Float](repeating: 0, count: k)
    var lwork: Int32 = -1, query: Float = 0
    single { sgeqrf_(&mm, &nn, &a.values, &lda, &tau, &query, &lwork, &info) }
    lwork = try workSize(query, fn)
    var work = [Float](repeating: 0, count: Int(lwork))
    single { sgeqrf_(&mm, &nn, &a.values, &lda, &tau, &work, &lwork, &info) }
    if info < 0 { throw illegal("sgeqrf", info) }
    for j in 0..<n { for i in 0...Swift.min(j, k - 1) { r.values[i + j * k] = a.values[i + j * m] } }
    var q = ColumnMajor(rows: m, cols: k)
    q.values = Array(a.values[0..<(m * k)])
    lwork = -1
    single { sorgqr_(&mm, &kk, &kk, &q.values, &lda, tau, &query, &lwork, &info) }
    lwork = try workSize(query, fn)
    work = [Float](repeating: 0, count: Int(lwork))
    single { sorgqr_(&mm, &kk, &kk, &q.values, &lda, tau, &work, &lwork, &info) }
    if info < 0 { throw illegal("sorgqr", info) }
    return (q, r)
  }

  /// The lower Cholesky factor L with A = L·Lᵀ (spotrf, reading the lower triangle).
  static func cholesky(_ a: ColumnMajor, _ fn: String) throws -> ColumnMajor {
    var a = a
    let n = a.rows
    if n == 0 { return a }
    var uplo = CChar(UInt8(ascii: "L"))
    var nn = Int32(n), lda = Int32(n), info: Int32 = 0
    single { spotrf_(&uplo, &nn, &a.values, &lda, &info, 1) }
    if info < 0 { throw illegal("spotrf", info) }
    if info > 0 { throw LinalgError(fn, "the matrix is not positive definite (its leading minor of order \(info) is not positive)") }
    for j in 0..<n { for i in 0..<j { a.values[i + j * n] = 0 } } // clear the untouched upper triangle
    return a
  }
}
