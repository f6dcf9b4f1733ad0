/// Writing by index, the inverse of gather/index_select: scatter, scatter_add, index_add,
/// index_fill. Indices are 0-based int32 tensors here (the Lua layer turns 1-based
/// positions into these and checks them first). Each op has an out-of-place form on the
/// tape and an in-place `_` form that is not recorded (`checkInPlace`).
extension Tensor {
  /// Offsets, in a tensor of `strides`, of each element of `shape` in row-major order:
  /// where the k-th element of an index tensor of `shape` reads its source value.
  static func coordinateOffsets(_ shape: [Int], _ strides: [Int]) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(Shape.count(shape))
    forEachCoordinate(shape) { coord in
      var off = 0
      for a in 0..<shape.count { off += coord[a] * strides[a] }
      result.append(off)
    }
    return result
  }

  /// Shared checks of scatter and scatter_add: index and src have self's rank; index is
  /// no larger than src anywhere, nor than self outside `d`.
  func checkScatter(_ d: Int, _ index: Tensor, _ src: Tensor?, _ fn: String) {
    index.requireInt(fn)
    precondition(index.rank == rank, "\(fn): index rank \(index.rank) differs from input rank \(rank)")
    for a in 0..<rank {
      if a != d { precondition(index.shape[a] <= shape[a], "\(fn): index size \(index.shape[a]) exceeds input size \(shape[a]) at dimension \(a)") }
      if let src {
        precondition(src.rank == rank && index.shape[a] <= src.shape[a], "\(fn): index \(Shape.describe(index.shape)) is larger than src \(Shape.describe(src.shape))")
      }
    }
  }

  /// The elements' offsets scatter writes in a contiguous copy of self (`gatherOffsets`
  /// checks each index against the size of `d`), and where each value comes from in a
  /// contiguous src.
  func scatterPlan(_ d: Int, _ index: Tensor, srcShape: [Int]?) -> (dst: [Int], src: [Int]) {
    let probe = Tensor(storage: storage, shape: shape, strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    let dst = probe.gatherOffsets(d, index.contiguous())
    let src = srcShape.map { Tensor.coordinateOffsets(index.shape, Shape.contiguousStrides($0)) } ?? []
    return (dst, src)
  }

  /// out = self with out[..., index[i][j], ...] = src[i][j] along `dim` (PyTorch's
  /// `scatter(dim, index, src)`). Gradients: self's where nothing was written; src's
  /// gathered from the written positions.
  public func scatter(_ dim: Int, _ index: Tensor, _ src: Tensor) -> Tensor {
    scatterCore(dim, index, src, add: false, "Tensor.scatter")
  }

  /// out = self with out[..., index[i][j], ...] += src[i][j] (repeated indices add up).
  public func scatterAdd(_ dim: Int, _ index: Tensor, _ src: Tensor) -> Tensor {
    scatterCore(dim, index, src, add: true, "Tensor.scatter_add")
  }

  /// out = self with `value` at out[..., index[i][j], ...] along `dim`.
  public func scatter(_ dim: Int, _ index: Tensor, value: Float) -> Tensor {
    requireFloat("Tensor.scatter")
    let d = Shape.axis(dim, rank: rank, "Tensor.scatter")
    checkScatter(d, index, nil, "Tensor.scatter")
    let plan = scatterPlan(d, index, srcShape: nil)
    let out = contiguousCopy()
    for o in plan.dst { out.data[o] = value }
    return out.recorded("scatter", [self]) { g in
      let gc = g.contiguousCopy()
      for o in plan.dst { gc.data[o] = 0 }
      return [gc]
    }
  }

  private func scatterCore(_ dim: Int, _ index: Tensor, _ src: Tensor, add: Bool, _ fn: String) -> Tensor {
    requireFloat(fn)
    src.requireFloat(fn)
    let d = Shape.axis(dim, rank: rank, fn)
    checkScatter(d, index, src, fn)
    let plan = scatterPlan(d, index, srcShape: src.shape)
    let out = contiguousCopy(), sc = src.contiguous()
    let o = out.data, s = sc.data
    for (j, off) in plan.dst.enumerated() {
      if add { o[off] += s[plan.src[j]] } else { o[off] = s[plan.src[j]] }
    }
    let srcShape = src.shape
    return out.recorded(add ? "scatter_add" : "scatter", [self, src]) { [self] g in
      let gc = g.contiguous()
      var gSelf: Tensor?
      if requiresGrad {
        if add { gSelf = gc } else {
          let z = gc.contiguousCopy()
          for off in plan.dst { z.data[off] = 0 }
          gSelf = z
        }
      }
      var gSrc: Tensor?
      if src.requiresGrad {
        let z = Tensor.zeros(srcShape)
        // Where an index repeats, scatter keeps the last value written: only it gets the
        // gradient (PyTorch leaves this case undefined; finite differences agree with this).
        var taken = Set<Int>()
        for j in plan.dst.indices.reversed() where add || taken.insert(plan.dst[j]).inserted {
          z.data[plan.src[j]] = gc.data[plan.dst[j]]
        }
        gSrc = z
      }
      return [gSelf, gSrc]
    }
  }

  /// In-place `scatter` (not recorded).
  @discardableResult public func scatter_(_ dim: Int, _ index: Tensor, _ src: Tensor) -> Tensor {
    checkInPlace("Tensor.scatter_")
    return copy_(Tensor.noGrad { scatter(dim, index, src) })
  }

  /// In-place `scatter` of a value (not recorded).
  @discardableResult public func scatter_(_ dim: Int, _ index: Tensor, value: Float) -> Tensor {
    checkInPlace("Tensor.scatter_")
    return copy_(Tensor.noGrad { scatter(dim, index, value: value) })
  }

  /// In-place `scatter_add` (not recorded).
  @discardableResult public func scatterAdd_(_ dim: Int, _ index: Tensor, _ src: Tensor) -> Tensor {
    checkInPlace("Tensor.scatter_add_")
    return copy_(Tensor.noGrad { scatterAdd(dim, index, src) })
  }

  /// out = self with out[..., index[j], ...] += alpha * source[..., j, ...] along `dim`
  /// (PyTorch's `index_add`); `index` is 1-D, `source` has self's shape except `index.count`
  /// along `dim`. Gradients: self's is g; source's is alpha * g.index_select(dim, index).
  public func indexAdd(_ dim: Int, _ index: Tensor, _ source: Tensor, alpha: Float = 1) -> Tensor {
    requireFloat("Tensor.index_add")
    source.requireFloat("Tensor.index_add")
    index.requireInt("Tensor.index_add")
    let d = Shape.axis(dim, rank: rank, "Tensor.index_add")
    let idx = index.contiguous()
    var want = shape
    want[d] = idx.count
    precondition(index.rank <= 1 && source.shape == want,
                 "Tensor.index_add: source \(Shape.describe(source.shape)) should be \(Shape.describe(want)) for a 1-D index of \(idx.count)")
    let (outer, n, inner) = axisSplit(d)
    let m = idx.count
    for j in 0..<m { precondition(idx.intData[j] >= 0 && Int(idx.intData[j]) < n, "Tensor.index_add: index \(idx.intData[j]) out of range for size \(n)") }
    let out = contiguousCopy(), sc = source.contiguous()
    for o in 0..<outer {
      for j in 0..<m {
        let t = out.data + (o * n + Int(idx.intData[j])) * inner, s = sc.data + (o * m + j) * inner
        for i in 0..<inner { t[i] += alpha * s[i] }
      }
    }
    return out.recorded("index_add", [self, source]) { [self] g in
      [requiresGrad ? g : nil, source.requiresGrad ? g.indexSelect(d, idx).mul(alpha) : nil]
    }
  }

  /// In-place `index_add` (not recorded).
  @discardableResult public func indexAdd_(_ dim: Int, _ index: Tensor, _ source: Tensor, alpha: Float = 1) -> Tensor {
    checkInPlace("Tensor.index_add_")
    return copy_(Tensor.noGrad { indexAdd(dim, index, source, alpha: alpha) })
  }

  /// out = self with every slice index[j] along `dim` set to `value` (PyTorch's
  /// `index_fill`); the gradient is g with those slices zeroed.
  public func indexFill(_ dim: Int, _ index: Tensor, _ value: Float) -> Tensor {
    requireFloat("Tensor.index_fill")
    index.requireInt("Tensor.index_fill")
    let d = Shape.axis(dim, rank: rank, "Tensor.index_fill")
    precondition(index.rank <= 1, "Tensor.index_fill: index must be 1-D, got \(Shape.describe(index.shape))")
    let idx = index.contiguous()
    let (outer, n, inner) = axisSplit(d)
    for j in 0..<idx.count { precondition(idx.intData[j] >= 0 && Int(idx.intData[j]) < n, "Tensor.index_fill: index \(idx.intData[j]) out of range for size \(n)") }
    let out = contiguousCopy()
    for o in 0..<outer {
      for j in 0..<idx.count { (out.data + (o * n + Int(idx.intData[j])) * inner).update(repeating: value, count: inner) }
    }
    return out.recorded("index_fill", [self]) { g in [g.indexFill(d, idx, 0)] }
  }

  /// In-place `index_fill` (not recorded).
  @discardableResult public func indexFill_(_ dim: Int, _ index: Tensor, _ value: Float) -> Tensor {
    checkInPlace("Tensor.index_fill_")
    return copy_(Tensor.noGrad { indexFill(dim, index, value) })
  }
}
