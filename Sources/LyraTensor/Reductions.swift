/// Reductions along one axis (keepdim like PyTorch) and over all elements.
///
/// Every axis reduction views the contiguous input as [outer, n, inner] so a single
/// kernel serves every dimension: inner == 1 sums contiguous runs, inner > 1 adds whole
/// rows (both vectorise).
extension Tensor {
  /// (outer, n, inner) sizes for reducing `d`; a 0-d tensor is one line of one element.
  func axisSplit(_ d: Int) -> (Int, Int, Int) {
    if rank == 0 { return (1, 1, 1) }
    return (shape[..<d].reduce(1, *), shape[d], shape[(d + 1)...].reduce(1, *))
  }

  /// The size along `d` (1 for a 0-d tensor, whose dimension 0 is the scalar itself).
  func sizeAlong(_ d: Int) -> Int { rank == 0 ? 1 : shape[d] }

  /// The shape after reducing `d`; a 0-d tensor stays 0-d (PyTorch's rule).
  func reducedShape(_ d: Int, keepdim: Bool) -> [Int] {
    if rank == 0 { return [] }
    var s = shape
    if keepdim { s[d] = 1 } else { s.remove(at: d) }
    return s
  }

  /// Sum of all elements, as a 0-d tensor.
  public func sum() -> Tensor {
    requireFloat("Tensor.sum")
    let c = contiguous()
    let out = Tensor(Float(sumContiguous(c.data, c.count)))
    let inShape = shape
    return out.recorded("sum", [self]) { g in [g.reshape([]).expand(inShape)] }
  }

  /// Mean of all elements, as a 0-d tensor.
  public func mean() -> Tensor {
    precondition(count > 0, "Tensor.mean: empty tensor")
    return sum().div(Float(count))
  }

  /// Sum along `dim`.
  public func sum(_ dim: Int, keepdim: Bool = false) -> Tensor {
    requireFloat("Tensor.sum")
    let d = Shape.normalize(dim, rank: rank, "Tensor.sum")
    let (outer, n, inner) = axisSplit(d)
    let c = contiguous()
    let out = Tensor(uninitializedShape: reducedShape(d, keepdim: keepdim))
    sumAxis(c.data, outer, n, inner, out.data)
    let inShape = shape
    return out.recorded("sum", [self]) { g in
      // A 0-d input's sum along its only "dimension" is the identity.
      inShape.isEmpty ? [g.reshape([])] : [(keepdim ? g : g.unsqueeze(d)).expand(inShape)]
    }
  }

  /// Sum along several dimensions.
  public func sum(_ dims: [Int], keepdim: Bool = false) -> Tensor {
    let ds = Set(dims.map { Shape.normalize($0, rank: rank, "Tensor.sum") }).sorted(by: >)
    var t = self
    for d in ds { t = t.sum(d, keepdim: keepdim) }
    return t
  }

