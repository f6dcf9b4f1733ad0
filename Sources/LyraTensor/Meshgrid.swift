/// Coordinate grids from 1-D tensors (`torch.meshgrid`).
extension Tensor {
  /// For n 1-D tensors, n tensors of the grid's shape where the i-th varies along
  /// dimension i ('ij' indexing, the default in Torch) or, with `xy`, with the first two
  /// dimensions swapped (NumPy's Cartesian indexing). Each result is contiguous (a copy,
  /// unless it is the input itself) and recorded, so gradients sum back to the inputs.
  public static func meshgrid(_ tensors: [Tensor], xy: Bool = false) -> [Tensor] {
    for t in tensors { precondition(t.rank <= 1, "Tensor.meshgrid: expects 0-d or 1-d tensors, got \(Shape.describe(t.shape))") }
    var sizes = tensors.map { $0.count }
    if xy && sizes.count >= 2 { sizes.swapAt(0, 1) }
    return tensors.enumerated().map { i, t in
      var at = i
      if xy && tensors.count >= 2 && i < 2 { at = 1 - i }
      var view = [Int](repeating: 1, count: sizes.count)
      view[at] = t.count
      return t.reshape(view).expand(sizes).contiguous()
    }
  }
}
