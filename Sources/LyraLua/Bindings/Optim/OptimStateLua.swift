import CLua
import LyraNN
import LyraTensor

/// `OptimizerState` as a Lua table shaped like PyTorch's state dict, with 1-based
/// parameter indices and buffers as tensors of the parameter's shape:
/// `{optimizer = 'Adam', hyper = {lr = ...}, state = {[1] = {exp_avg = t, step = 3}}}`.
enum OptimStateLua {
  static func push(_ st: OptimizerState, params: [Tensor], _ s: LuaStack) {
    s.push(.table(array: [], fields: ["optimizer": .string(st.optimizer),
                                      "hyper": .table(array: [], fields: st.hyperparameters.mapValues { .number($0) })]))
    lua_createtable(s.L, Int32(params.count), 0)
    var perParam: [Int: [(String, [Float])]] = [:]
    for (key, values) in st.buffers {
      let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
      if parts.count == 2, let i = Int(parts[0]) { perParam[i, default: []].append((parts[1], values)) }
    }
    for i in Set(perParam.keys).union(st.steps.keys).sorted() {
      lua_createtable(s.L, 0, 4)
      for (name, values) in perParam[i] ?? [] {
        let shape = i < params.count && params[i].count == values.count ? params[i].shape : [values.count]
        TensorLua.push(Tensor(values, shape: shape), s)
        s.rawSet(-2, name)
      }
      if let n = st.steps[i] {
        s.push(n)
        s.rawSet(-2, "step")
      }
      s.rawSet(-2, index: i + 1)
    }
    s.rawSet(-2, "state")
  }

  /// Reads the table at `i` back; every malformed part is an error naming it.
  static func read(_ call: LuaCall, _ i: Int) throws -> OptimizerState {
    let s = call.stack
    let t = Int32(i)
    guard s.rawGet(t, "optimizer") == .string, let name = s.toString(-1) else {
      s.pop()
      throw LuaArgumentError(i, "state dict has no 'optimizer' name")
    }
    s.pop()
    var st = OptimizerState(optimizer: name)
    if s.rawGet(t, "hyper") == .table {
      if case .table(_, let fields) = s.value(-1) {
        for (k, v) in fields {
          guard let d = v.number else { s.pop(); throw LuaArgumentError(i, "hyper.\(k) must be a number") }
          st.hyperparameters[k] = d
        }
      }
    }
    s.pop()
    guard s.rawGet(t, "state") == .table || s.type(-1) == .nil else {
      s.pop()
      throw LuaArgumentError(i, "state dict field 'state' must be a table")
    }
    defer { s.pop() }
    if s.type(-1) == .nil { return st }
    try s.forEachField(-1) {
      guard s.type(-2) == .number, let k = s.toInteger(-2), k >= 1, s.type(-1) == .table else {
        throw LuaArgumentError(i, "state entries must be tables keyed by parameter index (1-based)")
      }
      try s.forEachField(-1) {
        guard let field = s.toString(-2) else { throw LuaArgumentError(i, "state[\(k)] has a non-string key") }
        if field == "step" {
          guard s.type(-1) == .number, let n = s.toInteger(-1), n >= 0 else {
            throw LuaArgumentError(i, "state[\(k)].step must be a non-negative integer")
          }
          st.steps[k - 1] = n
        } else {
          guard let b = s.toObject(-1, as: Tensor.self), b.dtype == .float32 else {
            throw LuaArgumentError(i, "state[\(k)].\(field) must be a float lyra.Tensor")
          }
          st.buffers["\(k - 1).\(field)"] = b.toArray()
        }
      }
    }
    return st
  }
}
