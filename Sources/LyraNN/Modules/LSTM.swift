import LyraBase
import LyraTensor

/// Long short-term memory (PyTorch's `nn.LSTM`, gates in its order i, f, g, o):
///   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh,
///   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c').
/// `run(x, h0:, c0:)` returns (output, h_n, c_n); `forward` the output only.
public final class LSTM: RecurrentLayer {
  public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
              dropout: Float = 0, generator: Generator? = nil) {
    super.init(gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
               batchFirst: batchFirst, dropout: dropout, generator: generator)
  }

  override var hasCell: Bool { true }

  override func step(_ xp: Tensor, h: Tensor, c: Tensor?, layer: Int) -> (h: Tensor, c: Tensor?) {
    let H = hiddenSize
    let z = xp + hiddenProjection(h, layer)
    let s = z.sigmoid() // i, f and o read it; g is tanh of its own slice
    let i = s.narrow(1, 0, H), f = s.narrow(1, H, H), o = s.narrow(1, 3 * H, H)
    let g = z.narrow(1, 2 * H, H).tanh()
    let c2 = f * c! + i * g
    return (o * c2.tanh(), c2)
  }
}
