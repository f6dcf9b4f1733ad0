import LyraBase
import LyraTensor

/// Elman recurrent layer (PyTorch's `nn.RNN`): h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh),
/// act tanh (default) or relu. `run(x, h0:)` returns (output, h_n, nil).
public final class RNN: RecurrentLayer {
  /// "tanh" or "relu".
  public let nonlinearity: String

  public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, nonlinearity: String = "tanh", bias: Bool = true,
              batchFirst: Bool = false, dropout: Float = 0, generator: Generator? = nil) {
    precondition(nonlinearity == "tanh" || nonlinearity == "relu", "RNN: nonlinearity must be 'tanh' or 'relu'")
    self.nonlinearity = nonlinearity
    super.init(gates: 1, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
               batchFirst: batchFirst, dropout: dropout, generator: generator)
  }

  override func step(_ xp: Tensor, h: Tensor, c: Tensor?, layer: Int) -> (h: Tensor, c: Tensor?) {
    let z = xp + hiddenProjection(h, layer)
    return (nonlinearity == "relu" ? z.relu() : z.tanh(), nil)
  }

  public override var summary: String { super.summary + (nonlinearity == "relu" ? ", relu" : "") }
  public override var arguments: [String: JSON] {
    var a = super.arguments
    a["nonlinearity"] = .string(nonlinearity)
    return a
  }
}
