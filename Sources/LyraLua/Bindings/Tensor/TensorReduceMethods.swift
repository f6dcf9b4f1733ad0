import CLua
import LyraBase
import LyraTensor

/// Reductions, products, softmax and index-based ops. Index values crossing the
/// boundary are 1-based (argmax returns 1..n; index_select takes 1..n).
enum TensorReduceMethods {
  /// A reduction over all elements (no dim) or one dim with optional keepdim.
  /// `minimum` is the number of elements the reduction needs (1 for a mean, 2 for an
  /// unbiased variance).
  static func reduction(_ name: String, _ help: String, minimum: Int = 0, all: @escaping (Tensor) -> Tensor,
                        along: @escaping (Tensor, Int, Bool) -> Tensor) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let x = try TensorOps.floatTensor(call, 1)
      if call.isNil(2) {
        guard x.count >= minimum else { throw LuaFailure("needs at least \(minimum) element\(minimum == 1 ? "" : "s"), got \(x.count)") }
        TensorLua.push(all(x), call.stack)
      } else {
        let d = try call.dim(2, rank: x.rank, scalar: true)
        guard (x.rank == 0 ? 1 : x.shape[d]) >= minimum else {
          throw LuaFailure("needs at least \(minimum) element\(minimum == 1 ? "" : "s") along dimension \(d + 1)")
        }
        TensorLua.push(along(x, d, try call.optBool(3, false)), call.stack)
      }
      return 1
    }
  }

  /// maximum/minimum, for Torch7's `lyra.max(x, y)` / `x:min(y)` (a tensor second argument).
  static let elementwise: [String: LuaFunctionBody] = Dictionary(uniqueKeysWithValues:
    TensorMathMethods.all.filter { $0.name == "maximum" || $0.name == "minimum" }.map { ($0.name, $0.body) })

  /// max/min: over all → a 0-d tensor; along dim → values and 1-based indices.
  static func extremum(_ name: String, _ isMax: Bool) -> LuaMethod {
    LuaMethod(name, help: "x:\(name)([dim [, keepdim]]) -> tensor [, indices]\nThe \(isMax ? "largest" : "smallest") value, or values and their 1-based positions along dim. x:\(name)(y) with a tensor y is Torch7's element-wise form, x:\(isMax ? "maximum" : "minimum")(y).") { call in
      if call.stack.toObject(2, as: Tensor.self) != nil { return try elementwise[isMax ? "maximum" : "minimum"]!(call) }
      let x = try TensorOps.floatTensor(call, 1)
      guard x.count > 0 else { throw LuaFailure("empty tensor") }
      if call.isNil(2) {
        TensorLua.push(isMax ? x.max() : x.min(), call.stack)
        return 1
      }
      let d = try call.dim(2, rank: x.rank, scalar: true)
      guard x.rank == 0 || x.shape[d] > 0 else { throw LuaFailure("dimension \(d + 1) is empty") }
      let r = isMax ? x.max(d, keepdim: try call.optBool(3, false)) : x.min(d, keepdim: try call.optBool(3, false))
      TensorLua.push(r.values, call.stack)
      TensorLua.push(oneBased(r.indices), call.stack)
      return 2
    }
  }

  /// argmax/argmin: the 1-based position over all elements (flattened) or along dim.
  static func position(_ name: String, _ isMax: Bool) -> LuaMethod {
    LuaMethod(name, help: "x:\(name)([dim [, keepdim]]) -> tensor\n1-based position of the \(isMax ? "largest" : "smallest") value (over all elements, or along dim); the first on ties.") { call in
      let x = try TensorOps.floatTensor(call, 1)
      guard x.count > 0 else { throw LuaFailure("empty tensor") }
      let d = call.isNil(2) ? nil : try call.dim(2, rank: x.rank, scalar: true)
      let keep = try call.optBool(3, false)
      let r = isMax ? (d.map { x.argmax($0, keepdim: keep) } ?? x.argmax()) : (d.map { x.argmin($0, keepdim: keep) } ?? x.argmin())
      TensorLua.push(oneBased(r), call.stack)
      return 1
    }
  }

  static var all: [LuaMethod] {
    [
      reduction("sum", "x:sum([dim [, keepdim]]) -> tensor\nSum of all elements, or along dim.", all: { $0.sum() }, along: { $0.sum($1, keepdim: $2) }),
      reduction("mean", "x:mean([dim [, keepdim]]) -> tensor", minimum: 1, all: { $0.mean() }, along: { $0.mean($1, keepdim: $2) }),
      reduction("var", "x:var([dim [, keepdim]]) -> tensor\nUnbiased variance.", minimum: 2, all: { $0.variance() }, along: { $0.variance($1, keepdim: $2) }),
      reduction("std", "x:std([dim [, keepdim]]) -> tensor\nUnbiased standard deviation.", minimum: 2, all: { $0.variance().sqrt() }, along: { $0.std($1, keepdim: $2) }),
      extremum("max", true), extremum("min", false),
      position("argmax", true), position("argmin", false),
      LuaMethod("matmul", help: "x:matmul(y) -> tensor\nMatrix product (1-D, 2-D and batched, broadcasting batch dimensions).") { call in
        let a = try TensorOps.floatTensor(call, 1), b = try TensorOps.floatTensor(call, 2)
        try checkMatmul(a, b)
        TensorLua.push(a.matmul(b), call.stack)
        return 1
      },
      LuaMethod("mm", help: "x:mm(y) -> tensor\n2-D matrix product.") { call in
        let a = try TensorOps.floatTensor(call, 1), b = try TensorOps.floatTensor(call, 2)
        guard a.rank == 2, b.rank == 2, a.shape[1] == b.shape[0] else {
          throw LuaFailure("cannot multiply \(ShapeText.format(a.shape)) by \(ShapeText.format(b.shape))")
        }
        try call.checkedAllocation([a.shape[0], b.shape[1]], "matrix product")
        TensorLua.push(a.mm(b), call.stack)
        return 1
      },
      LuaMethod("dot", help: "x:dot(y) -> number\nInner product of two 1-D tensors of equal length.") { call in
        let a = try TensorOps.floatTensor(call, 1), b = try TensorOps.floatTensor(call, 2)
        guard a.rank == 1, b.rank == 1, a.count == b.count else { throw LuaFailure("expected two 1-D tensors of equal length") }
        call.push(Double((a * b).sum().item()))
        return 1
      },
      LuaMethod("softmax", help: "x:softmax([dim = -1]) -> tensor") { call in
        let x = try TensorOps.floatTensor(call, 1)
        TensorLua.push(x.softmax(try call.dim(2, rank: x.rank, default: max(x.rank - 1, 0), scalar: true)), call.stack)
        return 1
      },
      LuaMethod("log_softmax", help: "x:log_softmax([dim = -1]) -> tensor") { call in
        let x = try TensorOps.floatTensor(call, 1)
        TensorLua.push(x.logSoftmax(try call.dim(2, rank: x.rank, default: max(x.rank - 1, 0), scalar: true)), call.stack)
        return 1
      },
      LuaMethod("index_select", help: "x:index_select(dim, index) -> tensor\nRows (slices) at the 1-based positions in index along dim.") { call in
        let x = try TensorLua.any(call, 1)
        guard x.rank > 0 else { throw LuaFailure("cannot index a 0-d tensor") }
        let d = try call.dim(2, rank: x.rank)
        let idx = try zeroBasedIndices(call, 3, size: x.shape[d])
        guard idx.rank <= 1 else { throw LuaArgumentError(3, "index must be 1-D, got \(ShapeText.format(idx.shape))") }
        var out = x.shape
        out[d] = idx.count
        try call.checkedAllocation(out, "selection")
        TensorLua.push(x.indexSelect(d, idx), call.stack)
        return 1
      },
      LuaMethod("gather", help: "x:gather(dim, index) -> tensor\nout[i][j] = x[i][index[i][j]] along dim (1-based index, same rank as x).") { call in
        let x = try TensorLua.any(call, 1)
        guard x.rank > 0 else { throw LuaFailure("cannot gather from a 0-d tensor") }
        let d = try call.dim(2, rank: x.rank)
        let idx = try zeroBasedIndices(call, 3, size: x.shape[d])
        guard idx.rank == x.rank else { throw LuaArgumentError(3, "index must have \(x.rank) dimensions like the tensor") }
        for k in 0..<x.rank where k != d && idx.shape[k] > x.shape[k] {
          throw LuaArgumentError(3, "index size \(idx.shape[k]) exceeds the tensor's \(x.shape[k]) in dimension \(k + 1)")
        }
        TensorLua.push(x.gather(d, idx), call.stack)
        return 1
      },
    ]
  }

  /// 0-based int positions → 1-based, for Lua.
  static func oneBased(_ t: Tensor) -> Tensor { Tensor(indices: t.toIntArray().map { $0 + 1 }, shape: t.shape) }

  /// Inner sizes must agree, batch dimensions broadcast, and the product's shape must
  /// pass `CheckedSize` (a [1e5, 1] × [1, 1e5] product asks for 40 GB).
  static func checkMatmul(_ a: Tensor, _ b: Tensor) throws {
    guard a.rank >= 1, b.rank >= 1 else { throw LuaFailure("matmul needs tensors of at least one dimension") }
    let k1 = a.shape[a.rank - 1], k2 = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
    guard k1 == k2 else { throw LuaFailure("cannot multiply \(ShapeText.format(a.shape)) by \(ShapeText.format(b.shape)): inner sizes \(k1) and \(k2) differ") }
    if a.rank > 2 || b.rank > 2 {
      let ba = Array(a.shape.dropLast(a.rank >= 2 ? 2 : 1)), bb = Array(b.shape.dropLast(b.rank >= 2 ? 2 : 1))
      if Shape.broadcast(ba, bb) == nil {
        throw LuaFailure("batch dimensions of \(ShapeText.format(a.shape)) and \(ShapeText.format(b.shape)) do not broadcast")
      }
    }
    let batch = Shape.broadcast(Array(a.shape.dropLast(a.rank >= 2 ? 2 : 1)), Array(b.shape.dropLast(b.rank >= 2 ? 2 : 1))) ?? []
    let out = batch + (a.rank >= 2 ? [a.shape[a.rank - 2]] : []) + (b.rank >= 2 ? [b.shape[b.rank - 1]] : [])
    do { try CheckedSize.allocation(out, "matrix product") } catch let e as SizeError { throw LuaFailure(e.description) }
    // BLAS takes 32-bit sizes and leading dimensions.
    if let big = (a.shape + b.shape).first(where: { $0 > Int(Int32.max) }) {
      throw LuaFailure("a matrix size of \(big) exceeds BLAS's 32-bit limit")
    }
  }

  /// A 1-based index tensor (int32, int64 or integral floats) or a Lua table of positions, checked against `size`, as 0-based int32.
  static func zeroBasedIndices(_ call: LuaCall, _ i: Int, size: Int) throws -> Tensor {
    let idx: Tensor
    if call.stack.type(Int32(i)) == .table {
      let n = call.stack.rawLength(Int32(i))
      idx = Tensor(indices: try (0..<n).map { k in
        call.stack.rawGet(Int32(i), index: k + 1)
        defer { call.stack.pop() }
        guard let v = call.stack.toInteger(-1), v > -(1 << 31), v < 1 << 31 else { throw LuaArgumentError(i, "indices must be integers") }
        return v
      })
    } else {
      idx = try TensorLua.any(call, i)
    }
    guard idx.dtype.isInteger || idx.toArray().allSatisfy({ $0.isFinite && abs($0) < 2e9 }) else {
      throw LuaArgumentError(i, "indices must be finite integers")
    }
    let values = idx.toIntArray()
    if let bad = values.first(where: { $0 < 1 || $0 > size }) {
      throw LuaArgumentError(i, "index \(bad) out of range 1..\(size)")
    }
    return Tensor(indices: values.map { $0 - 1 }, shape: idx.shape)
  }
}
