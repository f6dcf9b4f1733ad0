import CLua
import LyraNN
import LyraTensor

/// `lyra.nn.Linear(784, 10)`, `lyra.nn.Conv2d(1, 32, 3, {padding = 1})`, ...: positional
/// arguments and a trailing options table become a model description that the
/// registry builds, so Lua and YAML/JSON configs share one validated path.
enum NNConstructors {
  struct Spec {
    var type: String
    var positional: [String]
    var signature: String
    var about: String
    /// Keys holding a dimension, 1-based in Lua (converted to the description's 0-based).
    var dims: [String] = []
    /// Positional keys that take a list of any length (normalized_shape, sizes).
    var lists: [String] = []
  }

  static let specs: [Spec] = [
    Spec(type: "Linear", positional: ["in_features", "out_features"], signature: "nn.Linear(in, out [, {bias = true}])",
         about: "y = x W^T + b over the last dimension.\nExample: nn.Linear(784, 10)"),
    Spec(type: "QuantLinear", positional: ["in_features", "out_features"], signature: "nn.QuantLinear(in, out, {bits = b [, activation_bits = a, bias = true]})",
         about: "A Linear with b-bit integer weights and, with activation_bits, quantised inputs; see nn.QuantConv2d (integer kernels in evaluation under lyra.no_grad).\nExample: nn.QuantLinear(784, 10, {bits = 4, activation_bits = 8})"),
    Spec(type: "Conv2d", positional: ["in_channels", "out_channels", "kernel_size"],
         signature: "nn.Conv2d(in, out, kernel [, {stride = 1, padding = 0, dilation = 1, groups = 1, bias = true}])",
         about: "2-D convolution over [N, C, H, W] input; kernel, stride, padding, dilation are a number or {h, w}.\nExample: nn.Conv2d(1, 32, 3, {padding = 1, bias = false})"),
    Spec(type: "QuantConv2d", positional: ["in_channels", "out_channels", "kernel_size"],
         signature: "nn.QuantConv2d(in, out, kernel, {bits = b [, activation_bits = a, stride, padding, dilation, groups, bias]})",
         about: "A Conv2d whose weights are b-bit integers (2..8, one scale per output channel) and, with activation_bits, whose inputs are quantised too: trains quantisation-aware (straight-through gradients). In evaluation under lyra.no_grad, with activation_bits and one group, it runs integer kernels (lyra.config().int8_path).\nExample: nn.QuantConv2d(1, 32, 3, {bits = 8, activation_bits = 8, padding = 1})"),
    Spec(type: "BatchNorm2d", positional: ["num_features"], signature: "nn.BatchNorm2d(channels [, {eps = 1e-5, momentum = 0.1, affine = true}])",
         about: "Batch normalisation over the channels of [N, C, H, W] input (running statistics as PyTorch)."),
    Spec(type: "BatchNorm1d", positional: ["num_features"], signature: "nn.BatchNorm1d(features [, {eps, momentum, affine}])",
         about: "Batch normalisation over the features of [N, C] input."),
    Spec(type: "ReLU", positional: [], signature: "nn.ReLU()", about: "max(x, 0)."),
    Spec(type: "ReLU6", positional: [], signature: "nn.ReLU6()", about: "min(max(x, 0), 6)."),
    Spec(type: "LeakyReLU", positional: ["negative_slope"], signature: "nn.LeakyReLU([slope = 0.01])", about: "x if x > 0 else slope * x."),
    Spec(type: "GELU", positional: [], signature: "nn.GELU()", about: "Gaussian error linear unit."),
    Spec(type: "Sigmoid", positional: [], signature: "nn.Sigmoid()", about: "1 / (1 + exp(-x))."),
    Spec(type: "Tanh", positional: [], signature: "nn.Tanh()", about: "tanh(x)."),
    Spec(type: "SiLU", positional: [], signature: "nn.SiLU()", about: "x * sigmoid(x)."),
    Spec(type: "Hardswish", positional: [], signature: "nn.Hardswish()", about: "x * relu6(x + 3) / 6."),
    Spec(type: "Identity", positional: [], signature: "nn.Identity()", about: "Returns its input (a skip connection)."),
    Spec(type: "MaxPool2d", positional: ["kernel_size"], signature: "nn.MaxPool2d(kernel [, {stride = kernel, padding = 0, ceil_mode = false}])",
         about: "Max pooling.\nExample: nn.MaxPool2d(2)"),
    Spec(type: "AvgPool2d", positional: ["kernel_size"],
         signature: "nn.AvgPool2d(kernel [, {stride = kernel, padding = 0, ceil_mode = false, count_include_pad = true}])", about: "Average pooling."),
    Spec(type: "AdaptiveAvgPool2d", positional: ["output_size"], signature: "nn.AdaptiveAvgPool2d(size)",
         about: "Average pooling to a fixed output size (a number or {h, w}); 1 is global average pooling."),
    Spec(type: "Flatten", positional: ["start_dim", "end_dim"], signature: "nn.Flatten([first = 2 [, last = -1]])",
         about: "Merges dimensions first..last (1-based; default all but the batch)."),
    Spec(type: "Zero", positional: [], signature: "nn.Zero([{stride = 1}])", about: "Zeros shaped like the input (subsampled by stride): the 'none' operation of a search space."),
    Spec(type: "Dropout", positional: ["p"], signature: "nn.Dropout([p = 0.5])", about: "Zeroes elements with probability p in training; the identity in evaluation."),
    Spec(type: "Embedding", positional: ["num_embeddings", "embedding_dim"], signature: "nn.Embedding(count, dim [, {sparse = false}])",
         about: "A lookup table: 1-based integer indices -> rows of a [count, dim] weight.\nsparse = true: a forward's rows get their own gradient and lyra.optim.LazyAdam updates only the rows looked up (CTR tables); dense optimisers skip its weight."),
  ]

