/// Sorting and order statistics along one dimension: sort, argsort, topk, kthvalue,
/// median, mode. Positions are 0-based int32 tensors here (the Lua layer adds 1).
///
/// Every sort is stable (equal values keep their order, descending too), and NaN sorts
/// above every number, as in PyTorch. Values are taken from the input with `gather` at
/// the chosen positions, so their gradient flows back to exactly those elements.
extension Tensor {
  /// Whether `a` comes before `b` in ascending order (NaN last).
  @inline(__always) static func ascends(_ a: Float, _ b: Float) -> Bool { b.isNaN ? !a.isNaN : a < b }

  /// The stable sorting permutation of one line (0-based positions).
  static func stableOrder(_ x: Line, descending: Bool) -> [Int] {
    let v = (0..<x.n).map { x[$0] }
    return (0..<x.n).sorted { i, j in
      let (a, b) = descending ? (v[j], v[i]) : (v[i], v[j])
      if ascends(a, b) { return true }
      if ascends(b, a) { return false }
      return i < j
    }
  }

  /// Values sorted along `dim` and the positions they came from.
  public func sort(_ dim: Int = -1, descending: Bool = false) -> (values: Tensor, indices: Tensor) {
    requireFloat("Tensor.sort")
    if rank == 0 { return (clone(), Tensor(indices: [0], shape: [])) }
    let d = Shape.normalize(dim, rank: rank, "Tensor.sort")
    let ls = lines(d), c = contiguous()
    let idx = Tensor(uninitializedShape: shape, dtype: .int32)
    for l in 0..<ls.count {
      let b = ls.base(l, size: ls.n)
      let order = Tensor.stableOrder(Line(p: c.data + b, n: ls.n, stride: ls.inner), descending: descending)
      for (k, i) in order.enumerated() { idx.intData[b + k * ls.inner] = Int32(i) }
    }
    return (gather(d, idx), idx)
  }

  /// The positions that sort `dim` (`sort(...).indices`).
  public func argsort(_ dim: Int = -1, descending: Bool = false) -> Tensor { Tensor.noGrad { sort(dim, descending: descending).indices } }

  /// The `k` largest (or smallest) values along `dim`, in sorted order, and their positions.
  public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) -> (values: Tensor, indices: Tensor) {
    let n = rank == 0 ? 1 : shape[Shape.normalize(dim, rank: rank, "Tensor.topk")]
    precondition(k >= 0 && k <= n, "Tensor.topk: k = \(k) out of range 0...\(n)")
    if rank == 0 { return k == 1 ? (clone(), Tensor(indices: [0], shape: [])) : (Tensor.empty([0]), Tensor.empty([0], dtype: .int32)) }
    let d = Shape.normalize(dim, rank: rank, "Tensor.topk")
    let idx = Tensor.noGrad { sort(d, descending: largest).indices }.narrow(d, 0, k).contiguous()
    return (gather(d, idx), idx)
  }

  /// The k-th smallest value along `dim` (k counts from 1, as in PyTorch) and its position.
  public func kthvalue(_ k: Int, dim: Int = -1, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    linePick("kthvalue", dim, keepdim: keepdim) { x in
      precondition(k >= 1 && k <= x.n, "Tensor.kthvalue: k = \(k) out of range 1...\(x.n)")
      return Tensor.stableOrder(x, descending: false)[k - 1]
    }
  }

  /// The lower median along `dim` (the ((n+1)/2)-th smallest, as PyTorch: no averaging of
  /// the middle two), or NaN where the line holds one.
  public func median(_ dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    linePick("median", dim, keepdim: keepdim) { x in
      precondition(x.n > 0, "Tensor.median: empty dimension")
      let order = Tensor.stableOrder(x, descending: false)
      // NaNs sort last, so the first of them follows the last number.
      if x[order[x.n - 1]].isNaN, let nan = order.first(where: { x[$0].isNaN }) { return nan }
      return order[(x.n - 1) / 2]
    }
  }

  /// The lower median of every element, as a 0-d tensor.
  public func median() -> Tensor {
    precondition(count > 0, "Tensor.median: empty tensor")
    return reshape([count]).median(0).values
  }

  /// The most frequent value along `dim` (the smallest of equally frequent ones) and the
  /// position of its last occurrence (PyTorch's CPU choice).
  public func mode(_ dim: Int = -1, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    linePick("mode", dim, keepdim: keepdim) { x in
      precondition(x.n > 0, "Tensor.mode: empty dimension")
      let order = Tensor.stableOrder(x, descending: false)
      var best = order[0], bestRun = 0, run = 0
      for k in 0..<x.n {
        run = k > 0 && x[order[k]] == x[order[k - 1]] ? run + 1 : 1
        // A longer run only: of equally long runs the first (smallest value) wins, and
        // as the order is stable the run's last element is the value's last occurrence.
        if run > bestRun { best = order[k]; bestRun = run }
      }
      return best
    }
  }

  /// One position per line along `dim`, chosen by `choose`, and the values there.
  func linePick(_ name: String, _ dim: Int, keepdim: Bool, _ choose: (Line) -> Int) -> (values: Tensor, indices: Tensor) {
    requireFloat("Tensor.\(name)")
    if rank == 0 {
      let r = reshape([1]).linePick(name, 0, keepdim: true, choose)
      return (r.values.reshape([]), r.indices.reshape([]))
    }
    let d = Shape.normalize(dim, rank: rank, "Tensor.\(name)")
    let ls = lines(d), c = contiguous()
    var kept = shape
    kept[d] = 1
    let idx = Tensor(uninitializedShape: kept, dtype: .int32)
    for l in 0..<ls.count {
      idx.intData[ls.base(l, size: 1)] = Int32(choose(Line(p: c.data + ls.base(l, size: ls.n), n: ls.n, stride: ls.inner)))
    }
    let values = gather(d, idx)
    return keepdim ? (values, idx) : (values.squeeze(d), idx.squeeze(d))
  }
}
