import CLua
import LyraBase
import LyraPlot
import LyraTensor

/// Reading plot data from Lua: number lists from arrays or tensors, category names,
/// and pictures from image tensors. Every shape problem is an argument error that says
/// what was expected, never a precondition failure in LyraPlot.
enum PlotData {
  /// Argument `i` as numbers: a Lua array of numbers or a tensor (flattened).
  static func numbers(_ call: LuaCall, _ i: Int, what: String) throws -> [Double] {
    let s = call.stack
    if let t = s.toObject(Int32(i), as: Tensor.self) { return t.toArray().map(Double.init) }
    guard s.type(Int32(i)) == .table else { throw call.expected(i, "\(what) (table of numbers or lyra.Tensor)") }
    return try s.list(Int32(i), LuaItem.number) { k in LuaArgumentError(i, "\(what): item \(k) is a \(s.typeName(-1)), expected a number") }
  }

  /// True when argument `i` holds data (a tensor or a non-empty array) rather than options.
  static func isData(_ call: LuaCall, _ i: Int) -> Bool {
    let s = call.stack
    if s.toObject(Int32(i), as: Tensor.self) != nil { return true }
    return s.type(Int32(i)) == .table && s.rawLength(Int32(i)) > 0
  }

  /// Argument `i` as category names (strings or numbers).
  static func strings(_ call: LuaCall, _ i: Int, what: String) throws -> [String] {
    let s = call.stack
    guard s.type(Int32(i)) == .table else { throw call.expected(i, "\(what) (table of strings)") }
    return try s.list(Int32(i), LuaItem.text) { k in LuaArgumentError(i, "\(what): item \(k) is a \(s.typeName(-1)), expected a string") }
  }

  /// Argument `i` as pictures: a tensor [H,W], [C,H,W] or [N,C,H,W] (C = 1 or 3), or a Lua
  /// array of such tensors.
  static func images(_ call: LuaCall, _ i: Int) throws -> [PlotImage] {
    let s = call.stack
    if let t = s.toObject(Int32(i), as: Tensor.self) { return try images(t, argument: i) }
    guard s.type(Int32(i)) == .table else { throw call.expected(i, "lyra.Tensor or table of tensors") }
    let tensors = try s.list(Int32(i), LuaItem.object(Tensor.self, what: TensorLua.className)) { k in
      LuaArgumentError(i, "item \(k) is a \(s.typeName(-1)), expected lyra.Tensor")
    }
    return try tensors.flatMap { try images($0, argument: i) }
  }

  static func images(_ t: Tensor, argument i: Int) throws -> [PlotImage] {
    let shape = t.shape
    func bad() -> LuaArgumentError {
      LuaArgumentError(i, "expected an image tensor [H,W], [C,H,W] or [N,C,H,W] with C = 1 or 3, got \(ShapeText.format(shape))"
        + (shape.count == 3 ? " (a batch of grey images [N,H,W]: use t:unsqueeze(2))" : ""))
    }
    let v = t.toArray()
    switch shape.count {
    case 2:
      return [PlotImage(width: shape[1], height: shape[0], channels: 1, pixels: v)]
    case 3:
      guard shape[0] == 1 || shape[0] == 3 else { throw bad() }
      return [PlotImage(chw: v, channels: shape[0], height: shape[1], width: shape[2])]
    case 4:
      guard shape[1] == 1 || shape[1] == 3 else { throw bad() }
      let n = shape[1] * shape[2] * shape[3]
      return (0..<shape[0]).map { k in
        PlotImage(chw: Array(v[(k * n)..<((k + 1) * n)]), channels: shape[1], height: shape[2], width: shape[3])
      }
    default:
      throw bad()
    }
  }

  /// `'auto'`, `'unit'` or `'minmax'`.
  static func normalization(_ name: String?, argument i: Int) throws -> PlotImage.Normalization {
    switch name?.lowercased() {
    case nil, "auto": return .auto
    case "unit": return .unit
    case "minmax", "min-max": return .minMax
    default: throw LuaArgumentError(i, "option 'normalize' must be 'auto', 'unit' or 'minmax', got '\(name!)'")
    }
  }
}
