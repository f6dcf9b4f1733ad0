import LyraKernels
import CBLAS

/// Matrix products through OpenBLAS `cblas_sgemm`. Transposed views are passed as
/// `CblasTrans` with their leading dimension instead of being copied, so backward
/// (which multiplies by transposes) costs no extra copies.

/// A matrix operand as (pointer, transpose flag, leading dimension), or nil when its layout needs a copy.
func gemmOperand(_ p: UnsafePointer<Float>, rows: Int, cols: Int, rowStride: Int, colStride: Int)
  -> (UnsafePointer<Float>, CBLAS_TRANSPOSE, Int32)? {
  let rs = rows == 1 ? Swift.max(cols, 1) : rowStride
  let cs = cols == 1 ? 1 : colStride
  if cs == 1 && rs >= Swift.max(cols, 1) { return (p, CblasNoTrans, Int32(rs)) }
  let rs2 = rows == 1 ? 1 : rowStride
  let cs2 = cols == 1 ? Swift.max(rows, 1) : colStride
  if rs2 == 1 && cs2 >= Swift.max(rows, 1) { return (p, CblasTrans, Int32(cs2)) }
  return nil
}

/// C[m×n] = A[m×k]·B[k×n] + beta·C, C contiguous with row stride n.
func gemm(_ a: Tensor, _ aOff: Int, _ b: Tensor, _ bOff: Int, _ c: UnsafeMutablePointer<Float>,
          m: Int, n: Int, k: Int, beta: Float) {
  if m == 0 || n == 0 { return }
  if k == 0 {
    if beta == 0 { c.update(repeating: 0, count: m * n) }
    return
  }
  let ar = a.strides[a.rank - 2], ac = a.strides[a.rank - 1]
  let br = b.strides[b.rank - 2], bc = b.strides[b.rank - 1]
  guard let (pa, ta, lda) = gemmOperand(a.data + aOff, rows: m, cols: k, rowStride: ar, colStride: ac),
        let (pb, tb, ldb) = gemmOperand(b.data + bOff, rows: k, cols: n, rowStride: br, colStride: bc) else {
    preconditionFailure("gemm: operands must have a BLAS layout")
  }
  parallelSgemm(transA: ta == CblasTrans, transB: tb == CblasTrans, m: m, n: n, k: k, a: pa, lda: Int(lda),
                b: pb, ldb: Int(ldb), beta: beta, c: c, ldc: n)
}

extension Tensor {
  /// Whether the last two dimensions can go to BLAS without a copy.
  var hasGemmLayout: Bool {
    let r = shape[rank - 2], c = shape[rank - 1]
    return gemmOperand(data, rows: r, cols: c, rowStride: strides[rank - 2], colStride: strides[rank - 1]) != nil
  }

  /// Matrix product with PyTorch's `matmul` rules: 1-D·1-D dot, 2-D·2-D, and batched
  /// N-D (batch dimensions broadcast).
  public func matmul(_ other: Tensor) -> Tensor {
    requireFloat("Tensor.matmul")
    other.requireFloat("Tensor.matmul")
    precondition(rank >= 1 && other.rank >= 1, "Tensor.matmul: both arguments need at least one dimension")
    if rank == 1 && other.rank == 1 {
      precondition(count == other.count, "Tensor.matmul: dot of sizes \(count) and \(other.count)")
      return mul(other).sum()
    }
    if rank == 1 { return unsqueeze(0).matmul(other).squeeze(-2) }
    if other.rank == 1 { return matmul(other.unsqueeze(1)).squeeze(-1) }
    let m = shape[rank - 2], k = shape[rank - 1], k2 = other.shape[other.rank - 2], n = other.shape[other.rank - 1]
    precondition(k == k2, "Tensor.matmul: shapes \(Shape.describe(shape)) and \(Shape.describe(other.shape)) cannot be multiplied (\(k) vs \(k2))")
    // [..., m, k] · [k, n] with a contiguous left side is one big GEMM.
    if rank > 2 && other.rank == 2 && isContiguous {
      let lead = Array(shape[..<(rank - 1)])
      return reshape([-1, k]).matmul(other).reshape(lead + [n])
    }
    let a = hasGemmLayout ? self : contiguousCopy()
    let b = other.hasGemmLayout ? other : other.contiguousCopy()
    let batchA = Array(shape[..<(rank - 2)]), batchB = Array(other.shape[..<(other.rank - 2)])
    guard let batch = Shape.broadcast(batchA, batchB) else {
      preconditionFailure("Tensor.matmul: batch shapes \(Shape.describe(batchA)) and \(Shape.describe(batchB)) do not broadcast")
    }
    let ae = a.detach().expand(batch + [m, k]), be = b.detach().expand(batch + [k, n])
    let out = Tensor(uninitializedShape: batch + [m, n])
    let nb = Shape.count(batch)
    let L = batch.isEmpty ? nil : Layout(shape: batch, strides: [Array(ae.strides[..<batch.count]), Array(be.strides[..<batch.count])])
    for i in 0..<nb {
      var offA = 0, offB = 0
      if let L {
        // Treat the batch as rows of length 1 to reuse Layout's offset arithmetic.
        let inner = L.inner
        offA = L.rowOffset(i / inner, 0) + (i % inner) * L.strides[0].last!
        offB = L.rowOffset(i / inner, 1) + (i % inner) * L.strides[1].last!
      }
      gemm(ae, offA, be, offB, out.data + i * m * n, m: m, n: n, k: k, beta: 0)
    }
    let (sa, sb) = (shape, other.shape)
    return out.recorded("matmul", [self, other]) { [self] g in
      [self.requiresGrad ? g.matmul(other.transpose(-1, -2)).sumTo(sa) : nil,
       other.requiresGrad ? self.transpose(-1, -2).matmul(g).sumTo(sb) : nil]
    }
  }