  static func constructor(_ spec: Spec) -> LuaMethod {
    LuaMethod(spec.type, help: "\(spec.signature)\n\(spec.about)") { call in
      var fields: [String: JSON] = ["type": .string(spec.type)]
      var i = 1
      for key in spec.positional {
        if i > call.count || call.stack.type(Int32(i)) == .table && !(key == "kernel_size" || key == "output_size" || spec.lists.contains(key) && isList(call, i)) { break }
        if call.isNil(i) { i += 1; continue }
        fields[key] = spec.lists.contains(key) ? try listArgument(call, i, key: key) : try jsonArgument(call, i, key: key)
        i += 1
      }
      if i <= call.count, call.stack.type(Int32(i)) == .table {
        let t = call.stack.value(Int32(i))
        guard case .table(let array, let options) = t, array.isEmpty else {
          throw LuaArgumentError(i, "options must be a table of name = value")
        }
        for (k, v) in options {
          guard k != "type" else { throw LuaArgumentError(i, "unknown option 'type'") }
          fields[k] = json(v)
        }
        i += 1
      }
      if i <= call.count { throw LuaArgumentError(i, "unexpected argument (\(call.stack.typeName(Int32(i)))); see ? lyra.nn.\(spec.type)") }
      if spec.type == "Embedding" { // Lua positions are 1-based (Torch7's LookupTable)
        guard fields["index_base"] == nil else { throw LuaArgumentError(i - 1, "unknown option 'index_base' (indices from Lua are 1-based)") }
        fields["index_base"] = JSON(1)
        if let s = fields.removeValue(forKey: "sparse") {
          guard let sparse = s.bool else { throw LuaArgumentError(i - 1, "option 'sparse' must be true or false") }
          if sparse { return try sparseEmbedding(fields, call) }
        }
      }
      if spec.type == "Flatten" { // Lua dimensions are 1-based
        for k in ["start_dim", "end_dim"] { if let d = fields[k]?.int, d > 0 { fields[k] = JSON(d - 1) } }
        if fields["start_dim"] == nil { fields["start_dim"] = JSON(1) }
      }
      try oneBasedDims(spec, &fields)
      do { try ParameterSizeChecks.check(spec.type, fields) } catch let e as DescriptionError { throw LuaFailure(e.message) }
      do {
        ModuleLua.push(try ModuleRegistry.build(.object(fields), label: "lyra.nn.\(spec.type)"), call.stack)
      } catch let e as DescriptionError {
        throw LuaFailure(e.message.replacingOccurrences(of: "lyra.nn.\(spec.type): ", with: "")
          .replacingOccurrences(of: "lyra.nn.\(spec.type).", with: "").replacingOccurrences(of: "unknown key", with: "unknown option"))
      }
      return 1
    }
  }

