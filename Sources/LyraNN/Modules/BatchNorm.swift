import LyraBase
import LyraTensor

/// Batch normalisation over channels (dim 1) of N×C (`BatchNorm1d`) or N×C×H×W
/// (`BatchNorm2d`) input. Running statistics are buffers; PyTorch's momentum convention.
public class BatchNorm: Module {
  public let features: Int
  public let eps: Float
  public let momentum: Float
  public let affine: Bool
  public let spatial: Bool
  public var weight: Tensor? { affine ? ownParameters[0].tensor : nil }
  public var bias: Tensor? { affine ? ownParameters[1].tensor : nil }
  public var runningMean: Tensor { ownBuffers[0].tensor }
  public var runningVar: Tensor { ownBuffers[1].tensor }

  init(_ features: Int, eps: Float, momentum: Float, affine: Bool, spatial: Bool) {
    precondition(features > 0, "BatchNorm: num_features must be positive, got \(features)")
    self.features = features
    self.eps = eps
    self.momentum = momentum
    self.affine = affine
    self.spatial = spatial
    super.init()
    if affine {
      register(parameter: "weight", Tensor.ones([features]))
      register(parameter: "bias", Tensor.zeros([features]))
    }
    register(buffer: "running_mean", Tensor.zeros([features]))
    register(buffer: "running_var", Tensor.ones([features]))
  }

  public override func forward(_ x: Tensor) throws -> Tensor { try forward(x, relu: false) }

  /// BN followed by ReLU in one sweep (forward and backward): what `Sequential` runs for BN → ReLU.
  public func forward(_ x: Tensor, relu: Bool) throws -> Tensor {
    try ShapeError.check(typeName, x, rank: spatial ? 4 : 2, dim: 1, size: features,
                         expected: "input [N, \(features)\(spatial ? ", H, W" : "")]")
    if training && x.count / features < 2 {
      throw ShapeError("\(typeName): training needs more than one value per channel, got input \(ShapeText.format(x.shape))")
    }
    return Tensor.batchNorm(x, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
                            training: training, momentum: momentum, eps: eps, relu: relu)
  }

  public override var summary: String { "\(features)\(affine ? "" : ", no affine")" }
  public override var arguments: [String: JSON] {
    ["num_features": JSON(features), "eps": .number(Double(eps)), "momentum": .number(Double(momentum)), "affine": .bool(affine)]
  }
}

public final class BatchNorm2d: BatchNorm {
  public init(_ features: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true) {
    super.init(features, eps: eps, momentum: momentum, affine: affine, spatial: true)
  }
}

public final class BatchNorm1d: BatchNorm {
  public init(_ features: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true) {
    super.init(features, eps: eps, momentum: momentum, affine: affine, spatial: false)
  }
}
