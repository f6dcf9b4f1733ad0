import LyraBase
import LyraTensor

/// Boolean-mask ops: `x[mask]`, `x[mask] = v`, masked_fill(_), masked_select. A mask is a
/// bool tensor (x:bool(), comparisons of int64/float64 tensors) or a tensor of 0s and 1s
/// (what x:gt(0), x:eq(y), ... return for float32, or an int tensor of 0/1) whose shape broadcasts to x's. Any other value is refused: a
/// tensor of positions passed by mistake ({1, 3}) must not read as "all true".
enum TensorMaskMethods {
  /// Argument `i` as a mask for `x`: 0/1 values, a shape that broadcasts to x's.
  static func mask(_ call: LuaCall, _ i: Int, for x: Tensor) throws -> Tensor {
    guard let m = call.stack.toObject(Int32(i), as: Tensor.self) else { throw call.expected(i, "lyra.Tensor (a 0/1 mask)") }
    return try check(m, argument: i, for: x)
  }

  static func check(_ m: Tensor, argument i: Int, for x: Tensor) throws -> Tensor {
    guard Shape.broadcast(x.shape, m.shape) == x.shape else {
      throw LuaArgumentError(i, "mask of shape \(ShapeText.format(m.shape)) does not broadcast to the tensor's \(ShapeText.format(x.shape))")
    }
    if let k = m.toArray().firstIndex(where: { $0 != 0 && $0 != 1 }) {
      throw LuaArgumentError(i, "a mask holds only 0 and 1, element \(k + 1) is \(m.toArray()[k]); make one with x:gt(0), x:eq(y), ... (for positions use x:index_select(1, idx))")
    }
    return m
  }

  /// `x[mask]`: the selected elements as a 1-D tensor.
  static func select(_ call: LuaCall, _ x: Tensor, keyIndex i: Int) throws -> Tensor {
    x.maskedSelect(try mask(call, i, for: x))
  }

  /// `x[mask] = value`: a number, or a tensor with one element per selected position (or one element).
  static func assign(_ call: LuaCall, _ x: Tensor, keyIndex i: Int, valueIndex v: Int) throws {
    let m = try mask(call, i, for: x)
    if !x.dtype.isLegacy, [.number, .boolean].contains(call.stack.type(Int32(v))) {
      x.maskedPut_(m, Tensor.scalar(try TensorInPlaceMethods.exactStorable(call, v, into: x), dtype: x.dtype))
      return
    }
    if call.stack.type(Int32(v)) == .number {
      x.maskedFill_(m, try TensorInPlaceMethods.storable(call, v, into: x))
      return
    }
    let src = try TensorLua.any(call, v)
    let selected = Tensor.noGrad { x.detach().maskedSelect(m).count }
    guard src.count == selected || src.count == 1 else {
      throw LuaArgumentError(v, "\(src.count) values for \(selected) selected positions (give one per position, or one for all)")
    }
    if x.dtype == .int32, src.dtype == .float32, !src.toArray().allSatisfy({ $0.isFinite && $0 == $0.rounded() && abs($0) <= 2.1e9 }) {
      throw LuaArgumentError(v, "values that are not integers in int32's range cannot be stored in an int tensor")
    }
    x.maskedPut_(m, src)
  }

  /// A number or a one-element tensor, as the fill value.
  static func fillValue(_ call: LuaCall, _ i: Int) throws -> Float {
    if let t = call.stack.toObject(Int32(i), as: Tensor.self) {
      guard t.count == 1 else { throw LuaArgumentError(i, "value must be a number or a one-element tensor, got shape \(ShapeText.format(t.shape))") }
      return t.item()
    }
    return Float(try call.number(i))
  }

  static var all: [LuaMethod] {
    [
      LuaMethod("masked_select", help: "x:masked_select(mask) -> tensor\nThe elements where mask is 1, in row-major order, as a 1-D tensor (the same as x[mask]).\nmask: 0/1 values (x:gt(0), x:eq(y), ...) of a shape that broadcasts to x's. Differentiable.") { call in
        let x = try TensorLua.any(call, 1)
        TensorLua.push(x.maskedSelect(try mask(call, 2, for: x)), call.stack)
        return 1
      },
      LuaMethod("masked_fill", help: "x:masked_fill(mask, value) -> tensor\nA copy of x with value where mask is 1 (mask broadcasts to x's shape; value a number or one-element tensor).\nDifferentiable: the gradient passes where mask is 0.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        TensorLua.push(x.maskedFill(try mask(call, 2, for: x), try fillValue(call, 3)), call.stack)
        return 1
      },
      LuaMethod("masked_fill_", help: "x:masked_fill_(mask, value) -> x\nWrites value where mask is 1, in place (mask broadcasts to x's shape).") { call in
        let x = try TensorInPlaceMethods.mutable(call)
        let m = try mask(call, 2, for: x)
        if !x.dtype.isLegacy {
          x.maskedPut_(m, Tensor.scalar(try TensorInPlaceMethods.exactStorable(call, 3, into: x), dtype: x.dtype))
          call.stack.setTop(1)
          return 1
        }
        let v = try fillValue(call, 3)
        if x.dtype == .int32, !(v.isFinite && v == v.rounded() && abs(v) <= 2.1e9) {
          throw LuaArgumentError(3, "\(v) cannot be stored in an int tensor")
        }
        x.maskedFill_(m, v)
        call.stack.setTop(1)
        return 1
      },
    ]
  }
}
