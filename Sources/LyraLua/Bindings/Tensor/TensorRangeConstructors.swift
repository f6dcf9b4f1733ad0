import LyraBase
import LyraTensor

/// `lyra.range` (Torch7's inclusive range), `lyra.logspace` and `lyra.meshgrid`.
enum TensorRangeConstructors {
  static var all: [LuaMethod] {
    [
      LuaMethod("range", help: "lyra.range(a, b [, step = 1]) -> tensor\nTorch7's range: a, a+step, ... up to and including b (a float tensor; lyra.range(1, 3) is {1, 2, 3}). lyra.arange excludes its end, as PyTorch.") { call in
        let a = try call.number(1), b = try call.number(2), step = try call.optNumber(3, 1)
        guard a.isFinite, b.isFinite, step.isFinite, step != 0 else {
          throw LuaArgumentError(3, "need finite bounds and a non-zero step, got \(a), \(b), step \(step)")
        }
        guard (b - a) / step >= 0 else { throw LuaArgumentError(3, "step \(step) does not lead from \(a) to \(b) (its sign is wrong)") }
        guard (b - a) / step < 1e9 else { throw LuaFailure("range \(a) to \(b) by \(step) has more than 1e9 values") }
        let n = Tensor.rangeCount(a, b, step)
        try call.checkedAllocation([n], "range")
        TensorLua.push(Tensor.range(a, b, step), call.stack)
        return 1
      },
      LuaMethod("logspace", help: "lyra.logspace(start, stop, steps [, base = 10]) -> tensor\nsteps values base^v, v evenly spaced from start to stop inclusive.") { call in
        let start = try call.number(1), stop = try call.number(2)
        let n = try call.integer(3)
        guard n >= 1, n < 1 << 31 else { throw LuaArgumentError(3, "steps must be positive, got \(n)") }
        let base = try call.optNumber(4, 10)
        guard base > 0, base.isFinite else { throw LuaArgumentError(4, "base must be positive and finite, got \(base)") }
        try call.checkedAllocation([n], "logspace")
        TensorLua.push(Tensor.logspace(Float(start), Float(stop), n, base: Float(base)), call.stack)
        return 1
      },
      LuaMethod("meshgrid", help: "lyra.meshgrid(x1, x2, ... [, indexing = 'ij']) -> t1, t2, ...\nCoordinate grids from 1-D tensors (also given as one table {x1, x2, ...}): ti has size #xj along dimension j and varies along dimension i. 'xy' swaps the first two dimensions (NumPy's Cartesian indexing).") { call in
        var list: [Tensor] = []
        var next = 1
        if call.stack.type(1) == .table {
          list = try TensorConstructors.tensors(call, 1)
          next = 2
        } else {
          while next <= call.count, call.stack.type(Int32(next)) != .string {
            list.append(try TensorOps.floatTensor(call, next))  // as the table form (TensorConstructors.tensors)
            next += 1
          }
          guard !list.isEmpty else { throw call.expected(1, "lyra.Tensor or a table of tensors") }
        }
        let indexing = try call.optString(next, "ij")
        guard indexing == "ij" || indexing == "xy" else { throw LuaArgumentError(next, "indexing must be 'ij' or 'xy', got '\(indexing)'") }
        try call.noMoreArguments(after: next)
        for (k, t) in list.enumerated() where t.rank > 1 {
          throw LuaArgumentError(k + 1, "meshgrid takes 1-D tensors, tensor \(k + 1) has shape \(ShapeText.format(t.shape))")
        }
        guard list.count <= 64, call.stack.ensure(Int32(list.count)) else { throw LuaFailure("too many tensors (at most 64)") }
        try call.checkedAllocation([list.count] + list.map(\.count), "grids")
        let grids = Tensor.meshgrid(list, xy: indexing == "xy")
        for g in grids { TensorLua.push(g, call.stack) }
        return grids.count
      },
    ]
  }
}
