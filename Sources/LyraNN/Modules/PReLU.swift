import LyraBase
import LyraTensor

/// Parametric ReLU: x if x > 0 else a·x, with a learned slope `a` shared by all channels
/// (`count` 1) or one per channel (`count` C, dimension 1 of the input), initialised to
/// `initial` (0.25, as PyTorch).
public final class PReLU: Module {
  public let count: Int
  public let initial: Float
  public var weight: Tensor { ownParameters[0].tensor }

  public init(count: Int = 1, initial: Float = 0.25) {
    self.count = count
    self.initial = initial
    super.init()
    register(parameter: "weight", Tensor.full([Swift.max(count, 1)], initial))
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    guard x.dtype == .float32 else { throw ShapeError("PReLU: expected a float tensor, got \(x.dtype)") }
    // Shaped to broadcast without changing the input's rank (a [1] slope would make a 0-d input [1]).
    let slope: Tensor
    if count > 1 {
      guard x.rank >= 2, x.shape[1] == count else {
        throw ShapeError("PReLU: \(count) slopes need input [N, \(count), ...], got \(ShapeText.format(x.shape))")
      }
      slope = weight.reshape([1, count] + [Int](repeating: 1, count: x.rank - 2))
    } else {
      slope = weight.reshape([Int](repeating: 1, count: x.rank))
    }
    // relu(x) + a · min(x, 0): the slope's gradient is min(x, 0), summed over what shares it.
    return x.relu().add(x.clamp(max: 0).mul(slope))
  }

  public override var summary: String { count == 1 ? "" : "\(count)" }
  public override var arguments: [String: JSON] { ["num_parameters": JSON(count), "init": .number(Double(initial))] }
}
