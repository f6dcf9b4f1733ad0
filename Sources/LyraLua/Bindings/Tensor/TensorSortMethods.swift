import LyraBase
import LyraTensor

/// Sorting and order statistics (sort, argsort, topk, kthvalue, median, mode), unique and
/// nonzero. Positions crossing the boundary are 1-based int tensors; values keep their
/// gradient (they are gathered from x at those positions).
enum TensorSortMethods {
  /// Argument `i` as a dimension of `x`, -1 (the last) when nil.
  static func lastDim(_ call: LuaCall, _ i: Int, _ x: Tensor) throws -> Int {
    try call.dim(i, rank: x.rank, default: Swift.max(x.rank - 1, 0), scalar: true)
  }

  /// Pushes values and 1-based positions.
  static func pushPair(_ r: (values: Tensor, indices: Tensor), _ call: LuaCall) -> Int {
    TensorLua.push(r.values, call.stack)
    TensorLua.push(TensorReduceMethods.oneBased(r.indices), call.stack)
    return 2
  }

  /// Argument `i` as a count k in `range`, named in the error.
  static func count(_ call: LuaCall, _ i: Int, _ range: ClosedRange<Int>, _ what: String) throws -> Int {
    let k = try call.integer(i)
    guard range.contains(k) else { throw LuaArgumentError(i, "k = \(k) out of range \(range.lowerBound)..\(range.upperBound) (\(what))") }
    return k
  }

  /// The size along `d` (a 0-d tensor is one line of one element).
  static func size(_ x: Tensor, _ d: Int) -> Int { x.rank == 0 ? 1 : x.shape[d] }

  /// A per-line order statistic (mode, kthvalue) needs at least one element per line.
  static func nonEmptyLine(_ x: Tensor, _ d: Int) throws {
    guard size(x, d) > 0 else { throw LuaFailure("dimension \(d + 1) is empty") }
  }

  static var all: [LuaMethod] {
    [
      LuaMethod("sort", help: "x:sort([dim = -1 [, descending = false]]) -> values, indices\nValues sorted along dim and their 1-based positions in x. Stable: equal values keep their order; NaN sorts above every number.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        return pushPair(x.sort(try lastDim(call, 2, x), descending: try call.optBool(3, false)), call)
      },
      LuaMethod("argsort", help: "x:argsort([dim = -1 [, descending = false]]) -> indices\nThe 1-based positions that sort x along dim (the indices of x:sort).") { call in
        let x = try TensorOps.floatTensor(call, 1)
        TensorLua.push(TensorReduceMethods.oneBased(x.argsort(try lastDim(call, 2, x), descending: try call.optBool(3, false))), call.stack)
        return 1
      },
      LuaMethod("topk", help: "x:topk(k [, dim = -1 [, largest = true [, sorted = true]]]) -> values, indices\nThe k largest (or, with largest = false, smallest) values along dim, always in sorted order, and their 1-based positions. Note: Torch7's topk returned the smallest by default; this follows PyTorch.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        let d = try lastDim(call, 3, x)
        let k = try count(call, 2, 0...size(x, d), "dimension \(d + 1) has \(size(x, d)) elements")
        let largest = try call.optBool(4, true)
        _ = try call.optBool(5, true) // results are always sorted, which `sorted = false` allows
        return pushPair(x.topk(k, dim: d, largest: largest), call)
      },
      LuaMethod("kthvalue", help: "x:kthvalue(k [, dim = -1 [, keepdim]]) -> values, indices\nThe k-th smallest value along dim (k counts from 1) and its 1-based position.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        let d = try lastDim(call, 3, x)
        try nonEmptyLine(x, d)
        let k = try count(call, 2, 1...size(x, d), "dimension \(d + 1) has \(size(x, d)) elements")
        return pushPair(x.kthvalue(k, dim: d, keepdim: try call.optBool(4, false)), call)
      },
      LuaMethod("median", help: "x:median([dim [, keepdim]]) -> tensor | values, indices\nThe lower median (of an even count, the smaller middle value, as PyTorch; no averaging): of all elements as a 0-d tensor, or along dim with 1-based positions. NaN where NaN is present.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        guard x.count > 0 else { throw LuaFailure("empty tensor: the median is undefined") }
        if call.isNil(2) {
          try call.noMoreArguments(after: 2, "keepdim needs a dim")
          TensorLua.push(x.median(), call.stack)
          return 1
        }
        let d = try call.dim(2, rank: x.rank, scalar: true)
        return pushPair(x.median(d, keepdim: try call.optBool(3, false)), call)
      },
      LuaMethod("mode", help: "x:mode([dim = -1 [, keepdim]]) -> values, indices\nThe most frequent value along dim (the smallest among equally frequent ones) and the 1-based position of its last occurrence.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        let d = try lastDim(call, 2, x)
        try nonEmptyLine(x, d)
        return pushPair(x.mode(d, keepdim: try call.optBool(3, false)), call)
      },
      LuaMethod("unique", help: "x:unique([sorted = true [, return_inverse = false [, return_counts = false]]]) -> values [, inverse] [, counts]\nThe distinct values of all elements, sorted (1-D); with return_inverse, for each element the 1-based position of its value (x's shape); with return_counts, how often each value occurs. Each NaN counts as distinct. No gradient.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        _ = try call.optBool(2, true) // always sorted, which `sorted = false` allows
        let inverse = try call.optBool(3, false), counts = try call.optBool(4, false)
        let r = x.unique()
        TensorLua.push(r.values, call.stack)
        if inverse { TensorLua.push(TensorReduceMethods.oneBased(r.inverse), call.stack) }
        if counts { TensorLua.push(r.counts, call.stack) }
        return 1 + (inverse ? 1 : 0) + (counts ? 1 : 0)
      },
      LuaMethod("nonzero", help: "x:nonzero() -> indices\nThe 1-based positions of the non-zero elements (NaN included) as an int tensor of n rows by x:dim() columns, in row-major order.") { call in
        let x = try TensorLua.check(call, 1)
        try call.checkedAllocation([x.count, Swift.max(x.rank, 1)], "positions")
        TensorLua.push(TensorReduceMethods.oneBased(x.nonzero()), call.stack)
        return 1
      },
    ]
  }
}
