import CLua
import LyraBase
import LyraTensor

/// Tensors of a chosen dtype from Lua values: `lyra.tensor(values, {dtype = 'int64'})`,
/// Torch7's `lyra.LongTensor{1, 2, 3}` / `lyra.DoubleTensor(2, 3)` and friends, and the
/// dtype values `lyra.int64`, `lyra.float64`, ... (strings, so `x.dtype == lyra.int64`).
enum TensorTypedConstructors {
  /// A tensor of `dtype` from argument 1 (a number, boolean, tensor or nested tables),
  /// keeping Lua integers exact.
  static func exact(_ call: LuaCall, _ dtype: DType) throws -> Tensor {
    let s = call.stack
    if let t = s.toObject(1, as: Tensor.self) { return try TensorConversionMethods.convert(call, t, dtype).contiguous().clone() }
    if s.type(1) == .number || s.type(1) == .boolean {
      return Tensor(scalars: [try leaf(call, s, dtype)], shape: [], dtype: dtype)
    }
    try call.table(1)
    var shape: [Int] = [], values: [Scalar] = [], bad: String?
    try TensorConstructors.flatten(call, 1, shape: &shape, values: &values) { s in
      do { return try leaf(call, s, dtype) } catch { bad = "\(error)"; return .int(0) }
    }
    if let bad { throw LuaArgumentError(1, bad) }
    try call.checkedAllocation(shape, elementSize: dtype.size)
    return Tensor(scalars: values, shape: shape, dtype: dtype)
  }

  /// The value on top of the stack (a number or boolean) for a `dtype` tensor.
  static func leaf(_ call: LuaCall, _ s: LuaStack, _ dtype: DType) throws -> Scalar {
    if s.type(-1) == .boolean { return .bool(s.toBool(-1)) }
    if lua_isinteger(call.L, -1) != 0, let v = s.toInteger(-1) { return .int(Int64(v)) }
    let v = s.toNumber(-1) ?? .nan
    if dtype.isInteger, !(v.isFinite && abs(v) < (dtype == .int32 ? 2_147_483_648 : 9.2e18)) {
      throw LuaFailure("value \(v) does not fit in an \(dtype) tensor")
    }
    return .float64(v)
  }

  /// Torch7's typed constructors: `lyra.LongTensor(2, 3)` (zeros), `lyra.LongTensor{1, 2}`
  /// (values), `lyra.LongTensor(x)` (x converted).
  static func typed(_ dtype: DType) -> LuaMethod {
    let name = String(TensorDTypeNames.torchName(dtype).dropFirst("lyra.".count))
    return LuaMethod(name, help: "lyra.\(name)(sizes...) | lyra.\(name)(values) | lyra.\(name)(tensor) -> tensor\nTorch7's constructor of \(dtype) tensors: zeros of the sizes (Torch7 leaves them unset), nested tables of values, or a tensor converted (as x:to('\(dtype)')).") { call in
      let s = call.stack
      if call.count == 0 {
        TensorLua.push(Tensor.zeros([0], dtype: dtype), s)
        return 1
      }
      if s.type(1) == .number {
        TensorLua.push(Tensor.zeros(try call.sizes(from: 1, elementSize: dtype.size), dtype: dtype), s)
        return 1
      }
      TensorLua.push(try exact(call, dtype), s)
      return 1
    }
  }

  static var all: [LuaMethod] { [DType.float32, .float64, .int32, .int64, .bool].map(typed) }

  /// `lyra.float32 = 'float32'`, `lyra.float64`, `lyra.double`, `lyra.int32`, `lyra.int64`,
  /// `lyra.long`, `lyra.bool` (lyra.float and lyra.int stay the conversion functions).
  static func defineDTypeValues(_ state: LuaState) {
    let s = state.stack
    s.pushTable(path: "lyra")
    for (key, d) in [("float32", DType.float32), ("float64", .float64), ("double", .float64), ("int32", .int32),
                     ("int64", .int64), ("long", .int64), ("bool", .bool)] {
      s.push(d.rawValue)
      s.rawSet(-2, key)
    }
    s.pop()
  }
}
