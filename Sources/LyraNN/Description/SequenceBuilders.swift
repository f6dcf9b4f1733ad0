import LyraBase
import LyraTensor

/// Registry builders of the sequence modules (recurrent layers, attention, the
/// Transformer encoder block), kept apart from `ModuleRegistry.defaults` so each family
/// of layers adds its builders in one place.
extension ModuleRegistry {
  static func sequenceBuilders() -> [String: Builder] {
    func recurrent(_ r: DescriptionReader, gates: Int) throws -> (Int, Int, Int, Bool, Bool, Float) {
      let i = try r.int("input_size", min: 1), h = try r.int("hidden_size", min: 1)
      let l = try r.int("num_layers", 1, min: 1, max: 1024)
      if try r.bool("bidirectional", false) {
        throw DescriptionError("\(r.path).bidirectional: bidirectional recurrent layers are not supported yet; run a second layer on the reversed sequence (x:flip(1))")
      }
      if try r.optionalInt("proj_size").map({ $0 != 0 }) ?? false {
        throw DescriptionError("\(r.path).proj_size: projections are not supported; leave proj_size out")
      }
      try r.checkParameters([gates * h, Swift.max(i, h)], "weight_ih [\(gates) * hidden_size, input_size]")
      try r.checkParameters([l, gates * h, h], "weight_hh [num_layers, \(gates) * hidden_size, hidden_size]")
      return (i, h, l, try r.bool("bias", true), try r.bool("batch_first", false), Float(try r.double("dropout", 0, range: 0...1)))
    }
    return [
      "LSTM": { r in
        let (i, h, l, b, bf, p) = try recurrent(r, gates: 4)
        return LSTM(i, h, numLayers: l, bias: b, batchFirst: bf, dropout: p)
      },
      "GRU": { r in
        let (i, h, l, b, bf, p) = try recurrent(r, gates: 3)
        return GRU(i, h, numLayers: l, bias: b, batchFirst: bf, dropout: p)
      },
      "RNN": { r in
        let (i, h, l, b, bf, p) = try recurrent(r, gates: 1)
        let act = try r.string("nonlinearity", "tanh")
        guard act == "tanh" || act == "relu" else {
          throw DescriptionError("\(r.path).nonlinearity: expected 'tanh' or 'relu', got '\(act)'")
        }
        return RNN(i, h, numLayers: l, nonlinearity: act, bias: b, batchFirst: bf, dropout: p)
      },
      "MultiheadAttention": { r in
        let e = try r.int("embed_dim", min: 1), n = try r.int("num_heads", min: 1)
        guard e % n == 0 else { throw DescriptionError("\(r.path): embed_dim \(e) must be divisible by num_heads \(n)") }
        try r.checkParameters([4 * e, e], "in_proj_weight and out_proj [4 * embed_dim, embed_dim]")
        return MultiheadAttention(e, n, dropout: Float(try r.double("dropout", 0, range: 0...1)), bias: try r.bool("bias", true),
                                  batchFirst: try r.bool("batch_first", false))
      },
      "TransformerEncoderLayer": { r in
        let d = try r.int("d_model", min: 1), n = try r.int("nhead", min: 1), ff = try r.int("dim_feedforward", 2048, min: 1)
        guard d % n == 0 else { throw DescriptionError("\(r.path): d_model \(d) must be divisible by nhead \(n)") }
        try r.checkParameters([4 * d, d], "self_attn [4 * d_model, d_model]")
        try r.checkParameters([2 * ff, d], "linear1 and linear2 [2 * dim_feedforward, d_model]")
        let act = try r.string("activation", "relu")
        guard act == "relu" || act == "gelu" else {
          throw DescriptionError("\(r.path).activation: expected 'relu' or 'gelu', got '\(act)'")
        }
        let eps = try r.double("layer_norm_eps", 1e-5)
        guard eps > 0, eps.isFinite else { throw DescriptionError("\(r.path).layer_norm_eps: must be a positive number, got \(eps)") }
        return TransformerEncoderLayer(d, n, dimFeedforward: ff, dropout: Float(try r.double("dropout", 0.1, range: 0...1)),
                                       activation: act, layerNormEps: Float(eps), batchFirst: try r.bool("batch_first", false),
                                       normFirst: try r.bool("norm_first", false))
      },
      "TransformerEncoder": { r in
        guard let d = r.raw("encoder_layer"), d.object?["type"]?.string == "TransformerEncoderLayer" else {
          throw DescriptionError("\(r.path).encoder_layer: expected a TransformerEncoderLayer description ({type = 'TransformerEncoderLayer', d_model =, nhead =, ...})")
        }
        guard let layer = try ModuleRegistry.build(d, path: "\(r.path).encoder_layer") as? TransformerEncoderLayer else {
          throw DescriptionError("\(r.path).encoder_layer: not a TransformerEncoderLayer")
        }
        let n = try r.int("num_layers", min: 1, max: 1024)
        try r.checkParameters([n, layer.parameterCount], "num_layers copies of encoder_layer")
        return try TransformerEncoder(layer, numLayers: n, norm: try r.bool("norm", false))
      },
    ]
  }
}
