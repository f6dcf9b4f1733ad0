import LyraBase
import LyraTensor

/// Splitting, reordering and tiling: chunk, split, flip, roll, unfold, repeat (and
/// Torch7's repeatTensor), expand_as, view_as. Dimensions are 1-based.
enum TensorReorderMethods {
  /// Integers from argument `first`: one table, or the numbers up to the last argument.
  static func integers(_ call: LuaCall, from first: Int, _ what: String) throws -> [Int] {
    if call.stack.type(Int32(first)) == .table {
      let v = try TensorShapeMethods.negOneSizes(call, first)
      try call.noMoreArguments(after: first, "the \(what) were given as a table")
      return v
    }
    guard first <= call.count else { return [] }
    return try (first...call.count).map { try call.integer($0) }
  }

  /// Argument `i` as one integer or a table of integers.
  static func integerList(_ call: LuaCall, _ i: Int) throws -> [Int] {
    call.stack.type(Int32(i)) == .table ? try TensorShapeMethods.negOneSizes(call, i) : [try call.integer(i)]
  }

  /// 1-based dimensions (negative from the end) as 0-based, named in errors as argument `i`.
  static func dims(_ values: [Int], _ x: Tensor, argument i: Int) throws -> [Int] {
    try values.map { v in
      guard x.rank > 0, let o = TensorIndexing.offset(v, size: x.rank) else {
        throw LuaArgumentError(i, "dimension \(v) out of range for a \(x.rank)-D tensor")
      }
      return o
    }
  }

  static func pushList(_ call: LuaCall, _ parts: [Tensor]) {
    call.stack.push(.table(array: [], fields: [:]))
    for (k, t) in parts.enumerated() {
      TensorLua.push(t, call.stack)
      call.stack.rawSet(-2, index: k + 1)
    }
  }

