import LyraBase
import LyraTensor

/// A stack of `numLayers` Transformer encoder blocks (PyTorch's `nn.TransformerEncoder`):
/// copies of one `TransformerEncoderLayer`, starting from the same weights as PyTorch's
/// deep copies do, applied in order with the same masks, then an optional final layer
/// normalisation. Parameter names are PyTorch's (`layers.0.self_attn.in_proj_weight`, ...,
/// `norm.weight`), so its weights load by name.
public final class TransformerEncoder: Module {
  public let numLayers: Int
  public let hasNorm: Bool
  let layerDescription: JSON

  /// `layer` is the template: the stack holds `numLayers` copies of it (the template itself is not used).
  public init(_ layer: TransformerEncoderLayer, numLayers: Int, norm: Bool = false) throws {
    precondition(numLayers > 0, "TransformerEncoder: num_layers must be positive")
    self.numLayers = numLayers
    self.hasNorm = norm
    layerDescription = layer.describe()
    super.init()
    let stack = Sequential()
    for _ in 0..<numLayers {
      let copy = try ModuleRegistry.build(layerDescription)
      try copy.loadStateDict(layer.stateDict())
      copy.train(layer.training)
      stack.add(copy)
    }
    register(child: "layers", stack)
    if norm { register(child: "norm", EncoderLayerNorm(layer.dModel, eps: layer.layerNormEps)) }
  }

  public var layers: [TransformerEncoderLayer] { children[0].module.children.map { $0.module as! TransformerEncoderLayer } }

  public override func forward(_ x: Tensor) throws -> Tensor { try encode(x) }

  /// Every block in order on `x`, with the masks of `TransformerEncoderLayer.encode`.
  public func encode(_ x: Tensor, mask: Tensor? = nil, keyPaddingMask: Tensor? = nil, isCausal: Bool = false) throws -> Tensor {
    var y = x
    for l in layers { y = try l.encode(y, mask: mask, keyPaddingMask: keyPaddingMask, isCausal: isCausal) }
    if hasNorm { y = try children[1].module(y) }
    return y
  }

  public override var summary: String { "\(numLayers) layers" + (hasNorm ? ", final norm" : "") }
  public override var arguments: [String: JSON] {
    ["encoder_layer": layerDescription, "num_layers": JSON(numLayers), "norm": .bool(hasNorm)]
  }
}
