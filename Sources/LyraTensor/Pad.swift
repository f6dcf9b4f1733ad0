extension Tensor {
  /// Constant padding, PyTorch's `F.pad` order: `pads` holds (before, after) pairs
  /// starting from the last dimension, e.g. [left, right, top, bottom] for images.
  public func pad(_ pads: [Int], value: Float = 0) -> Tensor {
    precondition(pads.count % 2 == 0 && pads.count / 2 <= rank,
                 "Tensor.pad: expects pairs for at most \(rank) dimensions, got \(pads)")
    precondition(pads.allSatisfy { $0 >= 0 }, "Tensor.pad: negative padding \(pads) is not supported")
    var outShape = shape
    var ranges: [(Int, Int, Int)] = []  // (dim, before, size)
    for p in 0..<(pads.count / 2) {
      let d = rank - 1 - p
      outShape[d] += pads[2 * p] + pads[2 * p + 1]
      ranges.append((d, pads[2 * p], shape[d]))
    }
    let out = Tensor.full(outShape, value, dtype: dtype)
    var interior = out.detach()
    for (d, before, size) in ranges { interior = interior.narrow(d, before, size) }
    interior.copy_(self)
    return out.recorded("pad", [self]) { g in
      var v = g
      for (d, before, size) in ranges { v = v.narrow(d, before, size) }
      return [v]
    }
  }
}
