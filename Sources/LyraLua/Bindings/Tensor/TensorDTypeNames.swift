import LyraBase
import LyraTensor

/// How dtypes are spelled in Lua: PyTorch's names (`'int64'`, `'long'`, `'float64'`,
/// `'double'`, `'bool'`, also as the values `lyra.int64`, `lyra.float64`, `lyra.long`,
/// `lyra.double`, `lyra.bool`, `lyra.float32`, `lyra.int32`) and Torch7's tensor type names
/// (`'lyra.LongTensor'`, `'torch.DoubleTensor'`), which `x:type()` returns.
enum TensorDTypeNames {
  static let aliases: [String: DType] = [
    "float32": .float32, "float": .float32, "int32": .int32, "int": .int32,
    "int64": .int64, "long": .int64, "float64": .float64, "double": .float64, "bool": .bool,
  ]

  /// Torch7's class name for a dtype (`x:type()`).
  static func torchName(_ d: DType) -> String {
    switch d {
    case .float32: return "lyra.FloatTensor"
    case .float64: return "lyra.DoubleTensor"
    case .int32: return "lyra.IntTensor"
    case .int64: return "lyra.LongTensor"
    case .bool: return "lyra.BoolTensor"
    }
  }

  /// The dtype a name stands for, or nil (also `torch.`/`lyra.` type names and `torch.`-prefixed dtypes).
  static func parse(_ name: String) -> DType? {
    if let d = aliases[name] { return d }
    for prefix in ["torch.", "lyra."] where name.hasPrefix(prefix) {
      let rest = String(name.dropFirst(prefix.count))
      if let d = aliases[rest] { return d }
      if let d = DType.allCases.first(where: { torchName($0) == "lyra." + rest }) { return d }
    }
    return nil
  }

  /// Argument `i` (a string) as a dtype; an unknown name is an error listing the known ones.
  static func dtype(_ call: LuaCall, _ i: Int) throws -> DType {
    let name = try call.string(i)
    guard let d = parse(name) else { throw LuaArgumentError(i, unknown(name)) }
    return d
  }

  /// The `dtype` key of an options table, if given.
  static func option(_ o: LuaOptions) throws -> DType? {
    guard let name = try o.string("dtype") else { return nil }
    guard let d = parse(name) else { throw LuaFailure("option 'dtype': \(unknown(name))") }
    return d
  }

  static func unknown(_ name: String) -> String {
    "unknown dtype '\(name)'; use one of 'float32' ('float'), 'float64' ('double'), 'int32' ('int'), 'int64' ('long'), 'bool', or lyra.float64 and friends"
  }

  /// What a dtype supports, for error messages.
  static func supported(_ d: DType) -> String {
    switch d {
    case .float32, .int32: return "every op"
    case .int64, .float64:
      return "layout ops, + - * /, neg, abs, comparisons, sum/mean/min/max/argmin/argmax\(d == .float64 ? ", matmul" : "") and conversions"
    case .bool: return "layout ops, masks (x[mask]), comparisons, sum/min/max and conversions"
    }
  }
}
