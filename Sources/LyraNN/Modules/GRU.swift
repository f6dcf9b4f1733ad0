import LyraBase
import LyraTensor

/// Gated recurrent unit (PyTorch's `nn.GRU`, gates in its order r, z, n):
///   r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n), h' = (1 − z) ⊙ n + z ⊙ h,
/// where x_· = x·W_iᵀ + b_i and h_· = h·W_hᵀ + b_h (b_hn inside the product with r, as PyTorch).
/// `run(x, h0:)` returns (output, h_n, nil).
public final class GRU: RecurrentLayer {
  public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
              dropout: Float = 0, generator: Generator? = nil) {
    super.init(gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
               batchFirst: batchFirst, dropout: dropout, generator: generator)
  }

  override func step(_ xp: Tensor, h: Tensor, c: Tensor?, layer: Int) -> (h: Tensor, c: Tensor?) {
    let H = hiddenSize
    let hp = hiddenProjection(h, layer)
    let rz = (xp.narrow(1, 0, 2 * H) + hp.narrow(1, 0, 2 * H)).sigmoid()
    let r = rz.narrow(1, 0, H), z = rz.narrow(1, H, H)
    let n = (xp.narrow(1, 2 * H, H) + r * hp.narrow(1, 2 * H, H)).tanh()
    return (n + z * (h - n), nil)
  }
}
