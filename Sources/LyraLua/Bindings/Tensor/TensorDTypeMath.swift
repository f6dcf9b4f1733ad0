import CLua
import LyraBase
import LyraTensor

/// The element-wise math, comparisons and reductions that also compute on int64, float64
/// and bool tensors (LyraTensor's DTypeMath/DTypeReductions). `wrap` routes a call to these
/// bodies only when an operand has one of those dtypes, so float32/int32 calls run the
/// ordinary methods unchanged; every other method refuses them (`TensorLua.check`).
enum TensorDTypeMath {
  /// Bodies by method (and metamethod) name.
  static let bodies: [String: LuaFunctionBody] = {
    var b: [String: LuaFunctionBody] = [:]
    for (names, op) in [(["add", "__add"], DTypeArithmetic.add), (["sub", "__sub"], .sub), (["mul", "cmul"], .mul), (["div", "cdiv", "__div"], .div)] {
      for n in names { b[n] = arithmetic(op) }
    }
    for op in [DTypeComparison.eq, .ne, .lt, .le, .gt, .ge] { b[op.rawValue] = comparison(op) }
    b["neg"] = unary("neg") { $0.negExact() }
    b["__unm"] = b["neg"]
    b["abs"] = unary("abs") { $0.absExact() }
    b["__mul"] = { call in
      if call.stack.type(1) == .number || call.stack.type(2) == .number { return try arithmetic(.mul)(call) }
      return try matmul(call)
    }
    b["matmul"] = matmul
    b["mm"] = matmul
    b["sum"] = reduction { x, d, k in x.sumExact(dim: d, keepdim: k) }
    b["mean"] = reduction { x, d, k in
      guard x.dtype.isFloatingPoint else {
        throw LuaFailure("mean of a \(x.dtype) tensor: convert with x:double() or x:float() first (PyTorch refuses integer means too)")
      }
      return x.meanExact(dim: d, keepdim: k)
    }
    b["max"] = extremum(largest: true)
    b["min"] = extremum(largest: false)
    b["argmax"] = position(largest: true)
    b["argmin"] = position(largest: false)
    return b
  }()

  /// `m`, calling the dtype-aware body when argument 1 or 2 is an int64/float64/bool tensor.
  ///
  /// The ordinary body runs first: it reads its tensors through `TensorLua.check`, which
  /// throws (before anything is computed) for those dtypes, and only then are the arguments
  /// looked at again. So a float32 call costs what it always did (no extra argument
  /// reads; a Swift `do` costs nothing until something throws).
  static func wrap(_ m: LuaMethod) -> LuaMethod {
    guard let exact = bodies[m.name] else { return m }
    let ordinary = m.body
    return LuaMethod(m.name, help: m.help) { call in
      do { return try ordinary(call) } catch let e as LuaArgumentError {
        if extended(call) { return try exact(call) }
        throw e
      }
    }
  }

  /// Whether argument 1 or 2 is a tensor of a dtype beyond float32/int32.
  @inline(__always)
  static func extended(_ call: LuaCall) -> Bool {
    if let t = call.stack.toObject(1, as: Tensor.self), !t.dtype.isLegacy { return true }
    if call.count >= 2, let t = call.stack.toObject(2, as: Tensor.self), !t.dtype.isLegacy { return true }
    return false
  }

  /// Arguments 1 and 2 as tensors; a Lua number takes the type PyTorch gives a Python
  /// scalar beside the other operand (`DType.forNumber`), exactly for integers.
  static func operands(_ call: LuaCall) throws -> (Tensor, Tensor) {
    let s = call.stack
    let ta = s.toObject(1, as: Tensor.self), tb = s.toObject(2, as: Tensor.self)
    func operand(_ i: Int32, _ t: Tensor?, beside other: Tensor?) throws -> Tensor {
      if let t { return t }
      guard let other, s.type(i) == .number else { throw call.expected(Int(i), "lyra.Tensor or number") }
      if lua_isinteger(call.L, i) != 0, let v = s.toInteger(i) {
        return Tensor.scalar(.int(Int64(v)), dtype: other.dtype.forNumber(isInteger: true))
      }
      return Tensor.scalar(.float64(s.toNumber(i) ?? .nan), dtype: other.dtype.forNumber(isInteger: false))
    }
    return (try operand(1, ta, beside: tb), try operand(2, tb, beside: ta))
  }

