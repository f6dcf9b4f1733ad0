import CLua
import LyraBase
import LyraTensor

/// `lyra.zeros(3, 4)`, `lyra.tensor{{1, 2}, {3, 4}}`, `lyra.no_grad(f)` and friends.
enum TensorConstructors {
  /// A creation function taking sizes and an optional `{dtype =, requires_grad =}` table.
  static func sized(_ name: String, _ help: String, floatingOnly: Bool = false, _ make: @escaping ([Int], DType) -> Tensor) -> LuaMethod {
    LuaMethod(name, help: help + "\nOptions (a last table): dtype ('float32' default, 'float64', 'int64', 'int32', 'bool'), requires_grad.") { call in
      let o = try call.creationOptions()
      if floatingOnly, !o.type.isFloatingPoint { throw LuaFailure("option 'dtype': \(name) makes float32 or float64 tensors, not \(o.type)") }
      TensorLua.push(try o.finish(make(try call.sizes(from: 1, elementSize: o.type.size), o.type)), call.stack)
      return 1
    }
  }

  static var all: [LuaMethod] {
    [
      sized("zeros", "lyra.zeros(sizes... [, {dtype =}]) -> tensor\nA tensor of zeros: lyra.zeros(3, 4), lyra.zeros({3, 4}), lyra.zeros(3, {dtype = 'int64'}).") { Tensor.zeros($0, dtype: $1) },
      sized("ones", "lyra.ones(sizes... [, {dtype =}]) -> tensor\nA tensor of ones.") { Tensor.ones($0, dtype: $1) },
      sized("empty", "lyra.empty(sizes... [, {dtype =}]) -> tensor\nA tensor whose values are not set.") { Tensor.empty($0, dtype: $1) },
      sized("rand", "lyra.rand(sizes... [, {dtype =}]) -> tensor\nUniform in [0, 1), from the generator seeded by lyra.manual_seed (float64 values are float32 ones widened).", floatingOnly: true) { Tensor.rand($0).to($1) },
      sized("randn", "lyra.randn(sizes... [, {dtype =}]) -> tensor\nStandard normal, from the generator seeded by lyra.manual_seed (float64 values are float32 ones widened).", floatingOnly: true) { Tensor.randn($0).to($1) },
      LuaMethod("full", help: "lyra.full(sizes, value [, {dtype =}]) -> tensor\nA tensor filled with value: lyra.full({2, 3}, 7), lyra.full({2}, 2^53 + 1, {dtype = 'int64'}) (exact).") { call in
        let o = try call.creationOptions(after: 2)
        try call.table(1)
        let shape = try call.sizes(from: 1, trailing: 1, elementSize: o.type.size)
        if o.type.isLegacy {
          TensorLua.push(try o.finish(Tensor.full(shape, Float(try call.number(2)), dtype: o.type)), call.stack)
        } else {
          let t = Tensor.empty(shape, dtype: o.type)
          TensorLua.push(try o.finish(t.fill_(try TensorInPlaceMethods.exactStorable(call, 2, into: t))), call.stack)
        }
        return 1
      },
      LuaMethod("randint", help: "lyra.randint(low, high, sizes) -> tensor\nIntegers uniform in [low, high) (an int tensor).") { call in
        let lo = try call.integer(1), hi = try call.integer(2)
        guard hi > lo else { throw LuaArgumentError(2, "high \(hi) must exceed low \(lo)") }
        let int32 = Int(Int32.min)...Int(Int32.max) // not abs(): abs(Int.min) overflows
        guard int32.contains(lo), int32.contains(hi) else { throw LuaArgumentError(2, "bounds must fit in int32") }
        TensorLua.push(Tensor.randint(lo, hi, try call.sizes(from: 3)), call.stack)
        return 1
      },
      LuaMethod("randperm", help: "lyra.randperm(n) -> tensor\nA random permutation of 1..n (an int tensor).") { call in
        let n = try call.integer(1)
        guard n >= 0, n < 1 << 30 else { throw LuaArgumentError(1, "n must be in 0..2^30") }
        try call.checkedAllocation([n, 2], "permutation (with its working copy)")
        TensorLua.push(TensorReduceMethods.oneBased(Tensor.randperm(n)), call.stack)
        return 1
      },
      LuaMethod("arange", help: "lyra.arange([start,] stop [, step] [, {dtype =}]) -> tensor\nValues start, start+step, ... below stop (PyTorch's arange; stop excluded). Integer arguments give an int32 tensor, others float32,\nunless dtype says otherwise: lyra.arange(5, {dtype = 'int64'}).") { call in
        let o = try call.creationOptions()
        var start = 0.0, stop = try call.number(1), step = 1.0
        if !call.isNil(2) {
          start = stop
          stop = try call.number(2)
          step = try call.optNumber(3, 1)
        }
        guard step != 0, (stop - start) / step >= 0, (stop - start) / step < 1e9, abs(start) < 2e9, abs(stop) < 2e9 else {
          throw LuaFailure("invalid range \(start), \(stop), step \(step)")
        }
        try call.checkedAllocation([Int(((stop - start) / step).rounded(.up))], "range")
        let allInt = [start, stop, step].allSatisfy { $0 == $0.rounded() } && call.stack.type(1) == .number
          && (1...3).allSatisfy { call.isNil($0) || lua_isinteger(call.L, Int32($0)) != 0 }
        let dtype = o.dtype ?? (allInt ? .int32 : .float32)
        if dtype.isLegacy {
          TensorLua.push(try o.finish(Tensor.arange(Float(start), Float(stop), Float(step), dtype: dtype)), call.stack)
        } else {
          let n = max(0, Int(((stop - start) / step).rounded(.up)))
          TensorLua.push(Tensor(scalars: (0..<n).map { .float64(start + Double($0) * step) }, dtype: dtype), call.stack)
        }
        return 1
      },
      LuaMethod("linspace", help: "lyra.linspace(start, stop, steps) -> tensor\nsteps evenly spaced values from start to stop inclusive.") { call in
        let n = try call.integer(3)
        guard n >= 1, n < 1 << 31 else { throw LuaArgumentError(3, "steps must be positive") }
        try call.checkedAllocation([n], "linspace")
        TensorLua.push(Tensor.linspace(Float(try call.number(1)), Float(try call.number(2)), n), call.stack)
        return 1
      },
      LuaMethod("eye", help: "lyra.eye(n) -> tensor\nThe n×n identity matrix.") { call in
        let n = try call.integer(1)
        guard n >= 0, n < 1 << 16 else { throw LuaArgumentError(1, "n must be in 0..65535") }
        try call.checkedAllocation([n, n], "identity matrix")
        TensorLua.push(Tensor.eye(n), call.stack)
        return 1
      },
      LuaMethod("tensor", help: "lyra.tensor(values [, dtype | {dtype =, requires_grad =}]) -> tensor\nFrom a number or nested tables: lyra.tensor{{1, 2}, {3, 4}} (float32);\nlyra.tensor({1, 2}, 'int') or {dtype = 'int32'} an int tensor; {dtype = 'int64'} keeps Lua integers exact (2^53 + 1 too);\n'float64', 'bool' (true/false or numbers ~= 0) likewise.") { call in
        let o = try call.creationOptions()
        let dtype = try o.dtype ?? (call.isNil(2) ? .float32 : TensorDTypeNames.dtype(call, 2))
        let t = dtype.isLegacy ? try legacyTensor(call, dtype) : try TensorTypedConstructors.exact(call, dtype)
        TensorLua.push(try o.finish(t), call.stack)
        return 1
      },
      LuaMethod("cat", help: "lyra.cat({tensors}, [dim = 1]) -> tensor\nJoins tensors along an existing dimension.") { call in
        let list = try tensors(call, 1)
        let d = try call.dim(2, rank: list[0].rank, default: 0)
        for (k, t) in list.enumerated() {
          var a = t.shape, b = list[0].shape
          guard a.count == b.count else { throw LuaArgumentError(1, "tensor \(k + 1) has \(a.count) dimensions, tensor 1 has \(b.count)") }
          a[d] = 0
          b[d] = 0
          guard a == b else { throw LuaArgumentError(1, "tensor \(k + 1) of shape \(ShapeText.format(t.shape)) cannot join \(ShapeText.format(list[0].shape)) along dim \(d + 1)") }
        }
        // The joined size: one tensor listed a million times is a large request.
        var out = list[0].shape
        out[d] = try list.reduce(0) { try CheckedSize.sum($0, $1.shape[d], "joined size") }
        try call.checkedAllocation(out, "joined tensor")
        TensorLua.push(Tensor.cat(list, dim: d), call.stack)
        return 1
      },
      LuaMethod("stack", help: "lyra.stack({tensors}, [dim = 1]) -> tensor\nJoins equal-shaped tensors along a new dimension.") { call in
        let list = try tensors(call, 1)
        let d = try call.dim(2, rank: list[0].rank + 1, default: 0)
        for (k, t) in list.enumerated() where t.shape != list[0].shape {
          throw LuaArgumentError(1, "tensor \(k + 1) has shape \(ShapeText.format(t.shape)), tensor 1 has \(ShapeText.format(list[0].shape))")
        }
        try call.checkedAllocation([list.count] + list[0].shape, "stacked tensor")
        TensorLua.push(Tensor.stack(list, dim: d), call.stack)
        return 1
      },
      LuaMethod("where", help: "lyra.where(condition, a, b) -> tensor\na where condition is non-zero, else b (broadcasting).") { call in
        let c = try TensorOps.floatTensor(call, 1), a = try TensorLua.tensorOrNumber(call, 2), b = try TensorLua.tensorOrNumber(call, 3)
        guard let ab = Shape.broadcast(a.shape, b.shape), let out = Shape.broadcast(ab, c.shape) else {
          throw LuaFailure("shapes \(ShapeText.format(c.shape)), \(ShapeText.format(a.shape)) and \(ShapeText.format(b.shape)) do not broadcast")
        }
        try call.checkedAllocation(out, "result")
        TensorLua.push(Tensor.where(c, a.float(), b.float()), call.stack)
        return 1
      },
      LuaMethod("is_tensor", help: "lyra.is_tensor(v) -> boolean") { call in
        call.push(call.stack.toObject(1, as: Tensor.self) != nil)
        return 1
      },
      LuaMethod("manual_seed", help: "lyra.manual_seed(n)\nSeeds the default generator: the same seed gives the same numbers.") { call in
        Tensor.manualSeed(try call.seed(1))
        return 0
      },
      LuaMethod("no_grad", help: "lyra.no_grad(fn, ...) -> results of fn\nRuns fn without recording operations for autograd (evaluation, manual updates).") { call in
        guard call.stack.type(1) == .function else { throw call.expected(1, "function") }
        let status = Tensor.noGrad { lyra_pcall_raw(call.L, Int32(call.count - 1), LUA_MULTRET) }
        if status != LUA_OK { throw LuaRaiseTop() }
        return call.count
      },
      LuaMethod("is_grad_enabled", help: "lyra.is_grad_enabled() -> boolean\nFalse inside lyra.no_grad.") { call in
        call.push(Tensor.isGradEnabled)
        return 1
      },
      LuaMethod("setprintoptions", help: "lyra.setprintoptions{precision =, threshold =, edgeitems =}\nHow tensors print: digits after the point (4), the element count past which printing is summarised (1000), items shown at each end (3).") { call in
        guard let o = try call.options(1) else { throw call.expected(1, "table") }
        if let p = try o.int("precision") {
          guard (0...16).contains(p) else { throw LuaFailure("precision must be in 0..16") }
          TensorFormat.options.precision = p
        }
        if let t = try o.int("threshold") { TensorFormat.options.threshold = max(t, 0) }
        if let e = try o.int("edgeitems") { TensorFormat.options.edgeitems = max(e, 1) }
        if let w = try o.int("linewidth") { TensorFormat.options.linewidth = max(w, 20) }
        try o.finish()
        return 0
      },
    ]
  }

