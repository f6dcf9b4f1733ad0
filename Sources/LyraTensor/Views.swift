/// Views: new shape/strides/offset over the same storage, recorded so gradients flow back.
extension Tensor {
  func makeView(_ shape: [Int], _ strides: [Int], _ offset: Int) -> Tensor {
    Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
  }

  /// Resolves one -1 in a requested shape against this tensor's element count.
  func inferShape(_ requested: [Int], _ fn: String) -> [Int] {
    var shape = requested
    let unknown = shape.indices.filter { shape[$0] == -1 }
    precondition(unknown.count <= 1, "\(fn): only one dimension can be -1, got \(Shape.describe(requested))")
    for s in shape where s < -1 { preconditionFailure("\(fn): invalid size \(s) in \(Shape.describe(requested))") }
    if let u = unknown.first {
      let known = shape.enumerated().filter { $0.offset != u }.reduce(1) { $0 * $1.element }
      precondition(known > 0 && count % known == 0, "\(fn): cannot infer -1 in \(Shape.describe(requested)) for \(count) elements")
      shape[u] = count / known
    }
    precondition(Shape.count(shape) == count,
                 "\(fn): shape \(Shape.describe(requested)) is invalid for \(count) elements of \(Shape.describe(self.shape))")
    return shape
  }

  /// A view with a new shape (one size may be -1); the tensor must be contiguous.
  public func view(_ newShape: [Int]) -> Tensor {
    let s = inferShape(newShape, "Tensor.view")
    precondition(isContiguous, "Tensor.view: tensor is not contiguous; use reshape")
    let old = shape
    return makeView(s, Shape.contiguousStrides(s), offset).recorded("view", [self]) { g in [g.reshape(old)] }
  }

  /// A view when possible, else a contiguous copy, with a new shape (one size may be -1).
  public func reshape(_ newShape: [Int]) -> Tensor {
    if isContiguous { return view(newShape) }
    return contiguous().view(newShape)
  }

