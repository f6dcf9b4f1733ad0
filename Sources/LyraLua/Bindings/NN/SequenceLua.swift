import CLua
import LyraBase
import LyraNN
import LyraTensor

/// Lua constructors and calls of the sequence modules. Their calls return several
/// values as PyTorch's do (`out, h, c = lstm(x)`, `out, weights = attn(q, k, v)`), and take
/// extra inputs (initial states, key and value, masks), so `m(x, ...)` / `m:forward(x, ...)`
/// comes here before the one-tensor path of every other module.
enum SequenceLua {
  /// Registers the constructors (lyra.nn.LSTM, ...); NNLib.open calls it.
  static func open(_ state: LuaState) {
    for spec in specs { let f = NNConstructors.constructor(spec); state.register("lyra.nn.\(f.name)", help: f.help, f.body) }
    for f in constructors { state.register("lyra.nn.\(f.name)", help: f.help, f.body) }
  }

  static let specs: [NNConstructors.Spec] = [
    .init(type: "LSTM", positional: ["input_size", "hidden_size"],
          signature: "nn.LSTM(input_size, hidden_size [, {num_layers = 1, batch_first = false, bias = true, dropout = 0}])",
          about: """
            Long short-term memory, as PyTorch's nn.LSTM (gates i, f, g, o; weights weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0).
            Call: out, h, c = lstm(x [, h0, c0]) (or lstm(x, {h0, c0})); x is [T, N, input_size] ([N, T, input_size] with
            batch_first, or unbatched [T, input_size]); out is [T, N, hidden_size]; h, c (and h0, c0, zeros by default)
            are [num_layers, N, hidden_size]. In nn.Sequential only out is passed on.
            Example: local lstm = nn.LSTM(8, 32, {batch_first = true}); local out, h, c = lstm(lyra.randn(4, 10, 8))
            """),
    .init(type: "GRU", positional: ["input_size", "hidden_size"],
          signature: "nn.GRU(input_size, hidden_size [, {num_layers = 1, batch_first = false, bias = true, dropout = 0}])",
          about: """
            Gated recurrent unit, as PyTorch's nn.GRU (gates r, z, n). Call: out, h = gru(x [, h0]); shapes as nn.LSTM.
            Example: local out, h = nn.GRU(8, 16)(lyra.randn(10, 4, 8))
            """),
    .init(type: "RNN", positional: ["input_size", "hidden_size"],
          signature: "nn.RNN(input_size, hidden_size [, {num_layers = 1, nonlinearity = 'tanh', batch_first = false, bias = true, dropout = 0}])",
          about: """
            Elman recurrent layer, h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) ('relu' with nonlinearity = 'relu').
            Call: out, h = rnn(x [, h0]); shapes as nn.LSTM.
            """),
    .init(type: "MultiheadAttention", positional: ["embed_dim", "num_heads"],
          signature: "nn.MultiheadAttention(embed_dim, num_heads [, {batch_first = false, bias = true, dropout = 0}])",
          about: """
            Multi-head scaled dot-product attention, as PyTorch's (in_proj_weight, in_proj_bias, out_proj).
            Call: out, weights = attn(query [, key, value] [, {attn_mask = m, key_padding_mask = p, is_causal = false}]); key and value default
            to query (self-attention). query is [L, N, E] ([N, L, E] with batch_first, or [L, E]); weights [N, L, S] are
            averaged over heads. attn_mask is an additive float mask [L, S] or [N*num_heads, L, S] (-math.huge forbids),
            key_padding_mask one [N, S] (-math.huge at padded keys); is_causal = true lets position i see positions <= i
            only. In nn.Sequential: self-attention, out only.
            Example: local out, w = nn.MultiheadAttention(16, 4, {batch_first = true})(lyra.randn(2, 5, 16))
            """),
    .init(type: "TransformerEncoderLayer", positional: ["d_model", "nhead"],
          signature: "nn.TransformerEncoderLayer(d_model, nhead [, {dim_feedforward = 2048, dropout = 0.1, activation = 'relu', norm_first = false, batch_first = false, layer_norm_eps = 1e-5}])",
          about: """
            One Transformer encoder block, as PyTorch's: self-attention and a feed-forward network, each with a residual
            connection and layer normalisation (after it, or before it with norm_first = true); activation 'relu' or 'gelu'.
            Call: y = layer(x [, {src_mask = m, src_key_padding_mask = p, is_causal = false}]); x and the masks as
            nn.MultiheadAttention's query, attn_mask and key_padding_mask.
            Example: nn.Sequential(nn.TransformerEncoderLayer(32, 4, {dim_feedforward = 64, batch_first = true}), nn.Linear(32, 10))
            """),
  ]

