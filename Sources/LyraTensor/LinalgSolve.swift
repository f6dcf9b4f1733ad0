/// The differentiable LAPACK ops: inverse, det and solve, of a matrix or of each in a
/// batch [..., n, n]. They throw `LinalgError` for input LAPACK refuses or a singular matrix.
extension Tensor {
  /// A⁻¹ of a square matrix, or of each in a batch [..., n, n] (`inverse`, `linalg.inv`).
  /// Gradient: −A⁻ᵀ · g · A⁻ᵀ.
  public func inverse() throws -> Tensor {
    requireFloat("Tensor.inverse")
    return try perMatrix("inverse", resultShape: Array(shape.suffix(2))) { a, _ in
      try Lapack.square(a, "inverse")
      let inv = try Lapack.inverse(ColumnMajor(a), "inverse").tensor()
      // The closure keeps a detached view: the output itself would hold its own node.
      let value = inv.detach()
      return inv.recorded("inverse", [a]) { g in
        let it = value.t()
        return [it.matmul(g).matmul(it).neg()]
      }
    }
  }

  /// `op` on a matrix, or on each matrix of a batch [..., r, c] with the results stacked
  /// under the batch shape. Through select and stack, so gradients flow as for one matrix;
  /// `resultShape` is one result's, for an empty batch.
  func perMatrix(_ fn: String, resultShape: [Int], _ op: (_ matrix: Tensor, _ batchIndex: Int) throws -> Tensor) throws -> Tensor {
    guard rank >= 2 else { throw LinalgError(fn, "expects a matrix or a batch of matrices [..., n, n], got shape \(Shape.describe(shape))") }
    if rank == 2 { return try op(self, 0) }
    let batch = Array(shape.dropLast(2))
    let flat = reshape([-1, shape[rank - 2], shape[rank - 1]])
    if flat.shape[0] == 0 { return Tensor.zeros(batch + resultShape) }
    let results = try (0..<flat.shape[0]).map { try op(flat.select(0, $0), $0) }
    return Tensor.stack(results).reshape(batch + results[0].shape)
  }

  /// X with A·X = B (`linalg.solve`), B a vector [n] or a matrix [n, k]; or, for a batch
  /// A [..., n, n], B [..., n, k] with the same batch shape, each system on its own.
  /// Gradients: g_B = A⁻ᵀ·g (a solve with Aᵀ), g_A = −g_B·Xᵀ.
  public static func solve(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    a.requireFloat("Tensor.solve")
    b.requireFloat("Tensor.solve")
    if a.rank > 2 {
      let n = a.shape[a.rank - 1]
      guard b.rank == a.rank, b.shape.dropLast(2) == a.shape.dropLast(2), b.shape[b.rank - 2] == n else {
        throw LinalgError("solve", "for a batch A \(Shape.describe(a.shape)), B must be [..., \(n), k] with the same batch, got \(Shape.describe(b.shape))")
      }
      let bb = b.reshape([-1, n, b.shape[b.rank - 1]])
      return try a.perMatrix("solve", resultShape: Array(b.shape.suffix(2))) { m, k in try solve(m, bb.select(0, k)) }.reshape(b.shape)
    }
    try Lapack.square(a, "solve")
    guard (b.rank == 1 || b.rank == 2) && b.shape[0] == a.shape[0] else {
      throw LinalgError("solve", "B must be [\(a.shape[0])] or [\(a.shape[0]), k] for A \(Shape.describe(a.shape)), got \(Shape.describe(b.shape))")
    }
    let b2 = b.rank == 1 ? b.detach().unsqueeze(1) : b.detach()
    try Lapack.check(b2, "solve", "B")
    let acm = ColumnMajor(a)
    let x2 = try Lapack.solve(acm, ColumnMajor(b2), "solve").tensor()
    let x = b.rank == 1 ? x2.reshape([-1]) : x2
    let bShape = b.shape, xValue = x2.detach()
    return x.recorded("solve", [a, b]) { g in
      let g2 = g.rank == 1 ? g.unsqueeze(1) : g
      // Aᵀ is already known to be non-singular.
      guard let gb = try? Lapack.solve(acm, ColumnMajor(g2.contiguous()), transposed: true, "solve").tensor() else { return [nil, nil] }
      return [a.requiresGrad ? gb.matmul(xValue.t()).neg() : nil, b.requiresGrad ? gb.reshape(bShape) : nil]
    }
  }

  /// The determinant of a square matrix as a 0-d tensor, or of each in a batch [..., n, n]
  /// (0 for a singular one). Gradient: g · det · A⁻ᵀ; at a singular matrix the cofactor
  /// matrix (the same thing where A⁻¹ exists), computed from the minors' determinants.
  public func det() throws -> Tensor {
    requireFloat("Tensor.det")
    return try perMatrix("det", resultShape: []) { m, _ in
      try Lapack.square(m, "det")
      let a = ColumnMajor(m)
      let d = try Lapack.determinant(a)
      return Tensor(Float(d)).recorded("det", [m]) { g in
        let scale = g.item()
        if d != 0, let inv = try? Lapack.inverse(a, "det") {
          return [inv.tensor().t().mul(Float(d) * scale)]
        }
        guard let c = try? Lapack.cofactors(a) else { return [nil] }
        return [c.mul(scale)]
      }
    }
  }
}

extension Lapack {
  /// The cofactor matrix C (C[i][j] = (−1)^(i+j) · det of A without row i and column j),
  /// the gradient of det(A) also where A is singular. O(n⁵); only the singular case uses it.
  static func cofactors(_ a: ColumnMajor) throws -> Tensor {
    let n = a.rows
    let out = Tensor.zeros([n, n])
    if n == 1 {
      out.data[0] = 1
      return out
    }
    for i in 0..<n {
      for j in 0..<n {
        var minor = ColumnMajor(rows: n - 1, cols: n - 1)
        var k = 0
        for c in 0..<n where c != j { for r in 0..<n where r != i {
          minor.values[k] = a.values[r + c * n]
          k += 1
        } }
        let d = try determinant(minor)
        out.data[i * n + j] = Float((i + j) % 2 == 0 ? d : -d)
      }
    }
    return out
  }
}
