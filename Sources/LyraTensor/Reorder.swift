/// Reordering and tiling: flip, roll, repeat (Torch7's repeatTensor), unfold. Built from
/// recorded ops where one serves (index_select, cat, expand), so their gradients come
/// with them; unfold is a view with a backward of its own (its windows may overlap).
extension Tensor {
  /// The order of elements reversed along each of `dims` (PyTorch's `flip`).
  public func flip(_ dims: [Int]) -> Tensor {
    let ds = dims.map { Shape.axis($0, rank: rank, "Tensor.flip") }
    precondition(Set(ds).count == ds.count, "Tensor.flip: repeated dimension in \(dims)")
    var out = self
    for d in ds {
      let n = shape[d]
      out = out.indexSelect(d, Tensor(indices: (0..<n).reversed().map { $0 }))
    }
    return out
  }

  /// Elements shifted by `shifts[i]` along `dims[i]`, wrapping around (PyTorch's `roll`);
  /// with no dims the flattened tensor is rolled and the shape restored.
  public func roll(_ shifts: [Int], _ dims: [Int]) -> Tensor {
    if dims.isEmpty {
      precondition(shifts.count == 1, "Tensor.roll: one shift without dims, got \(shifts.count)")
      return reshape([-1]).roll(shifts, [0]).reshape(shape)
    }
    precondition(shifts.count == dims.count, "Tensor.roll: \(shifts.count) shifts for \(dims.count) dims")
    var out = self
    for (s, dim) in zip(shifts, dims) {
      let d = Shape.axis(dim, rank: rank, "Tensor.roll")
      let n = shape[d]
      guard n > 0 else { continue }
      let k = ((s % n) + n) % n
      if k == 0 { continue }
      out = Tensor.cat([out.narrow(d, n - k, k), out.narrow(d, 0, n - k)], dim: d)
    }
    return out
  }

  /// The tensor tiled `repeats[i]` times along dimension i (PyTorch's `repeat`, Torch7's
  /// `repeatTensor`); more repeats than dimensions add leading dimensions.
  public func repeatTiled(_ repeats: [Int]) -> Tensor {
    precondition(repeats.count >= rank, "Tensor.repeat: \(repeats.count) repeats for a \(rank)-D tensor")
    precondition(repeats.allSatisfy { $0 >= 0 }, "Tensor.repeat: negative repeat in \(repeats)")
    let full = [Int](repeating: 1, count: repeats.count - rank) + shape
    // [s0, s1] -> [1, s0, 1, s1] -> expand [r0, s0, r1, s1] -> [r0*s0, r1*s1]
    let interleaved = full.flatMap { [1, $0] }
    let expanded = zip(repeats, full).flatMap { [$0, $1] }
    return reshape(interleaved).expand(expanded).contiguous().reshape(zip(repeats, full).map { $0 * $1 })
  }

  /// Windows of `size` elements every `step` along `dim`, as a new last dimension (a
  /// view, PyTorch's `unfold`): dimension `dim` becomes the window count.
  public func unfold(_ dim: Int, _ size: Int, _ step: Int) -> Tensor {
    let d = Shape.axis(dim, rank: rank, "Tensor.unfold")
    precondition(size >= 0 && size <= shape[d] && step > 0,
                 "Tensor.unfold: size \(size) must be in 0...\(shape[d]) and step \(step) positive")
    // A step past the dimension gives one window, as does n + 1; clamping keeps the
    // stride product below from overflowing on a step of 2^62.
    let step = Swift.min(step, shape[d] + 1)
    let windows = (shape[d] - size) / step + 1
    var sh = shape, st = strides
    sh[d] = windows
    st[d] = strides[d] * step
    sh.append(size)
    st.append(strides[d])
    let inShape = shape, r = rank
    return makeView(sh, st, offset).recorded("unfold", [self]) { g in
      let z = Tensor.zeros(inShape)
      // The window axis (last) goes back to position d before adding each window in.
      var perm = Array(0..<(r - 1))
      perm.insert(r - 1, at: d)
      for k in 0..<windows {
        z.narrow(d, k * step, size).add_(g.select(d, k).permute(perm))
      }
      return [z]
    }
  }
}
