import CLua
import LyraNN
import LyraTensor

/// Methods that walk a module tree or move its state (PyTorch's names): `children`,
/// `modules`, `apply`, `state_dict`, `load_state_dict`.
enum ModuleTreeMethods {
  static func pushList(_ call: LuaCall, _ modules: [Module]) {
    lua_createtable(call.L, Int32(modules.count), 0)
    for (k, m) in modules.enumerated() {
      ModuleLua.push(m, call.stack)
      call.stack.rawSet(-2, index: k + 1)
    }
  }

  /// Every module below and including `m`, children before their parent (PyTorch's
  /// order for `apply`, so an initialiser sees the leaves first).
  static func postOrder(_ m: Module) -> [Module] {
    m.children.flatMap { postOrder($0.module) } + [m]
  }

  static var all: [LuaMethod] {
    [
      LuaMethod("children", help: "m:children() -> {modules}\nThe direct children, in order (m:get(i) is the i-th).") { call in
        pushList(call, try ModuleLua.check(call, 1).children.map(\.module))
        return 1
      },
      LuaMethod("modules", help: "m:modules() -> {modules}\nThe module and every module below it, depth first, the module itself first (PyTorch's modules()).") { call in
        pushList(call, try ModuleLua.check(call, 1).namedModules().map(\.module))
        return 1
      },
      LuaMethod("apply", help: """
        m:apply(fn) -> m
        Calls fn(module) on every module below m, children before parents, then on m (PyTorch's apply).
        Example: m:apply(function(l) if l:type() == 'nn.Linear' then lyra.nn.init.zeros_(l.bias) end end)
        """) { call in
        let m = try ModuleLua.check(call, 1)
        guard call.stack.type(2) == .function else { throw call.expected(2, "function") }
        let fn = LuaRef(state: call.state, L: call.L, index: 2)
        for sub in postOrder(m) {
          try fn.call(nresults: 0, pushArgs: { s in
            ModuleLua.push(sub, s)
            return 1
          }, readResults: { _ in () })
        }
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("state_dict", help: "m:state_dict() -> {name = tensor}\nParameters and buffers by dotted name (what m:save writes); the tensors are the module's own.") { call in
        let d = try ModuleLua.check(call, 1).stateDict()
        ModuleMethods.namedTable(call, d.keys.sorted().map { ($0, d[$0]!) })
        return 1
      },
      LuaMethod("load_state_dict", help: """
        m:load_state_dict(t [, strict = true]) -> m
        Copies the tensors of t (as m:state_dict() returns) into the parameters and buffers. Strict: a missing or
        unexpected name, or a shape or type mismatch, is an error before anything changes; with strict = false
        names that do not match are skipped (shapes and types must still match).
        """) { call in
        let m = try ModuleLua.check(call, 1)
        try call.table(2)
        let strict = try call.optBool(3, true)
        var state: [String: Tensor] = [:]
        let s = call.stack
        s.pushNil()
        while lua_next(call.L, 2) != 0 {
          defer { s.pop() }
          guard s.type(-2) == .string, let key = s.toString(-2) else { throw LuaArgumentError(2, "keys must be parameter names (strings)") }
          guard let t = s.toObject(-1, as: Tensor.self) else { throw LuaArgumentError(2, "'\(key)' must be a tensor, got \(s.typeName(-1))") }
          state[key] = t
        }
        let mine = m.stateDict()
        // Module.loadStateDict checks names and shapes; the copy needs equal types too.
        for (k, t) in state.sorted(by: { $0.key < $1.key }) {
          if let own = mine[k], own.dtype != t.dtype {
            throw LuaArgumentError(2, "'\(k)' is a \(t.dtype) tensor; the module's is \(own.dtype) (convert with :float())")
          }
        }
        do { try m.loadStateDict(state, strict: strict) } catch let e as DescriptionError { throw LuaFailure(e.message) }
        call.stack.setTop(1)
        return 1
      },
    ]
  }
}
