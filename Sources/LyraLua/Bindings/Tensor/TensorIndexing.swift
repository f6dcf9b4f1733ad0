import CLua
import LyraBase
import LyraTensor

/// `x[i]`, `x[{ {}, 2 }]`, `x[{ {1, 3}, {} }]`, `x[mask]` (TensorMaskMethods), their assignments, and the properties
/// `x.grad` / `x.requires_grad` / `x.shape`.
///
/// Torch7's rules, 1-based: a number selects (removing the dimension), `{}` keeps the
/// whole dimension, `{a, b}` keeps a..b inclusive, `{a}` keeps a..a; negative numbers
/// count from the end. A number result of a full selection is returned as a number.
enum TensorIndexing {
  /// Applies an index key (number or table) to `x`; returns the view.
  static func view(_ call: LuaCall, _ x: Tensor, keyIndex k: Int32) throws -> Tensor {
    let s = call.stack
    if s.type(k) == .number {
      guard x.rank > 0 else { throw LuaFailure("cannot index a 0-d tensor; use x:item()") }
      guard let i = s.toInteger(k) else { throw LuaFailure("index must be an integer") }
      return x.select(0, try pos(i, x.shape[0], dim: 1))
    }
    guard s.type(k) == .table else { throw LuaFailure("index must be a number or a table, got \(s.typeName(k))") }
    let n = s.rawLength(k)
    guard n <= x.rank else { throw LuaFailure("\(n) indices for a \(x.rank)-D tensor") }
    var out = x
    var d = 0 // dimension of `out` that the next spec applies to
    for j in 1...max(n, 1) where n > 0 {
      s.rawGet(k, index: j)
      defer { s.pop() }
      let size = out.shape[d]
      switch s.type(-1) {
      case .number:
        guard let i = s.toInteger(-1) else { throw LuaFailure("index must be an integer") }
        out = out.select(d, try pos(i, size, dim: j))
      case .table:
        let m = s.rawLength(-1)
        if m == 0 {
          d += 1
          continue
        }
        s.rawGet(-1, index: 1)
        let a = s.toInteger(-1)
        s.pop()
        var b = a
        if m >= 2 {
          s.rawGet(-1, index: 2)
          b = s.toInteger(-1)
          s.pop()
        }
        guard let a, let b else { throw LuaFailure("range in dimension \(j) must be {first, last} integers") }
        let lo = try pos(a, size, dim: j), hi = try pos(b, size, dim: j)
        guard lo <= hi else { throw LuaFailure("empty range {\(a), \(b)} in dimension \(j)") }
        out = out.narrow(d, lo, hi - lo + 1)
        d += 1
      default:
        throw LuaFailure("index item \(j) must be a number or a table, got \(s.typeName(-1))")
      }
    }
    return out
  }

  /// A 1-based Lua position (negative counts from the end) as a 0-based offset, or nil when
  /// it is outside 1...size and -size...-1. Written as `i >= -size`, never `-i <= size`:
  /// negating math.mininteger traps (a lua-api fuzz finding, `x:select(1, math.mininteger)`).
  static func offset(_ i: Int, size: Int) -> Int? {
    if i >= 1 && i <= size { return i - 1 }
    if i < 0 && i >= -size { return size + i }
    return nil
  }

  static func pos(_ i: Int, _ size: Int, dim: Int) throws -> Int {
    guard let o = offset(i, size: size) else { throw LuaFailure("index \(i) out of range for dimension \(dim) of size \(size)") }
    return o
  }

  static let index = LuaMethod("__index", help: "x[i], x[{...}], x[mask], x.grad, x.shape, x.dtype ('float32', 'int64', ...)") { call in
    let x = try TensorLua.any(call, 1)
    let s = call.stack
    if s.type(2) == .string {
      switch s.toString(2) ?? "" {
      case "grad":
        if let g = x.grad { TensorLua.push(g, s) } else { s.pushNil() }
      case "requires_grad": call.push(x.requiresGrad)
      case "shape": s.push(.table(array: x.shape.map { .integer($0) }, fields: [:]))
      case "dtype": call.push(x.dtype.rawValue)
      default: s.pushNil()
      }
      return 1
    }
    if s.toObject(2, as: Tensor.self) != nil {
      TensorLua.push(try TensorMaskMethods.select(call, x, keyIndex: 2), s)
      return 1
    }
    let v = try view(call, x, keyIndex: 2)
    if v.rank == 0 {
      TensorLua.push(v.scalarItem(), s)
    } else {
      TensorLua.push(v, s)
    }
    return 1
  }

  static let newIndex = LuaMethod("__newindex", help: "x[i] = value, x[{...}] = tensor, x[mask] = value or tensor, x.grad = nil") { call in
    let x = try TensorLua.any(call, 1)
    let s = call.stack
    if s.type(2) == .string {
      guard s.toString(2) == "grad" else { throw LuaFailure("cannot set field '\(s.toString(2) ?? "")' of a tensor") }
      if s.isNil(3) { x.grad = nil } else {
        let g = try TensorLua.check(call, 3)
        guard g.shape == x.shape else { throw LuaArgumentError(3, "grad shape \(ShapeText.format(g.shape)) differs from \(ShapeText.format(x.shape))") }
        x.grad = g
      }
      return 0
    }
    if x.requiresGrad && Tensor.isGradEnabled {
      throw LuaFailure("assignment into a tensor that requires grad; do it inside lyra.no_grad(function() ... end)")
    }
    if s.toObject(2, as: Tensor.self) != nil {
      try TensorMaskMethods.assign(call, x, keyIndex: 2, valueIndex: 3)
      return 0
    }
    let v = try view(call, x, keyIndex: 2)
    if s.type(3) == .number || (s.type(3) == .boolean && !v.dtype.isLegacy) {
      try TensorInPlaceMethods.fill(call, 3, into: v)
    } else {
      let src = try TensorLua.any(call, 3)
      guard Shape.broadcast(v.shape, src.shape) == v.shape else {
        throw LuaFailure("cannot assign a \(ShapeText.format(src.shape)) tensor to a \(ShapeText.format(v.shape)) slice")
      }
      _ = v.copy_(src.dtype == v.dtype ? src : src.to(v.dtype))
    }
    return 0
  }
}