  /// Dimensions `start...end` merged into one.
  public func flatten(_ start: Int = 0, _ end: Int = -1) -> Tensor {
    if rank == 0 { return reshape([1]) }
    let s = Shape.normalize(start, rank: rank, "Tensor.flatten"), e = Shape.normalize(end, rank: rank, "Tensor.flatten")
    precondition(s <= e, "Tensor.flatten: start \(start) after end \(end)")
    let merged = shape[s...e].reduce(1, *)
    return reshape(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
  }

  /// Dimensions reordered: output dimension i is input dimension `dims[i]`.
  public func permute(_ dims: [Int]) -> Tensor {
    precondition(dims.count == rank, "Tensor.permute: \(dims.count) dims for a rank-\(rank) tensor")
    let d = dims.map { Shape.normalize($0, rank: rank, "Tensor.permute") }
    precondition(Set(d).count == rank, "Tensor.permute: repeated dimension in \(dims)")
    var inverse = [Int](repeating: 0, count: rank)
    for (i, x) in d.enumerated() { inverse[x] = i }
    return makeView(d.map { shape[$0] }, d.map { strides[$0] }, offset)
      .recorded("permute", [self]) { g in [g.permute(inverse)] }
  }

  /// Two dimensions swapped.
  public func transpose(_ d0: Int, _ d1: Int) -> Tensor {
    var p = Array(0..<rank)
    p.swapAt(Shape.axis(d0, rank: rank, "Tensor.transpose"), Shape.axis(d1, rank: rank, "Tensor.transpose"))
    return permute(p)
  }

  /// The transpose of a matrix (a 0-d or 1-d tensor is returned as is).
  public func t() -> Tensor {
    precondition(rank <= 2, "Tensor.t: expects a tensor of rank <= 2, got rank \(rank)")
    return rank < 2 ? self : transpose(0, 1)
  }

  /// Elements `start, start+step, ...` below `end` along `dim` (negative start/end count from the end).
  public func slice(_ dim: Int, _ start: Int = 0, _ end: Int? = nil, step: Int = 1) -> Tensor {
    let d = Shape.axis(dim, rank: rank, "Tensor.slice")
    precondition(step > 0, "Tensor.slice: step must be positive, got \(step)")
    let n = shape[d]
    var s = start < 0 ? start + n : start
    var e = end.map { $0 < 0 ? $0 + n : $0 } ?? n
    s = Swift.min(Swift.max(s, 0), n)
    e = Swift.min(Swift.max(e, s), n)
    let len = (e - s + step - 1) / step
    var sh = shape, st = strides
    sh[d] = len
    st[d] = strides[d] * step
    let inShape = shape
    return makeView(sh, st, offset + s * strides[d]).recorded("slice", [self]) { g in
      let z = Tensor.zeros(inShape)
      z.slice(d, s, e, step: step).copy_(g)
      return [z]
    }
  }

  /// `length` elements from `start` along `dim`.
  public func narrow(_ dim: Int, _ start: Int, _ length: Int) -> Tensor {
    let d = Shape.axis(dim, rank: rank, "Tensor.narrow")
    precondition(start >= 0 && length >= 0 && start + length <= shape[d],
                 "Tensor.narrow: range \(start)..<\(start + length) out of bounds for size \(shape[d])")
    return slice(d, start, start + length)
  }

  /// The sub-tensor at `index` along `dim`, with that dimension removed.
  public func select(_ dim: Int, _ index: Int) -> Tensor {
    let d = Shape.axis(dim, rank: rank, "Tensor.select")
    let i = index < 0 ? index + shape[d] : index
    precondition(i >= 0 && i < shape[d], "Tensor.select: index \(index) out of range for size \(shape[d])")
    var sh = shape, st = strides
    sh.remove(at: d)
    st.remove(at: d)
    let inShape = shape
    return makeView(sh, st, offset + i * strides[d]).recorded("select", [self]) { g in
      let z = Tensor.zeros(inShape)
      z.select(d, i).copy_(g)
      return [z]
    }
  }

  /// A view repeating size-1 dimensions (stride 0) to `newShape`; -1 keeps a size; new leading dims may be added.
  public func expand(_ newShape: [Int]) -> Tensor {
    precondition(newShape.count >= rank, "Tensor.expand: cannot expand rank \(rank) to \(Shape.describe(newShape))")
    let lead = newShape.count - rank
    var sh = newShape, st = [Int](repeating: 0, count: newShape.count)
    for i in 0..<newShape.count {
      if i < lead {
        precondition(newShape[i] >= 0, "Tensor.expand: invalid size -1 for a new dimension")
        continue
      }
      let old = shape[i - lead]
      if sh[i] == -1 { sh[i] = old }
      if old == sh[i] { st[i] = strides[i - lead] } else {
        precondition(old == 1, "Tensor.expand: size \(old) of dimension \(i - lead) cannot become \(sh[i])")
      }
    }
    let inShape = shape
    return makeView(sh, st, offset).recorded("expand", [self]) { g in [g.sumTo(inShape)] }
  }

  /// Expanded to another tensor's shape.
  public func expandAs(_ other: Tensor) -> Tensor { expand(other.shape) }

  /// Size-1 dimensions removed (all, or only `dim`).
  public func squeeze(_ dim: Int? = nil) -> Tensor {
    var sh = shape, st = strides
    if let dim {
      let d = Shape.normalize(dim, rank: rank, "Tensor.squeeze")
      if rank == 0 || shape[d] != 1 { return self }
      sh.remove(at: d)
      st.remove(at: d)
    } else {
      let keep = shape.indices.filter { shape[$0] != 1 }
      sh = keep.map { shape[$0] }
      st = keep.map { strides[$0] }
    }
    let inShape = shape
    return makeView(sh, st, offset).recorded("squeeze", [self]) { g in [g.reshape(inShape)] }
  }

  /// A size-1 dimension inserted at `dim` (in 0...rank; negative counts from the end).
  public func unsqueeze(_ dim: Int) -> Tensor {
    let d = dim < 0 ? dim + rank + 1 : dim
    precondition(d >= 0 && d <= rank, "Tensor.unsqueeze: dimension \(dim) out of range for rank \(rank)")
    var sh = shape, st = strides
    sh.insert(1, at: d)
    st.insert(d < rank ? strides[d] * shape[d] : 1, at: d)
    let inShape = shape
    return makeView(sh, st, offset).recorded("unsqueeze", [self]) { g in [g.reshape(inShape)] }
  }
}
