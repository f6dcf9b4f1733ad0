import LyraBase
import LyraTensor

/// Small builders for tensor methods: each op is one line in the tables that follow,
/// with the argument checks that keep a bad call a Lua error instead of a crash.
enum TensorOps {
  /// `x:name()` → f(x).
  static func unary(_ name: String, _ help: String, _ f: @escaping (Tensor) -> Tensor) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let x = try floatTensor(call, 1)
      TensorLua.push(f(x), call.stack)
      return 1
    }
  }

  /// `x:name(y)` with y a tensor or a number, broadcasting.
  static func binary(_ name: String, _ help: String, _ f: @escaping (Tensor, Tensor) -> Tensor) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let a = try TensorLua.tensorOrNumber(call, 1), b = try TensorLua.tensorOrNumber(call, 2)
      try checkBroadcast(call, a, b)
      TensorLua.push(f(a.dtype == .float32 ? a : a.float(), b.dtype == .float32 ? b : b.float()), call.stack)
      return 1
    }
  }

  /// Argument `i` as a float tensor (int tensors are converted, as arithmetic expects).
  static func floatTensor(_ call: LuaCall, _ i: Int) throws -> Tensor {
    let t = try TensorLua.check(call, i)
    return t.dtype == .float32 ? t : t.float()
  }

  /// The shapes must broadcast, and the result (which can be far larger than either
  /// operand: [n, 1] + [1, n]) must pass `CheckedSize`.
  static func checkBroadcast(_ call: LuaCall, _ a: Tensor, _ b: Tensor) throws {
    guard let out = Shape.broadcast(a.shape, b.shape) else {
      throw LuaFailure("shapes \(ShapeText.format(a.shape)) and \(ShapeText.format(b.shape)) do not broadcast")
    }
    try call.checkedAllocation(out, "result")
  }
}
