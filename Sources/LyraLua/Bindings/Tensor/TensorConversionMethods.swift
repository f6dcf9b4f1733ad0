import LyraBase
import LyraTensor

/// `x:float()`, `x:double()`, `x:int()`, `x:long()`, `x:bool()`, `x:to(dtype)` and
/// `x:type([name])`: conversions between every pair of dtypes (LyraTensor's
/// DTypeConversion), with the one rule Lyra adds for Lua: a float that is NaN, infinite or
/// outside the target integer range is an error here (PyTorch leaves the value undefined).
enum TensorConversionMethods {
  static func converting(_ name: String, _ to: DType, _ help: String) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      TensorLua.push(try convert(call, try TensorLua.any(call, 1), to), call.stack)
      return 1
    }
  }

  /// `x` as `d`, refusing floats that have no integer value in `d`'s range.
  static func convert(_ call: LuaCall, _ x: Tensor, _ d: DType) throws -> Tensor {
    if d.isInteger, x.dtype.isFloatingPoint {
      let limit = d == .int32 ? 2_147_483_648.0 : 9_223_372_036_854_775_808.0
      if let bad = x.to(.float64).toDoubles().first(where: { !($0 > -limit - 1 && $0 < limit) }) {
        throw LuaFailure("value \(bad) cannot be converted to \(d) (not finite or out of range); clamp or mask it first (x:clamp(lo, hi))")
      }
    }
    return x.to(d)
  }

  static var all: [LuaMethod] {
    [
      converting("float", .float32, "x:float() -> tensor\nAs float32 (x itself when it is float32)."),
      converting("double", .float64, "x:double() -> tensor\nAs float64 (PyTorch's double): layout ops, arithmetic, comparisons, reductions and matmul run in double precision; other ops need x:float()."),
      converting("int", .int32, "x:int() -> tensor\nAs int32, floats truncated toward zero (NaN, inf and values past int32 are an error; int64 wraps as in PyTorch)."),
      converting("long", .int64, "x:long() -> tensor\nAs int64 (PyTorch's long), floats truncated toward zero (NaN, inf and values past int64 are an error). Lua integers are int64, so values beyond 2^53 stay exact."),
      converting("bool", .bool, "x:bool() -> tensor\nAs bool: true where x ~= 0 (NaN is true). A bool tensor is a mask for x[mask]."),
      LuaMethod("to", help: "x:to(dtype) -> tensor\nAs another dtype: 'float32' ('float'), 'float64' ('double'), 'int32' ('int'), 'int64' ('long'), 'bool', or lyra.float64 and friends, or a type name ('lyra.LongTensor'). x itself when it already has the type.") { call in
        let x = try TensorLua.any(call, 1)
        TensorLua.push(try convert(call, x, try TensorDTypeNames.dtype(call, 2)), call.stack)
        return 1
      },
      LuaMethod("type", help: "x:type([name]) -> string | tensor\nWithout an argument Torch7's type name: 'lyra.FloatTensor', 'lyra.DoubleTensor', 'lyra.IntTensor', 'lyra.LongTensor' or 'lyra.BoolTensor'\n(x.dtype gives PyTorch's name, 'float32' ...). With a name (a type name or a dtype) x converted to it, as x:to(name).") { call in
        let x = try TensorLua.any(call, 1)
        if call.isNil(2) { call.push(TensorDTypeNames.torchName(x.dtype)) } else {
          TensorLua.push(try convert(call, x, try TensorDTypeNames.dtype(call, 2)), call.stack)
        }
        return 1
      },
    ]
  }
}

extension Tensor {
  /// The elements of a float64 tensor, row-major.
  func toDoubles() -> [Double] {
    let c = contiguous()
    return Array(UnsafeBufferPointer(start: c.storage.raw.assumingMemoryBound(to: Double.self) + c.offset, count: c.count))
  }
}
