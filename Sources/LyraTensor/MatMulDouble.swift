import CBLAS

/// The matrix product of float64 tensors through OpenBLAS `cblas_dgemm`, for 1-D and 2-D
/// operands (PyTorch's rules: a 1-D left operand is a row, a 1-D right operand a column,
/// and that dimension is dropped from the result). Not recorded: float64 has no autograd.
/// Operands are made contiguous first; batched float64 products are not supported.
extension Tensor {
  public func matmulDouble(_ other: Tensor) -> Tensor {
    precondition(dtype == .float64 && other.dtype == .float64, "Tensor.matmul: expected float64 tensors, got \(dtype) and \(other.dtype)")
    precondition((1...2).contains(rank) && (1...2).contains(other.rank), "Tensor.matmul: float64 products take 1-D or 2-D tensors")
    let a = (rank == 1 ? reshape([1, shape[0]]) : self).contiguous()
    let b = (other.rank == 1 ? other.reshape([other.shape[0], 1]) : other).contiguous()
    let m = a.shape[0], k = a.shape[1], n = b.shape[1]
    precondition(b.shape[0] == k, "Tensor.matmul: sizes \(Shape.describe(shape)) and \(Shape.describe(other.shape)) do not match")
    let out = Tensor.zeros([m, n], dtype: .float64)
    if m > 0 && n > 0 && k > 0 {
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                  a.elements(Double.self), Int32(k), b.elements(Double.self), Int32(n), 0, out.elements(Double.self), Int32(n))
    }
    var shape: [Int] = []
    if rank == 2 { shape.append(m) }
    if other.rank == 2 { shape.append(n) }
    return out.reshape(shape)
  }
}
