import LyraTensor

/// Gemm and MatMul on LyraTensor's OpenBLAS products (transposed operands are passed as
/// strided views, not copied).
enum MatrixOps {
  static let table: [String: ONNXKernel] = ["Gemm": gemm, "MatMul": matmul]

  /// Y = alpha·A'·B' + beta·C, with C broadcast to [M, N] (opsets before 7 spelled that
  /// with a 'broadcast' flag, accepted here).
  static func gemm(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["alpha", "beta", "transA", "transB", "broadcast"])
    var a = try call.float(0), b = try call.float(1)
    guard a.rank == 2, b.rank == 2 else { throw ONNXError.invalid("A and B must be matrices, got \(a.shape) and \(b.shape)") }
    if try call.int("transA", 0) != 0 { a = a.t() }
    if try call.int("transB", 0) != 0 { b = b.t() }
    guard a.shape[1] == b.shape[0] else { throw ONNXError.invalid("cannot multiply \(a.shape) by \(b.shape)") }
    try SizeMath.allocation([a.shape[0], b.shape[1]], "the product")
    let alpha = try call.float("alpha", 1), beta = try call.float("beta", 1)
    var y = a.matmul(b)
    if alpha != 1 { y = y.mul(alpha) }
    if let c = call.optionalInput(2), beta != 0 {
      guard c.dtype == .float32 else { throw ONNXError.unsupported("integer C") }
      guard Shape.broadcast(y.shape, c.shape) == y.shape else {
        throw ONNXError.invalid("C of shape \(c.shape) does not broadcast to \(y.shape)")
      }
      y = y.add(beta == 1 ? c : c.mul(beta))
    }
    return [y]
  }

  /// NumPy matmul: 1-D operands are promoted and the batch dimensions broadcast.
  static func matmul(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes([])
    let a = try call.float(0), b = try call.float(1)
    guard a.rank >= 1, b.rank >= 1 else { throw ONNXError.invalid("operands must have at least one dimension") }
    let k1 = a.shape[a.rank - 1], k2 = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
    guard k1 == k2 else { throw ONNXError.invalid("cannot multiply \(a.shape) by \(b.shape)") }
    if a.rank > 2 || b.rank > 2 {
      let ba = a.rank > 2 ? Array(a.shape[..<(a.rank - 2)]) : [], bb = b.rank > 2 ? Array(b.shape[..<(b.rank - 2)]) : []
      guard let batch = Shape.broadcast(ba, bb) else { throw ONNXError.invalid("batch shapes of \(a.shape) and \(b.shape) do not broadcast") }
      try SizeMath.allocation(batch + [a.rank == 1 ? 1 : a.shape[a.rank - 2], b.rank == 1 ? 1 : b.shape[b.rank - 1]], "the product")
    } else {
      try SizeMath.allocation([a.rank == 1 ? 1 : a.shape[0], b.rank == 1 ? 1 : b.shape[b.rank - 1]], "the product")
    }
    return [a.matmul(b)]
  }
}
