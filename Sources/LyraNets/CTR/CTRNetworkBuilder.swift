import LyraBase
import LyraNN

/// Builds CTR networks from VEGA's `model_desc` keys (vega/networks/pytorch/customs/
/// autogate.py, deepfm.py): `input_dim` (ids over all fields), `input_dim4lookup` (fields),
/// `embed_dim`, `hidden_dims`, `dropout_prob`, `batch_norm`, `layer_norm`, and for
/// AutoGateModel `alpha_init_mean`, `alpha_init_radius`, `alpha_activation`,
/// `selected_pairs` ([[i, j], ...]; [] is every pair, as in VEGA), `fis_ratio`.
/// `input_dim4lookup` defaults to the data's field count (a sample is [fields]).
public enum CTRNetworkBuilder {
  public static let builders: [(String, NetworkRegistry.Builder)] = CTRNetwork.Kind.allCases.map { kind in
    (CTRNetwork.typeNames[kind]!, { r in try build(kind, r) })
  }

  static func build(_ kind: CTRNetwork.Kind, _ r: DescriptionReader) throws -> Module {
    let inputDim = try r.int("input_dim", nil, min: 1)
    let fields = try r.int("input_dim4lookup", r.inherited["in_features"]?.int, min: 1)
    let embed = kind == .lr ? try r.int("embed_dim", 1, min: 1) : try r.int("embed_dim", nil, min: 1)
    var o = CTRNetwork.Options()
    if kind != .lr && kind != .fm {
      o.hiddenDims = try r.optionalArray("hidden_dims")?.map { v -> Int in
        guard let i = v.int, i > 0, i <= DescriptionReader.maxInteger else {
          throw DescriptionError("\(r.path).hidden_dims: sizes must be positive integers, got \(v.text)")
        }
        return i
      } ?? []
      o.dropout = try r.double("dropout_prob", 0, range: 0...0.999)
      o.batchNorm = try r.bool("batch_norm", false)
      o.layerNorm = try r.bool("layer_norm", false)
    }
    if kind == .autoGate {
      o.alphaInitMean = try r.double("alpha_init_mean", 0)
      o.alphaInitRadius = try r.double("alpha_init_radius", 1e-4, range: 0...10)
      o.alphaActivation = try r.string("alpha_activation", "tanh")
      o.selectedPairs = try r.optionalArray("selected_pairs")?.map { v -> (Int, Int) in
        guard let a = v.array, a.count == 2, let i = a[0].int, let j = a[1].int else {
          throw DescriptionError("\(r.path).selected_pairs: each entry must be a pair [i, j] of field indices, got \(v.text)")
        }
        return (i, j)
      }
      o.emptyMeansNone = try r.bool("no_pairs", false)
      if r.raw("fis_ratio") != nil { o.fisRatio = try r.double("fis_ratio", 1, range: 0...1) }
    }
    try r.checkParameters([inputDim, embed + 1], "embedding tables [input_dim, embed_dim + 1]")
    return try CTRNetwork(kind, inputDim: inputDim, fields: fields, embedDim: embed, options: o)
  }
}
