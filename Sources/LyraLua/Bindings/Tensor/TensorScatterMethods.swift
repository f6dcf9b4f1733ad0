import LyraBase
import LyraTensor

/// Writing by index: scatter, scatter_add, index_add, index_fill, each with an in-place
/// `_` form (gather and index_select, their readers, are in TensorReduceMethods). Index
/// positions are 1-based, as everywhere at the Lua boundary.
enum TensorScatterMethods {
  /// The checked arguments of scatter/scatter_add: dim, 0-based index, and src (a tensor,
  /// or nil with `allowValue` when argument 4 is a number).
  static func scatterArguments(_ call: LuaCall, _ x: Tensor, allowValue: Bool) throws -> (Int, Tensor, Tensor?) {
    guard x.rank > 0 else { throw LuaFailure("cannot scatter into a 0-d tensor") }
    let d = try call.dim(2, rank: x.rank)
    let idx = try TensorReduceMethods.zeroBasedIndices(call, 3, size: x.shape[d])
    guard idx.rank == x.rank else { throw LuaArgumentError(3, "index must have \(x.rank) dimensions like the tensor, got \(ShapeText.format(idx.shape))") }
    for k in 0..<x.rank where k != d && idx.shape[k] > x.shape[k] {
      throw LuaArgumentError(3, "index size \(idx.shape[k]) exceeds the tensor's \(x.shape[k]) in dimension \(k + 1)")
    }
    if allowValue && call.stack.type(4) == .number { return (d, idx, nil) }
    let src = try TensorOps.floatTensor(call, 4)
    guard src.rank == x.rank, zip(idx.shape, src.shape).allSatisfy({ $0 <= $1 }) else {
      throw LuaArgumentError(4, "src \(ShapeText.format(src.shape)) must have \(x.rank) dimensions, each at least the index's \(ShapeText.format(idx.shape))")
    }
    return (d, idx, src)
  }

  /// The checked arguments of index_add/index_fill: dim and a 1-D 0-based index.
  static func indexArguments(_ call: LuaCall, _ x: Tensor) throws -> (Int, Tensor) {
    guard x.rank > 0 else { throw LuaFailure("cannot index a 0-d tensor") }
    let d = try call.dim(2, rank: x.rank)
    let idx = try TensorReduceMethods.zeroBasedIndices(call, 3, size: x.shape[d])
    guard idx.rank <= 1 else { throw LuaArgumentError(3, "index must be 1-D, got \(ShapeText.format(idx.shape))") }
    return (d, idx.reshape([-1]))
  }

  static func indexAddSource(_ call: LuaCall, _ x: Tensor, _ d: Int, _ idx: Tensor) throws -> Tensor {
    let src = try TensorOps.floatTensor(call, 4)
    var want = x.shape
    want[d] = idx.count
    guard src.shape == want else {
      throw LuaArgumentError(4, "source must have shape \(ShapeText.format(want)) (the tensor's, with \(idx.count) along dim \(d + 1)), got \(ShapeText.format(src.shape))")
    }
    return src
  }

  /// `x:name_` on a float tensor that may be changed in place.
  static func floatMutable(_ call: LuaCall, _ name: String) throws -> Tensor {
    let x = try TensorInPlaceMethods.mutable(call)
    guard x.dtype == .float32 else { throw LuaFailure("\(name) needs a float tensor; use x:float():\(name)(...)") }
    return x
  }

  static func scatter(_ name: String, add: Bool, inPlace: Bool) -> LuaMethod {
    let help = add
      ? "x:\(name)(dim, index, src) -> \(inPlace ? "x" : "tensor")\n\(inPlace ? "In place: " : "")x[...][index[i][j]][...] += src[i][j] along dim (repeated positions add up).\nindex: 1-based, x's rank, no larger than src anywhere nor than x outside dim.\(inPlace ? "" : " Differentiable for x and src.")"
      : "x:\(name)(dim, index, src | value) -> \(inPlace ? "x" : "tensor")\n\(inPlace ? "In place: " : "")x[...][index[i][j]][...] = src[i][j] along dim (for dim 2: out[i][index[i][j]] = src[i][j]), or value everywhere index points.\nindex: 1-based, x's rank, no larger than src anywhere nor than x outside dim; where a position repeats, the last write wins.\(inPlace ? "" : " Differentiable for x and src.")"
    return LuaMethod(name, help: help) { call in
      let x = inPlace ? try floatMutable(call, name) : try TensorOps.floatTensor(call, 1)
      let (d, idx, src) = try scatterArguments(call, x, allowValue: !add)
      if let src {
        if inPlace { add ? x.scatterAdd_(d, idx, src) : x.scatter_(d, idx, src) } else {
          TensorLua.push(add ? x.scatterAdd(d, idx, src) : x.scatter(d, idx, src), call.stack)
          return 1
        }
      } else {
        let v = Float(try call.number(4))
        if inPlace { x.scatter_(d, idx, value: v) } else {
          TensorLua.push(x.scatter(d, idx, value: v), call.stack)
          return 1
        }
      }
      call.stack.setTop(1)
      return 1
    }
  }

  static var all: [LuaMethod] {
    [
      scatter("scatter", add: false, inPlace: false), scatter("scatter_", add: false, inPlace: true),
      scatter("scatter_add", add: true, inPlace: false), scatter("scatter_add_", add: true, inPlace: true),
      LuaMethod("index_add", help: "x:index_add(dim, index, source [, alpha = 1]) -> tensor\nA copy of x with alpha * source's j-th slice added to slice index[j] along dim (1-based; repeats add up).\nsource has x's shape except #index along dim. Differentiable for x and source.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        let (d, idx) = try indexArguments(call, x)
        TensorLua.push(x.indexAdd(d, idx, try indexAddSource(call, x, d, idx), alpha: Float(try call.optNumber(5, 1))), call.stack)
        return 1
      },
      LuaMethod("index_add_", help: "x:index_add_(dim, index, source [, alpha = 1]) -> x\nIn place: adds alpha * source's j-th slice to slice index[j] of x along dim (1-based).") { call in
        let x = try floatMutable(call, "index_add_")
        let (d, idx) = try indexArguments(call, x)
        x.indexAdd_(d, idx, try indexAddSource(call, x, d, idx), alpha: Float(try call.optNumber(5, 1)))
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("index_fill", help: "x:index_fill(dim, index, value) -> tensor\nA copy of x with the slices at the 1-based positions in index along dim set to value.\nDifferentiable: the gradient passes outside the filled slices.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        let (d, idx) = try indexArguments(call, x)
        TensorLua.push(x.indexFill(d, idx, Float(try call.number(4))), call.stack)
        return 1
      },
      LuaMethod("index_fill_", help: "x:index_fill_(dim, index, value) -> x\nIn place: sets the slices at the 1-based positions in index along dim to value (Torch7's indexFill).") { call in
        let x = try floatMutable(call, "index_fill_")
        let (d, idx) = try indexArguments(call, x)
        x.indexFill_(d, idx, Float(try call.number(4)))
        call.stack.setTop(1)
        return 1
      },
    ]
  }
}
