/// Integer indexing: index_select, gather, embedding. Indices are int32 tensors and are
/// bounds-checked; backward scatters (adds) gradients back, so repeated indices accumulate.
extension Tensor {
  /// Entries `index[j]` along `dim` (index is 1-D int32).
  public func indexSelect(_ dim: Int, _ index: Tensor) -> Tensor {
    index.requireInt("Tensor.index_select")
    precondition(index.rank <= 1, "Tensor.index_select: index must be 1-D, got \(Shape.describe(index.shape))")
    let d = Shape.axis(dim, rank: rank, "Tensor.index_select")
    let (outer, n, inner) = axisSplit(d)
    let idx = index.contiguous()
    let m = idx.count
    for j in 0..<m {
      let k = Int(idx.intData[j])
      precondition(k >= 0 && k < n, "Tensor.index_select: index \(k) out of range for size \(n)")
    }
    var outShape = shape
    outShape[d] = m
    let c = contiguous()
    let out = Tensor(uninitializedShape: outShape, dtype: dtype)
    let es = dtype.size, row = inner * es
    let src = c.storage.raw + c.offset * es, dst = out.storage.raw, ip = idx.intData
    for o in 0..<outer {
      for j in 0..<m {
        (dst + (o * m + j) * row).copyMemory(from: src + (o * n + Int(ip[j])) * row, byteCount: row)
      }
    }
    let inShape = shape
    return out.recorded("index_select", [self]) { g in
      let z = Tensor.zeros(inShape)
      let gc = g.contiguous()
      let ip = idx.intData, zp = z.data, gp = gc.data
      for o in 0..<outer {
        for j in 0..<m {
          let s = gp + (o * m + j) * inner, t = zp + (o * n + Int(ip[j])) * inner
          for i in 0..<inner { t[i] += s[i] }
        }
      }
      return [z]
    }
  }

  /// out[..., j, ...] = self[..., index[..., j, ...], ...] along `dim`; `index` has self's
  /// rank and no larger sizes outside `dim`.
  public func gather(_ dim: Int, _ index: Tensor) -> Tensor {
    index.requireInt("Tensor.gather")
    precondition(index.rank == rank, "Tensor.gather: index rank \(index.rank) differs from input rank \(rank)")
    let d = Shape.axis(dim, rank: rank, "Tensor.gather")
    for i in 0..<rank where i != d {
      precondition(index.shape[i] <= shape[i], "Tensor.gather: index size \(index.shape[i]) exceeds input size \(shape[i]) at dimension \(i)")
    }
    let idx = index.contiguous()
    let c = contiguous()
    let offsets = c.gatherOffsets(d, idx)
    let out = Tensor(uninitializedShape: index.shape, dtype: dtype)
    out.pickElements(from: c, offsets)
    let inShape = shape
    return out.recorded("gather", [self]) { g in [Tensor.addedAt(offsets, g, shape: inShape)] }
  }

  /// Element offsets (in this contiguous tensor) of the elements `gather` reads.
  func gatherOffsets(_ d: Int, _ idx: Tensor) -> [Int] {
    let ip = idx.intData
    var j = 0
    var result = [Int](repeating: 0, count: idx.count)
    Tensor.forEachCoordinate(idx.shape) { coord in
      let k = Int(ip[j])
      precondition(k >= 0 && k < shape[d], "Tensor.gather: index \(k) out of range for size \(shape[d])")
      var off = 0
      for a in 0..<rank { off += (a == d ? k : coord[a]) * strides[a] }
      result[j] = off
      j += 1
    }
    return result
  }

  /// Calls `body` with every coordinate of `shape` in row-major order (an odometer).
  static func forEachCoordinate(_ shape: [Int], _ body: ([Int]) -> Void) {
    let n = Shape.count(shape)
    var coord = [Int](repeating: 0, count: shape.count)
    for _ in 0..<n {
      body(coord)
      var a = shape.count - 1
      while a >= 0 {
        coord[a] += 1
        if coord[a] < shape[a] { break }
        coord[a] = 0
        a -= 1
      }
    }
  }

  /// A zero tensor of `shape` with g's j-th element (row-major) added at element
  /// `offsets[j]`: the gradient of every op that reads its input at those offsets.
  static func addedAt(_ offsets: [Int], _ g: Tensor, shape: [Int]) -> Tensor {
    let z = Tensor.zeros(shape)
    let gc = g.contiguous()
    let zp = z.data, gp = gc.data
    for (j, off) in offsets.enumerated() { zp[off] += gp[j] }
    return z
  }

  /// Rows of `weight` [V, D] picked by int32 `indices` of any shape → indices.shape + [D].
  public static func embedding(_ weight: Tensor, _ indices: Tensor) -> Tensor {
    precondition(weight.rank == 2, "Tensor.embedding: weight must be [num_embeddings, dim], got \(Shape.describe(weight.shape))")
    return weight.indexSelect(0, indices.reshape([-1])).reshape(indices.shape + [weight.shape[1]])
  }
}