  /// Mean along `dim`.
  public func mean(_ dim: Int, keepdim: Bool = false) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, "Tensor.mean")
    precondition(sizeAlong(d) > 0, "Tensor.mean: empty dimension \(dim)")
    return sum(d, keepdim: keepdim).div(Float(sizeAlong(d)))
  }

  /// Mean along several dimensions.
  public func mean(_ dims: [Int], keepdim: Bool = false) -> Tensor {
    let ds = Set(dims.map { Shape.normalize($0, rank: rank, "Tensor.mean") })
    let n = ds.reduce(1) { $0 * sizeAlong($1) }
    return sum(Array(ds), keepdim: keepdim).div(Float(n))
  }

  /// Variance along `dim` (unbiased by default, as PyTorch).
  public func variance(_ dim: Int, unbiased: Bool = true, keepdim: Bool = false) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, "Tensor.var")
    let n = sizeAlong(d) - (unbiased ? 1 : 0)
    precondition(n > 0, "Tensor.var: not enough elements along dimension \(dim)")
    let centered = sub(mean(d, keepdim: true))
    return centered.mul(centered).sum(d, keepdim: keepdim).div(Float(n))
  }

  /// Variance of all elements.
  public func variance(unbiased: Bool = true) -> Tensor {
    let n = count - (unbiased ? 1 : 0)
    precondition(n > 0, "Tensor.var: not enough elements")
    let centered = sub(mean())
    return centered.mul(centered).sum().div(Float(n))
  }

  /// Standard deviation along `dim`.
  public func std(_ dim: Int, unbiased: Bool = true, keepdim: Bool = false) -> Tensor {
    variance(dim, unbiased: unbiased, keepdim: keepdim).sqrt()
  }

  /// Standard deviation of all elements.
  public func std(unbiased: Bool = true) -> Tensor { variance(unbiased: unbiased).sqrt() }

  /// Largest values along `dim` and their int32 positions (first on ties); gradient goes to those positions.
  public func max(_ dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) { extremum(dim, keepdim, true) }
  /// Smallest values along `dim` and their positions.
  public func min(_ dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) { extremum(dim, keepdim, false) }
  /// Positions of the largest values along `dim` (int32).
  public func argmax(_ dim: Int, keepdim: Bool = false) -> Tensor { extremum(dim, keepdim, true).indices }
  /// Positions of the smallest values along `dim` (int32).
  public func argmin(_ dim: Int, keepdim: Bool = false) -> Tensor { extremum(dim, keepdim, false).indices }

  /// Largest element (0-d).
  public func max() -> Tensor { flatten().max(0).values }
  /// Smallest element (0-d).
  public func min() -> Tensor { flatten().min(0).values }
  /// Flat position of the largest element (0-d int32).
  public func argmax() -> Tensor { flatten().argmax(0) }
  /// Flat position of the smallest element (0-d int32).
  public func argmin() -> Tensor { flatten().argmin(0) }

  func extremum(_ dim: Int, _ keepdim: Bool, _ isMax: Bool) -> (values: Tensor, indices: Tensor) {
    requireFloat(isMax ? "Tensor.max" : "Tensor.min")
    let d = Shape.normalize(dim, rank: rank, isMax ? "Tensor.max" : "Tensor.min")
    let (outer, n, inner) = axisSplit(d)
    precondition(n > 0, "\(isMax ? "Tensor.max" : "Tensor.min"): empty dimension \(dim)")
    let c = contiguous()
    let oshape = reducedShape(d, keepdim: keepdim)
    let values = Tensor(uninitializedShape: oshape), indices = Tensor(uninitializedShape: oshape, dtype: .int32)
    let x = c.data, v = values.data, ix = indices.intData
    for o in 0..<outer {
      for i in 0..<inner {
        var best = x[o * n * inner + i], at = 0
        for k in 1..<Swift.max(n, 1) {
          let e = x[(o * n + k) * inner + i]
          if isMax ? (e > best || (e.isNaN && !best.isNaN)) : (e < best || (e.isNaN && !best.isNaN)) { best = e; at = k }
        }
        v[o * inner + i] = best
        ix[o * inner + i] = Int32(at)
      }
    }
    let inShape = shape
    values.recorded(isMax ? "max" : "min", [self]) { g in
      let z = Tensor.zeros(inShape)
      let ix = indices.intData  // captures `indices` so they outlive this call
      let gc = g.contiguous()
      let zp = z.data, gp = gc.data
      for o in 0..<outer { for i in 0..<inner { zp[(o * n + Int(ix[o * inner + i])) * inner + i] += gp[o * inner + i] } }
      return [z]
    }
    return (values, indices)
  }

  /// Sums broadcast dimensions away so a gradient matches an input of shape `target`.
  public func sumTo(_ target: [Int]) -> Tensor {
    if shape == target { return self }
    let lead = rank - target.count
    precondition(lead >= 0, "Tensor.sumTo: cannot reduce \(Shape.describe(shape)) to \(Shape.describe(target))")
    var dims: [Int] = Array(0..<lead)
    for i in 0..<target.count where target[i] == 1 && shape[lead + i] != 1 { dims.append(lead + i) }
    var t = self
    for d in dims.reversed() { t = t.sum(d, keepdim: true) }
    return t.reshape(target)
  }
}

/// Sum of a contiguous run: 8 Float lanes per block, blocks added in Double.
func sumContiguous(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
  var total = 0.0
  var start = 0
  while start < n {
    let end = min(start + 4096, n)
    total += Double(sumRun(p + start, end - start))
    start = end
  }
  return total
}

@inline(__always)
func sumRun(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
  var acc = SIMD8<Float>(repeating: 0)
  var i = 0
  let raw = UnsafeRawPointer(p)
  while i + 8 <= n {
    acc += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
    i += 8
  }
  var s = acc.sum()
  while i < n { s += p[i]; i += 1 }
  return s
}

/// out[o, i] = Σ_k x[o, k, i].
func sumAxis(_ x: UnsafePointer<Float>, _ outer: Int, _ n: Int, _ inner: Int, _ out: UnsafeMutablePointer<Float>) {
  if inner == 1 {
    Parallel.forRange(outer, work: outer * n) { r in
      for o in r { out[o] = Float(sumContiguous(x + o * n, n)) }
    }
    return
  }
  Parallel.forRange(outer, work: outer * n * inner) { r in
    for o in r {
      let dst = out + o * inner
      if n == 0 { dst.update(repeating: 0, count: inner); continue }
      let src = x + o * n * inner
      dst.update(from: src, count: inner)
      for k in 1..<n {
        let row = src + k * inner
        for i in 0..<inner { dst[i] += row[i] }
      }
    }
  }
}
