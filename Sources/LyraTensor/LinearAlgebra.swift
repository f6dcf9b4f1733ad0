/// Matrix helpers built on matmul and views: addmm, mv, outer, diag, trace, tril/triu.
/// All are differentiable; the LAPACK-backed ones (inverse, solve, det, decompositions)
/// are in LinalgSolve.swift and LinalgDecompositions.swift.
extension Tensor {
  /// beta * self + alpha * (mat1 · mat2) (PyTorch's `addmm`; self broadcasts to the product).
  public func addmm(_ mat1: Tensor, _ mat2: Tensor, beta: Float = 1, alpha: Float = 1) -> Tensor {
    let p = mat1.mm(mat2)
    return (beta == 1 ? self : mul(beta)).add(alpha == 1 ? p : p.mul(alpha))
  }

  /// Matrix [m, n] times vector [n] → [m] (`mv`).
  public func mv(_ vec: Tensor) -> Tensor {
    precondition(rank == 2 && vec.rank == 1 && shape[1] == vec.shape[0],
                 "Tensor.mv: expects [m, n] and [n], got \(Shape.describe(shape)) and \(Shape.describe(vec.shape))")
    return matmul(vec)
  }

  /// The outer product of two 1-D tensors, [n] ⊗ [m] → [n, m] (`outer`, Torch7's `ger`).
  public func outer(_ other: Tensor) -> Tensor {
    precondition(rank == 1 && other.rank == 1, "Tensor.outer: expects two 1-D tensors")
    return unsqueeze(1).mul(other.unsqueeze(0))
  }

  /// The `offset`-th diagonal of the last two dimensions, as a view whose last dimension
  /// runs along it (PyTorch's `diagonal(offset, -2, -1)`); offset > 0 is above the main one.
  public func diagonal(_ offset: Int = 0) -> Tensor {
    precondition(rank >= 2, "Tensor.diagonal: expects at least 2 dimensions, got \(rank)")
    let r = shape[rank - 2], c = shape[rank - 1]
    let n = offset >= 0 ? Swift.max(0, Swift.min(r, c - offset)) : Swift.max(0, Swift.min(r + offset, c))
    let start = n == 0 ? 0 : (offset >= 0 ? offset * strides[rank - 1] : -offset * strides[rank - 2])
    let sh = Array(shape.dropLast(2)) + [n]
    let st = Array(strides.dropLast(2)) + [strides[rank - 2] + strides[rank - 1]]
    let inShape = shape
    return makeView(sh, st, self.offset + start).recorded("diagonal", [self]) { g in
      let z = Tensor.zeros(inShape)
      z.diagonal(offset).copy_(g)
      return [z]
    }
  }

  /// Torch7/PyTorch `diag`: a 1-D tensor becomes a square matrix with it on the `offset`-th
  /// diagonal; a 2-D tensor gives its `offset`-th diagonal as a 1-D copy.
  public func diag(_ offset: Int = 0) -> Tensor {
    precondition(rank == 1 || rank == 2, "Tensor.diag: expects a 1-D or 2-D tensor, got \(rank)-D")
    if rank == 2 { return diagonal(offset).contiguous() }
    requireFloat("Tensor.diag")
    let n = shape[0] + Swift.abs(offset)
    let out = Tensor.zeros([n, n])
    out.diagonal(offset).copy_(self)
    return out.recorded("diag", [self]) { g in [g.diagonal(offset).contiguous()] }
  }

  /// Sum of the main diagonal of a 2-D tensor.
  public func trace() -> Tensor {
    precondition(rank == 2, "Tensor.trace: expects a 2-D tensor, got \(rank)-D")
    return diagonal(0).sum()
  }

  /// The elements on and below the `diagonal`-th diagonal of the last two dimensions, zeros
  /// above (`tril`); the gradient passes where the values were kept.
  public func tril(_ diagonal: Int = 0) -> Tensor { triangle(diagonal, lower: true) }

  /// The elements on and above the `diagonal`-th diagonal, zeros below (`triu`).
  public func triu(_ diagonal: Int = 0) -> Tensor { triangle(diagonal, lower: false) }

  private func triangle(_ k: Int, lower: Bool) -> Tensor {
    requireFloat(lower ? "Tensor.tril" : "Tensor.triu")
    precondition(rank >= 2, "Tensor.\(lower ? "tril" : "triu"): expects at least 2 dimensions, got \(rank)")
    let r = shape[rank - 2], c = shape[rank - 1]
    var keep = [Float](repeating: 0, count: r * c)
    for i in 0..<r { for j in 0..<c where lower ? j - i <= k : j - i >= k { keep[i * c + j] = 1 } }
    // where, not a product with the mask: inf * 0 would leave NaN in the zeroed half.
    return Tensor.where(Tensor(keep, shape: [r, c]), self, Tensor(Float(0)))
  }
}
