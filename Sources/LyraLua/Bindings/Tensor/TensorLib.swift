import CLua
import LyraTensor

/// `lyra.*` tensor functions and the `lyra.Tensor` class (docs/architecture.md#lua-api-conventions).
enum TensorLib {
  static func open(_ state: LuaState) {
    let ordinary = TensorShapeMethods.all + TensorMathMethods.all + TensorReduceMethods.all + TensorInPlaceMethods.all
      + TensorStatMethods.all + TensorSortMethods.all + TensorPredicateMethods.all + TensorRandomMethods.all
      + TensorMaskMethods.all + TensorScatterMethods.all + TensorReorderMethods.all + TensorLinalgMethods.all
      + TensorConversionMethods.all
    let methods = ordinary.map(TensorDTypeMath.wrap)
    state.defineClass(TensorLua.className, methods: methods, metamethods: metamethods.map(TensorDTypeMath.wrap), index: TensorIndexing.index)
    SizeTable.register(state)
    // Every method is also a function: lyra.exp(x) == x:exp().
    // long/double/bool are dtype values there (lyra.long == 'int64', PyTorch's torch.long), not functions.
    for m in methods where !["fill", "zero", "copy", "type", "size", "dim", "stride", "long", "double", "bool"].contains(m.name) {
      state.register("lyra.\(m.name)", help: m.help.replacingOccurrences(of: "x:\(m.name)(", with: "lyra.\(m.name)(x, ")
        .replacingOccurrences(of: "(x, )", with: "(x)"), m.body)
    }
    for f in TensorConstructors.all + TensorLikeConstructors.all + TensorThreads.all + TensorRangeConstructors.all + TensorTypedConstructors.all {
      state.register("lyra.\(f.name)", help: f.help, f.body)
    }
    TensorTypedConstructors.defineDTypeValues(state)
    TensorLinalgMethods.open(state)
  }

  static var metamethods: [LuaMethod] {
    func arith(_ name: String, _ help: String, _ f: @escaping (Tensor, Tensor) -> Tensor) -> LuaMethod {
      LuaMethod(name, help: help) { call in
        let a = try TensorLua.tensorOrNumber(call, 1), b = try TensorLua.tensorOrNumber(call, 2)
        try TensorOps.checkBroadcast(call, a, b)
        TensorLua.push(f(a.dtype == .float32 ? a : a.float(), b.dtype == .float32 ? b : b.float()), call.stack)
        return 1
      }
    }
    return [
      arith("__add", "x + y") { $0 + $1 },
      arith("__sub", "x - y") { $0 - $1 },
      arith("__div", "x / y") { $0 / $1 },
      LuaMethod("__mul", help: "x * y: scaling by a number; for two tensors the matrix product (1-D·1-D is the dot product), as Torch7.") { call in
        if call.stack.type(1) == .number || call.stack.type(2) == .number {
          let a = try TensorLua.tensorOrNumber(call, 1), b = try TensorLua.tensorOrNumber(call, 2)
          TensorLua.push((a.dtype == .float32 ? a : a.float()) * (b.dtype == .float32 ? b : b.float()), call.stack)
          return 1
        }
        let a = try TensorOps.floatTensor(call, 1), b = try TensorOps.floatTensor(call, 2)
        try TensorReduceMethods.checkMatmul(a, b)
        let r = a.matmul(b)
        if a.rank == 1 && b.rank == 1 { call.push(Double(r.item())) } else { TensorLua.push(r, call.stack) }
        return 1
      },
      LuaMethod("__pow", help: "x ^ p: element-wise power") { call in
        let a = try TensorOps.floatTensor(call, 1)
        if call.stack.type(2) == .number { TensorLua.push(a.pow(Float(try call.number(2))), call.stack) } else {
          let b = try TensorOps.floatTensor(call, 2)
          try TensorOps.checkBroadcast(call, a, b)
          TensorLua.push(a.pow(b), call.stack)
        }
        return 1
      },
      LuaMethod("__unm", help: "-x") { call in
        TensorLua.push(try TensorOps.floatTensor(call, 1).neg(), call.stack)
        return 1
      },
      LuaMethod("__len", help: "#x: the sizes, as x:size()") { call in
        SizeTable.push(try TensorLua.any(call, 1).shape, call.stack)
        return 1
      },
      LuaMethod("__tostring", help: "tostring(x)") { call in
        call.push(TensorFormat.render(try TensorLua.any(call, 1)))
        return 1
      },
      LuaMethod("__tostring_short", help: "one-line summary used inside tables") { call in
        call.push(TensorFormat.short(try TensorLua.any(call, 1)))
        return 1
      },
      TensorIndexing.newIndex,
    ]
  }
}
