/// Concatenation and splitting. Splits are views; cat/stack copy into one new buffer.
extension Tensor {
  /// Tensors joined along `dim` (all other sizes must match).
  public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "Tensor.cat: expects at least one tensor")
    let first = tensors[0]
    let d = Shape.axis(dim, rank: first.rank, "Tensor.cat")
    var outShape = first.shape
    outShape[d] = 0
    for t in tensors {
      precondition(t.rank == first.rank && t.dtype == first.dtype, "Tensor.cat: tensors must have equal rank and dtype")
      for i in 0..<t.rank where i != d {
        precondition(t.shape[i] == first.shape[i],
                     "Tensor.cat: sizes \(Shape.describe(t.shape)) and \(Shape.describe(first.shape)) differ outside dimension \(dim)")
      }
      outShape[d] += t.shape[d]
    }
    let out = Tensor(uninitializedShape: outShape, dtype: first.dtype)
    var starts: [Int] = []
    var off = 0
    for t in tensors {
      starts.append(off)
      out.detach().narrow(d, off, t.shape[d]).copy_(t)
      off += t.shape[d]
    }
    return out.recorded("cat", tensors) { g in
      zip(tensors, starts).map { t, s in t.requiresGrad ? g.narrow(d, s, t.shape[d]) : nil }
    }
  }

  /// Tensors joined along a new dimension `dim` (all shapes must match).
  public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "Tensor.stack: expects at least one tensor")
    for t in tensors {
      precondition(t.shape == tensors[0].shape, "Tensor.stack: shapes \(Shape.describe(t.shape)) and \(Shape.describe(tensors[0].shape)) differ")
    }
    return cat(tensors.map { $0.unsqueeze(dim) }, dim: dim < 0 ? dim : dim)
  }

  /// Views of `splitSize` elements along `dim` (the last may be shorter).
  public func split(_ splitSize: Int, dim: Int = 0) -> [Tensor] {
    precondition(splitSize > 0, "Tensor.split: split size must be positive, got \(splitSize)")
    let d = Shape.axis(dim, rank: rank, "Tensor.split")
    return stride(from: 0, to: shape[d], by: splitSize).map { narrow(d, $0, Swift.min(splitSize, shape[d] - $0)) }
  }

  /// Views with the given sizes along `dim` (they must add up to the dimension).
  public func split(sizes: [Int], dim: Int = 0) -> [Tensor] {
    let d = Shape.axis(dim, rank: rank, "Tensor.split")
    precondition(sizes.reduce(0, +) == shape[d] && sizes.allSatisfy { $0 >= 0 },
                 "Tensor.split: sizes \(sizes) do not add up to \(shape[d])")
    var off = 0
    return sizes.map { s in defer { off += s }; return narrow(d, off, s) }
  }

  /// `chunks` nearly equal views along `dim`.
  public func chunk(_ chunks: Int, dim: Int = 0) -> [Tensor] {
    precondition(chunks > 0, "Tensor.chunk: chunks must be positive, got \(chunks)")
    let d = Shape.axis(dim, rank: rank, "Tensor.chunk")
    return split(Swift.max(1, (shape[d] + chunks - 1) / chunks), dim: d)
  }
}
