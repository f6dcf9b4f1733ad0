import CLua
import LyraNN
import LyraTensor

/// What a `lyra.optim.Optimizer` userdata holds. A box, because `Optimizer` is a
/// protocol and the host stores class instances.
final class OptimizerBox {
  let optimizer: Optimizer
  init(_ optimizer: Optimizer) { self.optimizer = optimizer }
}

/// How optimisers and their parameter lists cross the Lua boundary.
enum OptimLua {
  static let className = "lyra.optim.Optimizer"

  static func check(_ call: LuaCall, _ i: Int) throws -> Optimizer {
    try call.object(i, OptimizerBox.self, what: className).optimizer
  }

  /// Argument `i` as a parameter list: a Lua array of tensors (what `model:parameters()`
  /// returns) or one tensor. Checked here because LyraNN's optimisers treat a bad list as
  /// a programming error (precondition) and Lua input must never reach one.
  static func params(_ call: LuaCall, _ i: Int) throws -> [Tensor] {
    if let t = call.stack.toObject(Int32(i), as: Tensor.self) { return try checked([t], call, i) }
    guard call.stack.type(Int32(i)) == .table else { throw call.expected(i, "table of lyra.Tensor") }
    let out = try call.stack.list(Int32(i), LuaItem.object(Tensor.self, what: TensorLua.className)) { k in
      LuaArgumentError(i, "parameter \(k) is a \(call.stack.typeName(-1)), expected lyra.Tensor")
    }
    return try checked(out, call, i)
  }

  private static func checked(_ ps: [Tensor], _ call: LuaCall, _ i: Int) throws -> [Tensor] {
    guard !ps.isEmpty else { throw LuaArgumentError(i, "empty parameter list") }
    var seen = Set<ObjectIdentifier>()
    for (k, p) in ps.enumerated() {
      let what = "parameter \(k + 1)"
      guard p.dtype == .float32 else { throw LuaArgumentError(i, "\(what) is not a float tensor") }
      guard p.isLeaf else { throw LuaArgumentError(i, "\(what) is computed, not a leaf (detach it or optimise the leaf)") }
      guard p.isContiguous else { throw LuaArgumentError(i, "\(what) is not contiguous") }
      guard seen.insert(ObjectIdentifier(p)).inserted else { throw LuaArgumentError(i, "\(what) appears more than once") }
    }
    return ps
  }

  /// Gradients must match their parameters before a fused update walks raw pointers.
  static func checkGradients(_ ps: [Tensor]) throws {
    for (k, p) in ps.enumerated() {
      guard let g = p.grad else { continue }
      guard g.dtype == .float32, g.shape == p.shape else {
        throw LuaFailure("gradient of parameter \(k + 1) is \(g.dtype) \(ShapeText.format(g.shape)), parameter is \(ShapeText.format(p.shape))")
      }
    }
  }

  /// The option table at `i` as `Optimizers.make` takes it: numbers, booleans, lists of numbers.
  static func options(_ call: LuaCall, _ i: Int) throws -> [String: OptimizerOption] {
    if call.isNil(i) { return [:] }
    try call.table(i)
    let s = call.stack
    var out: [String: OptimizerOption] = [:]
    try s.forEachField(Int32(i)) {
      guard s.type(-2) == .string, let key = s.toString(-2) else {
        throw LuaArgumentError(i, "option keys must be strings, got \(s.typeName(-2))")
      }
      switch s.type(-1) {
      case .number: out[key] = .number(s.toNumber(-1)!)
      case .boolean: out[key] = .flag(s.toBool(-1))
      case .table:
        out[key] = .numbers(try s.list(-1, LuaItem.number) { _ in LuaArgumentError(i, "option '\(key)' must be a list of numbers") })
      default:
        throw LuaArgumentError(i, "option '\(key)' must be a number, boolean or list of numbers, got \(s.typeName(-1))")
      }
    }
    return out
  }
}