  static var constructors: [LuaMethod] {
    [
      LuaMethod("TransformerEncoder", help: """
        nn.TransformerEncoder(encoder_layer, num_layers [, {norm = false}]) -> module
        num_layers copies of an nn.TransformerEncoderLayer (starting from its weights, as PyTorch's deep copies),
        applied in order, then a final layer normalisation with norm = true. Call: y = enc(x [, {src_mask = m,
        src_key_padding_mask = p, is_causal = false}]), masks as nn.TransformerEncoderLayer's.
        Example: nn.TransformerEncoder(nn.TransformerEncoderLayer(32, 4, {dim_feedforward = 64, batch_first = true}), 2)
        """) { call in
        guard let layer = call.stack.toObject(1, as: Module.self) as? TransformerEncoderLayer else {
          throw call.expected(1, "nn.TransformerEncoderLayer")
        }
        let n = try call.integer(2)
        guard (1...1024).contains(n) else { throw LuaArgumentError(2, "num_layers must be in 1...1024, got \(n)") }
        let o = try call.options(3)
        let norm = try o?.bool("norm") ?? false
        try o?.finish()
        do {
          try CheckedSize.allocation([n, layer.parameterCount], elementSize: 4, "nn.TransformerEncoder parameters")
          ModuleLua.push(try TransformerEncoder(layer, numLayers: n, norm: norm), call.stack)
        } catch let e as SizeError { throw LuaFailure(e.description) }
        return 1
      },
    ]
  }

  /// Runs a sequence module called from Lua with every result it has; nil for other modules.
  static func forward(_ call: LuaCall, _ m: Module) throws -> Int? {
    switch m {
    case let r as RecurrentLayer: return try recurrent(call, r)
    case let a as MultiheadAttention: return try attention(call, a)
    case let e as TransformerEncoderLayer: return try encoder(call, e.encode)
    case let e as TransformerEncoder: return try encoder(call, e.encode)
    default: return nil
    }
  }

  static func tensor(_ call: LuaCall, _ i: Int, _ what: String) throws -> Tensor? {
    if call.isNil(i) { return nil }
    guard let t = call.stack.toObject(Int32(i), as: Tensor.self) else {
      throw LuaArgumentError(i, "\(what) must be a lyra.Tensor, got \(call.stack.typeName(Int32(i)))")
    }
    guard t.dtype == .float32 else { throw LuaArgumentError(i, "\(what) must be a float tensor, got \(t.dtype) (convert with :float())") }
    return t
  }

  static func input(_ call: LuaCall, _ m: Module) throws -> Tensor {
    guard let x = try tensor(call, 2, "the input") else { throw LuaArgumentError(2, "\(m.typeName) needs an input tensor") }
    return x
  }