  /// lyra.tensor for float32 and int32 (as it always was).
  static func legacyTensor(_ call: LuaCall, _ dtype: DType) throws -> Tensor {
    if call.stack.type(1) == .number {
      let v = try call.number(1)
      if dtype == .int32, !(v.isFinite && abs(v) < 2.1e9) { throw LuaArgumentError(1, "value does not fit in an int tensor") }
      return dtype == .int32 ? Tensor(indices: [Int(v)], shape: []) : Tensor(Float(v))
    }
    if let t = call.stack.toObject(1, as: Tensor.self) {
      if dtype == .int32, t.dtype == .float32, !t.toArray().allSatisfy({ $0.isFinite && abs($0) < 2.1e9 }) {
        throw LuaArgumentError(1, "values do not fit in an int tensor")
      }
      return t.to(dtype).clone()
    }
    try call.table(1)
    var shape: [Int] = []
    var values: [Float] = []
    try flatten(call, 1, depth: 0, shape: &shape, values: &values)
    if dtype == .int32, !values.allSatisfy({ $0.isFinite && abs($0) < 2.1e9 }) {
      throw LuaArgumentError(1, "values do not fit in an int tensor")
    }
    return dtype == .int32 ? Tensor(indices: values.map { Int($0) }, shape: shape) : Tensor(values, shape: shape)
  }

