import LyraBase

/// Matrix decompositions through LAPACK: SVD, symmetric and general eigen-decomposition,
/// QR, Cholesky. 2-D only; their results are off the tape (no gradient), which the Lua
/// help says. They throw `LinalgError` where LAPACK refuses the input or does not converge.
extension Tensor {
  /// A = U · diag(S) · Vh (torch.linalg.svd): S descending; U [m, m] and Vh [n, n] when
  /// `fullMatrices`, else U [m, k] and Vh [k, n] with k = min(m, n).
  public func svd(fullMatrices: Bool = true) throws -> (u: Tensor, s: Tensor, vh: Tensor) {
    requireFloat("Tensor.svd")
    try Lapack.check(self, "svd")
    // The full U and Vh grow with the square of each side: [2^20, 0] has no elements, its U 2^40.
    for side in fullMatrices ? shape : [] where (try? CheckedSize.allocation([side, side], elementSize: 4)) == nil {
      throw LinalgError("svd", "the full \(side) × \(side) factor is too large; pass full_matrices = false")
    }
    let r = try Lapack.svd(ColumnMajor(self), full: fullMatrices, "svd")
    return (r.u.tensor(), Tensor(r.s), r.vt.tensor())
  }

  /// Eigenvalues in ascending order and orthonormal eigenvectors (the columns) of a
  /// symmetric matrix (torch.linalg.eigh); only the lower triangle is read.
  public func eigh() throws -> (values: Tensor, vectors: Tensor) {
    requireFloat("Tensor.eigh")
    try Lapack.square(self, "eigh")
    let r = try Lapack.eigh(ColumnMajor(self), "eigh")
    return (Tensor(r.w), r.v.tensor())
  }

  /// Eigenvalues of a general square matrix as real and imaginary parts, and the real
  /// right eigenvectors (columns, unit length). Lyra has no complex tensors: a complex
  /// pair λ = a ± bi (imag ≠ 0) has vectors V[:, j] ± i·V[:, j+1], as LAPACK stores them.
  public func eig() throws -> (real: Tensor, imag: Tensor, vectors: Tensor) {
    requireFloat("Tensor.eig")
    try Lapack.square(self, "eig")
    let r = try Lapack.eig(ColumnMajor(self), "eig")
    return (Tensor(r.wr), Tensor(r.wi), r.v.tensor())
  }

  /// The reduced QR decomposition A = Q · R: Q [m, k] with orthonormal columns, R [k, n]
  /// upper triangular, k = min(m, n) (torch.linalg.qr's default mode).
  public func qr() throws -> (q: Tensor, r: Tensor) {
    requireFloat("Tensor.qr")
    try Lapack.check(self, "qr")
    let r = try Lapack.qr(ColumnMajor(self), "qr")
    return (r.q.tensor(), r.r.tensor())
  }

  /// The lower-triangular L with A = L · Lᵀ of a symmetric positive-definite matrix
  /// (torch.linalg.cholesky); only the lower triangle is read.
  public func cholesky() throws -> Tensor {
    requireFloat("Tensor.cholesky")
    try Lapack.square(self, "cholesky")
    return try Lapack.cholesky(ColumnMajor(self), "cholesky").tensor()
  }
}
