/// The distinct values of a tensor (`torch.unique` over all elements, sorted).
extension Tensor {
  /// The sorted distinct values (1-D), for every element the position of its value in
  /// them (`inverse`, int32, self's shape) and how often each occurs (`counts`, int32).
  /// NaN never equals NaN, so each NaN is its own value (placed last), as in PyTorch.
  public func unique() -> (values: Tensor, inverse: Tensor, counts: Tensor) {
    let x = (dtype == .float32 ? self : float()).contiguous()
    let n = x.count
    let order = Tensor.stableOrder(Line(p: x.data, n: n, stride: 1), descending: false)
    var values: [Float] = [], counts: [Int] = []
    var inverse = [Int](repeating: 0, count: n)
    for i in order {
      let v = x.data[i]
      if let last = values.last, last == v { counts[counts.count - 1] += 1 } else { values.append(v); counts.append(1) }
      inverse[i] = values.count - 1
    }
    return (Tensor(values), Tensor(indices: inverse, shape: shape), Tensor(indices: counts))
  }
}