  /// A Lua list of tensors (non-empty).
  static func tensors(_ call: LuaCall, _ i: Int) throws -> [Tensor] {
    try call.table(i)
    let n = call.stack.rawLength(Int32(i))
    guard n > 0 else { throw LuaArgumentError(i, "expected a non-empty list of tensors") }
    let list = try (1...n).map { k in
      call.stack.rawGet(Int32(i), index: k)
      defer { call.stack.pop() }
      guard let t = call.stack.toObject(-1, as: Tensor.self) else { throw LuaArgumentError(i, "item \(k) is \(call.stack.typeName(-1)), not a lyra.Tensor") }
      return t
    }
    // float32/int32 lists join as float32 (as they always did); with an int64, float64 or
    // bool tensor among them, all join in the promoted type (PyTorch's torch.cat).
    if list.allSatisfy({ $0.dtype.isLegacy }) { return list.map { $0.dtype == .float32 ? $0 : $0.float() } }
    let type = list.dropFirst().reduce(list[0].dtype) { DType.promoted($0, $1.dtype) }
    return list.map { $0.to(type) }
  }

  /// Reads nested tables into a shape (from the first elements) and row-major values,
  /// checking that every level is rectangular.
  static func flatten(_ call: LuaCall, _ index: Int32, depth: Int, shape: inout [Int], values: inout [Float]) throws {
    try flatten(call, index, shape: &shape, values: &values) { s in s.type(-1) == .boolean ? (s.toBool(-1) ? 1 : 0) : Float(s.toNumber(-1) ?? 0) }
  }