  /// `lyra.nn.Embedding(n, d, {sparse = true})`: a `SparseEmbedding` with 1-based indices.
  static func sparseEmbedding(_ fields: [String: JSON], _ call: LuaCall) throws -> Int {
    guard let n = fields["num_embeddings"]?.int, let d = fields["embedding_dim"]?.int, n > 0, d > 0 else {
      throw LuaFailure("count and dim must be positive integers")
    }
    if let k = fields.keys.first(where: { !["type", "num_embeddings", "embedding_dim", "index_base"].contains($0) }) { throw LuaFailure("unknown option '\(k)'") }
    do { try ParameterSizeChecks.check("Embedding", fields) } catch let e as DescriptionError { throw LuaFailure(e.message) }
    ModuleLua.push(try SparseEmbedding(n, d, std: 1, indexBase: 1), call.stack)
    return 1
  }

  static func jsonArgument(_ call: LuaCall, _ i: Int, key: String) throws -> JSON {
    let v = call.stack.value(Int32(i))
    switch v {
    case .integer, .number, .boolean, .string: return json(v)
    case .table(let a, let f) where f.isEmpty && a.count == 2: return json(v)
    default: throw LuaArgumentError(i, "\(key) must be a number, got \(call.stack.typeName(Int32(i)))")
    }
  }

  static func json(_ v: LuaValue) -> JSON { LuaJSON.json(v) }

  static func luaValue(_ j: JSON) -> LuaValue { LuaJSON.lua(j) }

  /// A plain table that is neither a module nor a Lua module (has no forward).
  static func isOptionsTable(_ call: LuaCall, _ i: Int) -> Bool {
    let s = call.stack
    guard s.type(Int32(i)) == .table else { return false }
    guard let t = try? s.field(Int32(i), "forward") else { return true } // a failed lookup pushed nothing
    s.pop()
    return t != .function
  }

  /// Containers take modules (or Lua tables with forward) as arguments or one list.
  static func moduleList(_ call: LuaCall, from first: Int) throws -> [Module] {
    if call.count == first, call.stack.type(Int32(first)) == .table, call.stack.toObject(Int32(first), as: Module.self) == nil {
      let s = call.stack
      let isModuleTable = !isOptionsTable(call, first)
      if !isModuleTable {
        var out: [Module] = []
        for k in 0..<s.rawLength(Int32(first)) {
          s.rawGet(Int32(first), index: k + 1)
          let top = Int(s.top)
          defer { s.pop() }
          out.append(try ModuleLua.moduleOrTable(call, top))
        }
        return out
      }
    }
    guard call.count >= first else { return [] }
    return try (first...call.count).map { try ModuleLua.moduleOrTable(call, $0) }
  }

  static var containers: [LuaMethod] {
    [
      LuaMethod("Sequential", help: "nn.Sequential([m1, m2, ...]) -> module\nModules applied in order; add more with :add(m).\nExample: nn.Sequential():add(nn.Linear(4, 8)):add(nn.ReLU())") { call in
        ModuleLua.push(Sequential(try moduleList(call, from: 1)), call.stack)
        return 1
      },
      LuaMethod("ModuleList", help: "nn.ModuleList([m1, m2, ...]) -> module\nHolds modules so their parameters are registered (parameters(), save, optimisers) without a forward: call a member yourself (m:get(i) or m[i], then call it on x); add more with :add(m).") { call in
        ModuleLua.push(ModuleList(try moduleList(call, from: 1)), call.stack)
        return 1
      },
      LuaMethod("Add", help: "nn.Add(m1, m2, ...) -> module\nApplies every branch to the input and sums the results (a residual join: nn.Add(body, nn.Identity())).") { call in
        let list = try moduleList(call, from: 1)
        guard !list.isEmpty else { throw LuaFailure("needs at least one branch") }
        ModuleLua.push(Add(list), call.stack)
        return 1
      },
      LuaMethod("Concat", help: "nn.Concat(m1, m2, ... [, {dim = 2}]) -> module\nApplies every branch to the input and joins the results along dim (channels by default).") { call in
        var last = call.count
        var dim = 1
        if last >= 2, isOptionsTable(call, last) {
          let o = LuaOptions(call: call, index: Int32(last))
          if let d = try o.int("dim") { dim = d - 1 }
          try o.finish()
          last -= 1
        }
        call.stack.setTop(Int32(last))
        let list = try moduleList(call, from: 1)
        guard !list.isEmpty else { throw LuaFailure("needs at least one branch") }
        ModuleLua.push(Concat(list, dim: dim), call.stack)
        return 1
      },
    ]
  }
}
