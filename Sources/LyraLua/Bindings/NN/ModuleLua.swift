import CLua
import LyraNN
import LyraTensor

/// How modules cross the Lua boundary: one userdata class `lyra.nn.Module` for every
/// module type (methods shared, `m.weight`-style fields through the index fallback).
enum ModuleLua {
  static let className = "lyra.nn.Module"

  static func push(_ m: Module, _ s: LuaStack) { s.push(object: m, className: className) }

  static func check(_ call: LuaCall, _ i: Int) throws -> Module {
    try call.object(i, Module.self, what: className)
  }

  /// A module argument: a Lyra module, or a Lua table with a `forward` method (wrapped).
  static func moduleOrTable(_ call: LuaCall, _ i: Int) throws -> Module {
    if let m = call.stack.toObject(Int32(i), as: Module.self) { return m }
    if call.stack.type(Int32(i)) == .table { return try LuaModule(call: call, index: Int32(i)) }
    throw call.expected(i, "lyra.nn.Module or a table with a forward method")
  }

  /// The shapes last seen at a root module's input, so `tostring(model)` can show the
  /// output shape of every layer (a trace at batch 1 with that input).
  nonisolated(unsafe) static var lastInput: [ObjectIdentifier: [Int]] = [:]

  /// Runs `body` with the model in evaluation mode and restores each module's own mode
  /// afterwards, so printing or profiling never moves batch-norm running statistics.
  static func inEval<R>(_ m: Module, _ body: () throws -> R) rethrows -> R {
    let modes = m.namedModules().map { ($0.module, $0.module.training) } // pre-order: parents first
    m.eval()
    defer { for (mod, on) in modes { mod.train(on) } }
    return try body()
  }
}

extension ModuleLua {
  /// Whether `target` is `root` or sits anywhere below it.
  static func subtree(of root: Module, contains target: Module) -> Bool {
    root === target || root.children.contains { subtree(of: $0.module, contains: target) }
  }

  /// Whether a module may be called on an int tensor: an Embedding (indices are its input),
  /// a chain that starts with one, a Lua module (it decides), or one that only moves or
  /// passes values on. Every other module computes in float, and its kernels require it.
  static func acceptsIndices(_ m: Module) -> Bool {
    switch m {
    case is Embedding, is SparseEmbedding, is LuaModule, is Identity, is Flatten, is View, is Unflatten: return true
    case let s as Sequential:
      for c in s.children where !(c.module is Identity || c.module is Flatten) { return acceptsIndices(c.module) }
      return true
    default: return false
    }
  }
}

/// A module written in Lua: a table with `forward(self, x)` (and optionally
/// `parameters(self)`), usable inside Sequential/Add/Concat with autograd through it.
final class LuaModule: Module {
  let table: LuaRef
  let forwardFn: LuaRef
  let name: String

  init(call: LuaCall, index: Int32) throws {
    let s = call.stack
    guard try s.field(index, "forward") == .function else {
      s.pop()
      throw LuaArgumentError(Int(index), "a Lua module must be a table with a forward method")
    }
    forwardFn = LuaRef(state: call.state, L: call.L, index: -1)
    s.pop()
    name = s.rawGet(index, "name") == .string ? (s.toString(-1) ?? "LuaModule") : "LuaModule"
    s.pop()
    table = LuaRef(state: call.state, L: call.L, index: index)
    super.init()
    // Parameters: the table's parameters() list if it has one, else its tensor fields that require grad.
    var found: [(String, Tensor)] = []
    if try s.field(index, "parameters") == .function {
      s.pushValue(index)
      if lyra_pcall(call.L, 1, 1) == LUA_OK, s.type(-1) == .table {
        for k in 0..<s.rawLength(-1) {
          s.rawGet(-1, index: k + 1)
          if let t = s.toObject(-1, as: Tensor.self) { found.append(("p\(k + 1)", t)) }
          s.pop()
        }
      } else if s.type(-1) == .string {
        let msg = s.toString(-1) ?? ""
        s.pop()
        throw LuaFailure("parameters() of a Lua module failed: \(msg)")
      }
      s.pop()
    } else {
      s.pop()
      s.pushNil()
      while lua_next(call.L, index) != 0 {
        if s.type(-2) == .string, let key = s.toString(-2), let t = s.toObject(-1, as: Tensor.self), t.requiresGrad {
          found.append((key, t))
        }
        s.pop()
      }
      found.sort { $0.0 < $1.0 }
    }
    for (n, t) in found { register(parameter: n, t) }
  }

  override var typeName: String { name }

  override func forward(_ x: Tensor) throws -> Tensor {
    try forwardFn.call(nresults: 1, pushArgs: { s in
      table.push(to: s)
      TensorLua.push(x, s)
      return 2
    }, readResults: { s in
      guard let y = s.toObject(-1, as: Tensor.self) else {
        let hint = s.type(-1) == .table ? " (engine containers pass one tensor on: for Torch7's ConcatTable + CAddTable use nn.Add, or nn.Concat)" : ""
        throw LuaFailure("\(name):forward must return a lyra.Tensor, got \(s.typeName(-1))\(hint)")
      }
      return y
    })
  }
}
