import LyraBase
import LyraTensor

/// Zeroes whole channels of [N, C, H, W] (or [N, C, L]) input with probability p in
/// training and scales the kept ones by 1/(1 − p) (PyTorch's `nn.Dropout2d`): adjacent
/// pixels are correlated, so element-wise dropout barely regularises convolutions.
/// The identity in evaluation mode.
public final class Dropout2d: Module {
  public let p: Float
  let generator: Generator?
  public init(_ p: Float = 0.5, generator: Generator? = nil) {
    self.p = p
    self.generator = generator
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    guard x.dtype == .float32, x.rank == 3 || x.rank == 4 else {
      throw ShapeError("Dropout2d: expected input [N, C, H, W] or [N, C, L], got \(ShapeText.format(x.shape))")
    }
    guard training, p > 0 else { return x }
    // One inverted-dropout mask value per (sample, channel), broadcast over positions.
    let mask = Tensor.ones([x.shape[0], x.shape[1]] + [Int](repeating: 1, count: x.rank - 2))
      .dropout(p, training: true, generator: generator)
    return x.mul(mask)
  }
  public override var summary: String { "p = \(p)" }
  public override var arguments: [String: JSON] { ["p": .number(Double(p))] }
}