  static func recurrent(_ call: LuaCall, _ r: RecurrentLayer) throws -> Int {
    let x = try input(call, r)
    let lstm = r is LSTM
    let limit = lstm ? 4 : 3
    if call.count > limit { throw LuaArgumentError(limit + 1, "unexpected argument; \(r.typeName) takes x and \(lstm ? "h0, c0 (or {h0, c0})" : "h0")") }
    var h0: Tensor?, c0: Tensor?
    if call.stack.type(3) == .table && call.stack.toObject(3, as: Tensor.self) == nil {
      guard lstm, call.count == 3 else { throw LuaArgumentError(3, "the initial state must be a tensor h0\(lstm ? " or a pair {h0, c0}" : "")") }
      let s = call.stack
      for k in 1...2 {
        s.rawGet(3, index: k)
        defer { s.pop() }
        guard let t = s.toObject(-1, as: Tensor.self) else { throw LuaArgumentError(3, "the state pair must be {h0, c0}, two tensors") }
        guard t.dtype == .float32 else { throw LuaArgumentError(3, "the state pair must be float tensors, got \(t.dtype) (convert with :float())") }
        if k == 1 { h0 = t } else { c0 = t }
      }
      if s.rawLength(3) != 2 { throw LuaArgumentError(3, "the state pair must be {h0, c0}, two tensors") }
    } else {
      h0 = try tensor(call, 3, "h0")
      if lstm { c0 = try tensor(call, 4, "c0") }
    }
    let res: (output: Tensor, h: Tensor, c: Tensor?)
    do { res = try r.run(x, h0: h0, c0: c0) } catch let e as ShapeError { throw LuaFailure(e.message) }
    TensorLua.push(res.output, call.stack)
    TensorLua.push(res.h, call.stack)
    if let c = res.c { TensorLua.push(c, call.stack); return 3 }
    return 2
  }

  /// A trailing options table (a plain table, not a tensor) at or after `first`.
  static func trailingOptions(_ call: LuaCall, after first: Int) throws -> LuaOptions? {
    let last = call.count
    guard last >= first, call.stack.type(Int32(last)) == .table, call.stack.toObject(Int32(last), as: Tensor.self) == nil else { return nil }
    return try call.options(last)
  }

  static func maskOption(_ o: LuaOptions, _ key: String) throws -> Tensor? {
    guard let t = try o.object(key, Tensor.self, what: "a float tensor (an additive mask)") else { return nil }
    guard t.dtype == .float32 else { throw o.invalid(key, "a float tensor (an additive mask: 0 allows, -math.huge forbids), got \(t.dtype)") }
    return t
  }

  static func attention(_ call: LuaCall, _ a: MultiheadAttention) throws -> Int {
    let q = try input(call, a)
    var mask: Tensor?, padding: Tensor?, causal = false
    var tensors = call.count
    if let o = try trailingOptions(call, after: 2) {
      mask = try maskOption(o, "attn_mask")
      padding = try maskOption(o, "key_padding_mask")
      causal = try o.bool("is_causal") ?? false
      try o.finish()
      tensors -= 1
    }
    guard tensors == 2 || tensors == 4 else {
      throw LuaArgumentError(Swift.min(tensors, 3), "give query alone (self-attention) or query, key and value")
    }
    let k = tensors == 4 ? try tensor(call, 3, "key") : q, v = tensors == 4 ? try tensor(call, 4, "value") : q
    guard let k, let v else { throw LuaArgumentError(3, "key and value must both be tensors") }
    let res: (output: Tensor, weights: Tensor)
    do { res = try a.attend(q, k, v, mask: mask, keyPaddingMask: padding, isCausal: causal) } catch let e as ShapeError { throw LuaFailure(e.message) }
    TensorLua.push(res.output, call.stack)
    TensorLua.push(res.weights, call.stack)
    return 2
  }

  static func encoder(_ call: LuaCall, _ encode: (Tensor, Tensor?, Tensor?, Bool) throws -> Tensor) throws -> Int {
    guard let x = try tensor(call, 2, "the input") else { throw LuaArgumentError(2, "the encoder needs an input tensor") }
    var mask: Tensor?, padding: Tensor?, causal = false
    if call.count >= 3 {
      guard call.count == 3, let o = try trailingOptions(call, after: 3) else {
        throw LuaArgumentError(3, "expected an options table {src_mask = m, src_key_padding_mask = p, is_causal = false}")
      }
      mask = try maskOption(o, "src_mask")
      padding = try maskOption(o, "src_key_padding_mask")
      causal = try o.bool("is_causal") ?? false
      try o.finish()
    }
    do { TensorLua.push(try encode(x, mask, padding, causal), call.stack) } catch let err as ShapeError { throw LuaFailure(err.message) }
    return 1
  }
}