  static func repeatMethod(_ name: String, _ help: String) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let x = try TensorLua.check(call, 1)
      let reps = try integers(call, from: 2, "repeats")
      guard reps.count >= x.rank else { throw LuaArgumentError(2, "\(reps.count) repeat\(reps.count == 1 ? "" : "s") for a \(x.rank)-D tensor; give at least one per dimension") }
      guard reps.count <= 64, reps.allSatisfy({ $0 >= 0 }) else { throw LuaArgumentError(2, "repeats must be non-negative integers (at most 64)") }
      let full = [Int](repeating: 1, count: reps.count - x.rank) + x.shape
      var out: [Int] = []
      for (r, s) in zip(reps, full) {
        let (v, o) = r.multipliedReportingOverflow(by: s)
        guard !o else { throw LuaFailure("repeating \(ShapeText.format(x.shape)) by \(ShapeText.format(reps)) is too large") }
        out.append(v)
      }
      try call.checkedAllocation(out, "repeated tensor")
      TensorLua.push(x.repeatTiled(reps), call.stack)
      return 1
    }
  }

  static var all: [LuaMethod] {
    [
      LuaMethod("chunk", help: "x:chunk(n [, dim = 1]) -> {tensors}\nSplits x into n nearly equal views along dim (each ceil(size / n) long, the last shorter; fewer than n when the size is small).\nDifferentiable, like every view.") { call in
        let x = try TensorLua.check(call, 1)
        let n = try call.integer(2)
        guard n >= 1 else { throw LuaArgumentError(2, "the number of chunks must be positive, got \(n)") }
        let d = try call.dim(3, rank: x.rank, default: 0)
        pushList(call, x.chunk(Swift.min(n, Swift.max(x.shape[d], 1)), dim: d))
        return 1
      },
      LuaMethod("split", help: "x:split(size | {sizes}, [dim = 1]) -> {tensors}\nViews of size elements along dim (the last may be shorter), or of the listed sizes, which must add up to the dimension.\nDifferentiable, like every view.") { call in
        let x = try TensorLua.check(call, 1)
        let d = try call.dim(3, rank: x.rank, default: 0)
        if call.stack.type(2) == .table {
          let sizes = try TensorShapeMethods.negOneSizes(call, 2)
          guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, { $0 &+ $1 }) == x.shape[d], sizes.count <= 1 << 20 else {
            throw LuaArgumentError(2, "sizes \(ShapeText.format(sizes)) must be non-negative and add up to \(x.shape[d]), the size of dimension \(d + 1)")
          }
          pushList(call, x.split(sizes: sizes, dim: d))
        } else {
          let size = try call.integer(2)
          guard size >= 1 else { throw LuaArgumentError(2, "split size must be positive, got \(size)") }
          pushList(call, x.split(Swift.min(size, Swift.max(x.shape[d], 1)), dim: d))
        }
        return 1
      },
      LuaMethod("flip", help: "x:flip(dims...) -> tensor\nA copy with the order of elements reversed along each given dimension: x:flip(1), x:flip(1, 2) or x:flip{1, 2}.\nDifferentiable.") { call in
        let x = try TensorLua.check(call, 1)
        let ds = try dims(try integers(call, from: 2, "dimensions"), x, argument: 2)
        guard !ds.isEmpty else { throw LuaArgumentError(2, "give the dimensions to flip, e.g. x:flip(1)") }
        guard Set(ds).count == ds.count else { throw LuaArgumentError(2, "a dimension is listed twice") }
        TensorLua.push(x.flip(ds), call.stack)
        return 1
      },
      LuaMethod("roll", help: "x:roll(shifts [, dims]) -> tensor\nElements shifted by shifts along dims, those pushed off the end coming back at the start.\nshifts and dims are numbers or equally long tables; without dims x is rolled as if flattened. Differentiable.") { call in
        let x = try TensorLua.check(call, 1)
        let shifts = try integerList(call, 2)
        guard !shifts.isEmpty else { throw LuaArgumentError(2, "give at least one shift") }
        if call.isNil(3) {
          guard shifts.count == 1 else { throw LuaArgumentError(2, "without dims give one shift, got \(shifts.count)") }
          TensorLua.push(x.rank == 0 ? x.clone() : x.roll(shifts, []), call.stack)
          return 1
        }
        let ds = try dims(try integerList(call, 3), x, argument: 3)
        guard ds.count == shifts.count else { throw LuaArgumentError(3, "\(ds.count) dims for \(shifts.count) shifts") }
        TensorLua.push(x.roll(shifts, ds), call.stack)
        return 1
      },
      LuaMethod("unfold", help: "x:unfold(dim, size, step) -> tensor\nEvery window of size elements along dim, step apart, as a view: dim becomes the window count and a last dimension of size is added.\nDifferentiable (overlapping windows add their gradients).") { call in
        let x = try TensorLua.check(call, 1)
        let d = try call.dim(2, rank: x.rank)
        let size = try call.integer(3), step = try call.integer(4)
        guard size >= 0, size <= x.shape[d] else { throw LuaArgumentError(3, "window size \(size) must be in 0..\(x.shape[d]), the size of dimension \(d + 1)") }
        guard step >= 1 else { throw LuaArgumentError(4, "step must be positive, got \(step)") }
        var shape = x.shape
        shape[d] = (x.shape[d] - size) / step + 1
        shape.append(size)
        try call.checkedAllocation(shape, "unfolded view")
        TensorLua.push(x.unfold(d, size, step), call.stack)
        return 1
      },
      repeatMethod("repeat", "x:repeat(sizes...) -> tensor\nx tiled sizes[i] times along dimension i (PyTorch's repeat; extra sizes add leading dimensions): a copy.\nrepeat is a Lua keyword, so x:repeat(2, 3) does not parse: write x:repeatTensor(2, 3), the same method. Differentiable."),
      repeatMethod("repeatTensor", "x:repeatTensor(sizes...) -> tensor\nTorch7's name for repeat: x tiled sizes[i] times along dimension i (extra sizes add leading dimensions).\nDifferentiable."),
      LuaMethod("expand_as", help: "x:expand_as(y) -> tensor\nx expanded (without copying) to y's shape; x's sizes must be 1 or equal to y's.") { call in
        let x = try TensorLua.check(call, 1), y = try TensorLua.check(call, 2)
        guard y.rank >= x.rank, Shape.broadcast(x.shape, y.shape) == y.shape else {
          throw LuaArgumentError(2, "cannot expand \(ShapeText.format(x.shape)) to \(ShapeText.format(y.shape)): sizes must be 1 or equal")
        }
        TensorLua.push(x.expandAs(y), call.stack)
        return 1
      },
      LuaMethod("view_as", help: "x:view_as(y) -> tensor\nx's data with y's shape (same element count; x must be contiguous, see x:reshape).") { call in
        let x = try TensorLua.check(call, 1), y = try TensorLua.check(call, 2)
        guard x.count == y.count else { throw LuaArgumentError(2, "shape \(ShapeText.format(y.shape)) has \(y.count) elements, x has \(x.count)") }
        guard x.isContiguous else { throw LuaFailure("tensor is not contiguous; use x:reshape(y:size()) or x:contiguous():view_as(y)") }
        TensorLua.push(x.view(y.shape), call.stack)
        return 1
      },
    ]
  }
}
