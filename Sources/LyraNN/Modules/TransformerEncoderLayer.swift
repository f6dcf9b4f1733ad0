import LyraBase
import LyraTensor

/// One Transformer encoder block (PyTorch's `nn.TransformerEncoderLayer`, same child
/// names so its weights load by name: self_attn, linear1, dropout, linear2, norm1, norm2,
/// dropout1, dropout2):
///
///   post-norm (default):  x = norm1(x + SA(x));  x = norm2(x + FF(x))
///   norm_first:           x = x + SA(norm1(x));  x = x + FF(norm2(x))
///
/// with SA(x) = dropout1(self_attn(x, x, x, mask)) and FF(x) = dropout2(linear2(dropout(act(linear1(x))))).
public final class TransformerEncoderLayer: Module {
  public let dModel: Int, nhead: Int, dimFeedforward: Int
  public let dropoutP: Float
  /// "relu" or "gelu".
  public let activation: String
  public let normFirst: Bool
  public let batchFirst: Bool
  public let layerNormEps: Float

  public var selfAttn: MultiheadAttention { child("self_attn") as! MultiheadAttention }

  public init(_ dModel: Int, _ nhead: Int, dimFeedforward: Int = 2048, dropout: Float = 0.1, activation: String = "relu",
              layerNormEps: Float = 1e-5, batchFirst: Bool = false, normFirst: Bool = false, generator: Generator? = nil) {
    precondition(activation == "relu" || activation == "gelu", "TransformerEncoderLayer: activation must be 'relu' or 'gelu'")
    precondition(dimFeedforward > 0, "TransformerEncoderLayer: dim_feedforward must be positive")
    self.dModel = dModel
    self.nhead = nhead
    self.dimFeedforward = dimFeedforward
    self.dropoutP = dropout
    self.activation = activation
    self.normFirst = normFirst
    self.batchFirst = batchFirst
    self.layerNormEps = layerNormEps
    super.init()
    let g = generator ?? Tensor.defaultGenerator
    register(child: "self_attn", MultiheadAttention(dModel, nhead, dropout: dropout, batchFirst: batchFirst, generator: g))
    register(child: "linear1", Linear(dModel, dimFeedforward, generator: g))
    register(child: "dropout", Dropout(dropout, generator: generator))
    register(child: "linear2", Linear(dimFeedforward, dModel, generator: g))
    register(child: "norm1", EncoderLayerNorm(dModel, eps: layerNormEps))
    register(child: "norm2", EncoderLayerNorm(dModel, eps: layerNormEps))
    register(child: "dropout1", Dropout(dropout, generator: generator))
    register(child: "dropout2", Dropout(dropout, generator: generator))
  }

  func child(_ name: String) -> Module { children.first { $0.name == name }!.module }

  public override func forward(_ x: Tensor) throws -> Tensor { try encode(x) }

  /// The block on `x` ([L, N, d_model], [N, L, d_model] with batch_first, or [L, d_model]);
  /// `mask` is self-attention's additive float mask [L, L] or [N·nhead, L, L],
  /// `keyPaddingMask` its [N, L] mask of padded positions (PyTorch's src_key_padding_mask).
  public func encode(_ x: Tensor, mask: Tensor? = nil, keyPaddingMask: Tensor? = nil, isCausal: Bool = false) throws -> Tensor {
    let norm1 = child("norm1"), norm2 = child("norm2")
    func sa(_ t: Tensor) throws -> Tensor { try child("dropout1")(try selfAttn.attend(t, t, t, mask: mask, keyPaddingMask: keyPaddingMask, isCausal: isCausal).output) }
    func ff(_ t: Tensor) throws -> Tensor {
      let h = try child("linear1")(t)
      let a = activation == "gelu" ? h.gelu() : h.relu()
      return try child("dropout2")(try child("linear2")(try child("dropout")(a)))
    }
    if normFirst {
      let y = x + (try sa(try norm1(x)))
      return y + (try ff(try norm2(y)))
    }
    let y = try norm1(x + (try sa(x)))
    return try norm2(y + (try ff(y)))
  }

  public override var summary: String {
    "\(dModel), \(nhead) heads, feedforward \(dimFeedforward), \(activation)" + (normFirst ? ", norm_first" : "")
      + (batchFirst ? ", batch_first" : "") + (dropoutP > 0 ? ", dropout \(dropoutP)" : "")
  }
  public override var arguments: [String: JSON] {
    ["d_model": JSON(dModel), "nhead": JSON(nhead), "dim_feedforward": JSON(dimFeedforward), "dropout": .number(Double(dropoutP)),
     "activation": .string(activation), "layer_norm_eps": .number(Double(layerNormEps)), "batch_first": .bool(batchFirst),
     "norm_first": .bool(normFirst)]
  }
}

/// Layer normalisation over the last dimension, with PyTorch's `weight`/`bias` names:
/// y = (x − mean) / √(var + eps) · weight + bias (biased variance).
///
/// Private to the encoder layer on purpose: the public `nn.LayerNorm` module is being
/// added on another branch; after that merge this class can give way to it.
final class EncoderLayerNorm: Module {
  let size: Int, eps: Float
  init(_ size: Int, eps: Float) {
    self.size = size
    self.eps = eps
    super.init()
    register(parameter: "weight", Tensor.full([size], 1))
    register(parameter: "bias", Tensor.zeros([size]))
  }
  override var typeName: String { "LayerNorm" }
  override var summary: String { "\(size), eps = \(eps)" }
  override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("LayerNorm", x, dim: -1, size: size, expected: "input [..., \(size)]")
    let mean = x.mean(-1, keepdim: true)
    let centred = x - mean
    let inv = centred.mul(centred).mean(-1, keepdim: true).add(eps).sqrt().rdiv(1)
    return centred * inv * ownParameters[0].tensor + ownParameters[1].tensor
  }
}