  /// `flatten` with each leaf (a number or boolean on top of the stack) read by `leaf`.
  static func flatten<T>(_ call: LuaCall, _ index: Int32, shape: inout [Int], values: inout [T], leaf: (LuaStack) -> T) throws {
    let s = call.stack
    let top = s.absIndex(index)
    // The shape, by descending through first elements.
    s.pushValue(top) // [cur]
    while true {
      guard shape.count < 32, s.ensure(2) else {
        s.pop()
        throw LuaArgumentError(1, "tables nested too deeply")
      }
      let n = s.rawLength(-1)
      shape.append(n)
      if n == 0 {
        s.pop()
        break
      }
      if s.rawGet(-1, index: 1) != .table { // [cur, first]
        s.pop(2)
        break
      }
      lyra_remove(call.L, -2) // [first]
    }
    try fill(call, top, depth: 0, shape: shape, values: &values, leaf: leaf)
  }

  static func fill<T>(_ call: LuaCall, _ t: Int32, depth: Int, shape: [Int], values: inout [T], leaf read: (LuaStack) -> T) throws {
    let s = call.stack
    let n = s.rawLength(t)
    guard n == shape[depth] else {
      throw LuaArgumentError(1, "ragged table: length \(n) at depth \(depth + 1) where \(shape[depth]) was expected")
    }
    guard n > 0 else { return }
    let leaf = depth == shape.count - 1
    for k in 1...n {
      s.rawGet(t, index: k)
      defer { s.pop() }
      switch s.type(-1) {
      case .number where leaf, .boolean where leaf: values.append(read(s))
      case .table where !leaf: try fill(call, s.absIndex(-1), depth: depth + 1, shape: shape, values: &values, leaf: read)
      default:
        throw LuaArgumentError(1, "element \(k) at depth \(depth + 1) is \(s.typeName(-1)); expected \(leaf ? "a number" : "a table")")
      }
    }
  }
}
