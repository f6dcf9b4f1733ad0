import LyraBase
import LyraTensor

/// Softmax and log-softmax along one dimension (PyTorch's `nn.Softmax(dim)`,
/// `nn.LogSoftmax(dim)`; Torch7's `nn.SoftMax`). `dim` is 0-based here and may count
/// from the end (-1, the default, is the last dimension: the classes of [N, C] logits).
public class SoftmaxBase: Module {
  public let dim: Int
  public init(dim: Int = -1) {
    self.dim = dim
    super.init()
  }

  /// The input's dimension `dim` names, or an error naming the module (the tensor core
  /// traps on a dimension the input lacks).
  func axis(_ x: Tensor) throws -> Int {
    let d = dim < 0 ? x.rank + dim : dim
    guard x.dtype == .float32 else { throw ShapeError("\(typeName): expected a float tensor, got \(x.dtype)") }
    guard d >= 0, d < x.rank else {
      throw ShapeError("\(typeName): dimension \(dim) does not exist in input \(ShapeText.format(x.shape))")
    }
    return d
  }

  public override var summary: String { "dim \(dim)" }
  public override var arguments: [String: JSON] { ["dim": JSON(dim)] }
}

/// exp(x) / Σ exp(x) along `dim`.
public final class Softmax: SoftmaxBase {
  public override func forward(_ x: Tensor) throws -> Tensor { x.softmax(try axis(x)) }
}

/// x − log Σ exp(x) along `dim` (the input NLLLoss expects).
public final class LogSoftmax: SoftmaxBase {
  public override func forward(_ x: Tensor) throws -> Tensor { x.logSoftmax(try axis(x)) }
}