  /// Matrix-matrix product of 2-D tensors (`mm`).
  public func mm(_ other: Tensor) -> Tensor {
    precondition(rank == 2 && other.rank == 2, "Tensor.mm: expects 2-D tensors")
    return matmul(other)
  }

  /// Batched matrix product of 3-D tensors (`bmm`).
  public func bmm(_ other: Tensor) -> Tensor {
    precondition(rank == 3 && other.rank == 3 && shape[0] == other.shape[0], "Tensor.bmm: expects 3-D tensors with equal batch")
    return matmul(other)
  }

  /// y = x·Wᵀ + b for x [..., in], weight [out, in], bias [out]: the bias is written
  /// first and GEMM accumulates onto it (beta = 1), so the add costs no extra pass.
  /// `packed`: where no gradient is recorded, the product reads the weight's packed copy kept
  /// there (`PackedGemmWeight`: packed once, repacked when the weight's bytes change) instead of
  /// packing the transposed weight every call; a layer in inference passes its own.
  public static func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, packed: PackedGemmWeight? = nil) -> Tensor {
    precondition(weight.rank == 2, "Tensor.linear: weight must be 2-D, got \(Shape.describe(weight.shape))")
    let inF = weight.shape[1], outF = weight.shape[0]
    precondition(x.rank >= 1 && x.shape[x.rank - 1] == inF,
                 "Tensor.linear: input \(Shape.describe(x.shape)) does not end in \(inF) features")
    if let bias { precondition(bias.shape == [outF], "Tensor.linear: bias must have shape [\(outF)], got \(Shape.describe(bias.shape))") }
    let lead = Array(x.shape.dropLast())
    let x2 = x.reshape([-1, inF])
    let rows = x2.shape[0]
    let xa = x2.hasGemmLayout ? x2 : x2.contiguousCopy()
    let wt = weight.detach().t()
    let wa = wt.hasGemmLayout ? wt : wt.contiguousCopy()
    let out = Tensor(uninitializedShape: [rows, outF])
    if let bias {
      let bc = bias.contiguous()
      for r in 0..<rows { (out.data + r * outF).update(from: bc.data, count: outF) }
    }
    if let packed, !isGradEnabled, xa.isContiguous, weight.isContiguous {
      packed.multiply(m: rows, n: outF, k: inF, a: xa.data, lda: inF, b: weight.data, transB: true,
                      beta: bias == nil ? 0 : 1, c: out.data, ldc: outF)
    } else {
      gemm(xa, 0, wa, 0, out.data, m: rows, n: outF, k: inF, beta: bias == nil ? 0 : 1)
    }
    let inputs = bias.map { [x2, weight, $0] } ?? [x2, weight]
    out.recorded("linear", inputs) { g in
      [x2.requiresGrad ? g.matmul(weight) : nil,
       weight.requiresGrad ? g.t().matmul(x2) : nil,
       bias.map { $0.requiresGrad ? g.sum(0) : nil } ?? nil]
    }
    return out.reshape(lead + [outF])
  }

}