  static func arithmetic(_ op: DTypeArithmetic) -> LuaFunctionBody { broadcasting { Tensor.arithmetic(op, $0, $1) } }

  static func comparison(_ op: DTypeComparison) -> LuaFunctionBody { broadcasting { Tensor.compare(op, $0, $1) } }

  /// `f` of arguments 1 and 2 (`operands`), whose shapes must broadcast.
  static func broadcasting(_ f: @escaping (Tensor, Tensor) -> Tensor) -> LuaFunctionBody {
    { call in
      let (a, b) = try operands(call)
      try TensorOps.checkBroadcast(call, a, b)
      TensorLua.push(f(a, b), call.stack)
      return 1
    }
  }

  static func unary(_ name: String, _ f: @escaping (Tensor) -> Tensor) -> LuaFunctionBody {
    { call in
      let x = try TensorLua.any(call, 1)
      guard x.dtype == .int64 || x.dtype == .float64 else { throw TensorLua.unsupported(call, 1, x.dtype) }
      TensorLua.push(f(x), call.stack)
      return 1
    }
  }

  /// float64 matrix products (1-D and 2-D), through cblas_dgemm.
  static func matmul(_ call: LuaCall) throws -> Int {
    let a = try TensorLua.any(call, 1), b = try TensorLua.any(call, 2)
    guard a.dtype == .float64, b.dtype == .float64 else {
      throw LuaFailure("matrix products of \(a.dtype) and \(b.dtype) tensors are not supported; use two float64 tensors (x:double()) or two float32 ones (x:float())")
    }
    guard (1...2).contains(a.rank), (1...2).contains(b.rank) else {
      throw LuaFailure("float64 matrix products take 1-D or 2-D tensors, got \(a.rank)-D and \(b.rank)-D")
    }
    let k = a.shape[a.rank - 1], kb = b.shape[0]
    guard k == kb else { throw LuaFailure("sizes \(ShapeText.format(a.shape)) and \(ShapeText.format(b.shape)) do not match for a matrix product") }
    try TensorReduceMethods.checkMatmul(a, b)
    TensorLua.push(a.matmulDouble(b), call.stack)
    return 1
  }

  /// sum/mean: over all elements, or along dim with optional keepdim.
  static func reduction(_ f: @escaping (Tensor, Int?, Bool) throws -> Tensor) -> LuaFunctionBody {
    { call in
      let x = try TensorLua.any(call, 1)
      let d = call.isNil(2) ? nil : try call.dim(2, rank: x.rank, scalar: true)
      TensorLua.push(try f(x, d, try call.optBool(3, false)), call.stack)
      return 1
    }
  }

  /// max/min: over all → a 0-d tensor; along dim → values and 1-based positions.
  static func extremum(largest: Bool) -> LuaFunctionBody {
    { call in
      let x = try TensorLua.any(call, 1)
      guard x.count > 0 else { throw LuaFailure("empty tensor") }
      if call.isNil(2) {
        TensorLua.push(x.extremeExact(largest: largest).values, call.stack)
        return 1
      }
      let d = try call.dim(2, rank: x.rank, scalar: true)
      guard x.rank == 0 || x.shape[d] > 0 else { throw LuaFailure("dimension \(d + 1) is empty") }
      let r = x.extremeExact(dim: d, keepdim: try call.optBool(3, false), largest: largest)
      TensorLua.push(r.values, call.stack)
      TensorLua.push(TensorReduceMethods.oneBased(r.indices), call.stack)
      return 2
    }
  }

  /// argmax/argmin: the 1-based position over all elements or along dim.
  static func position(largest: Bool) -> LuaFunctionBody {
    { call in
      let x = try TensorLua.any(call, 1)
      guard x.count > 0 else { throw LuaFailure("empty tensor") }
      let d = call.isNil(2) ? nil : try call.dim(2, rank: x.rank, scalar: true)
      TensorLua.push(TensorReduceMethods.oneBased(x.extremeExact(dim: d, keepdim: try call.optBool(3, false), largest: largest).indices), call.stack)
      return 1
    }
  }
}
