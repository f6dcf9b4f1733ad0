import LyraBase
import LyraTensor

/// Normalisations computed per sample (no running statistics, the same in training and
/// evaluation): LayerNorm, GroupNorm, InstanceNorm2d. All three are
/// (x − mean) / √(var + eps) over some dimensions, with the biased variance (PyTorch),
/// then an optional per-element (LayerNorm) or per-channel (Group/Instance) affine map.
///
/// Composed from taped ops, so the gradient is the tape's; the module checks are the
/// finite-difference checks in ModuleGradCheckIssue17Cases.
enum SampleNorm {
  static func standardize(_ x: Tensor, over dims: [Int], eps: Float) -> Tensor {
    let centred = x.sub(x.mean(dims, keepdim: true))
    let variance = centred.mul(centred).mean(dims, keepdim: true)
    return centred.div(variance.add(eps).sqrt())
  }

  /// γ and β of `count` channels, applied along dimension 1 of a rank-`rank` input.
  static func channelAffine(_ y: Tensor, _ m: Module, count: Int, rank: Int) -> Tensor {
    guard m.ownParameters.count == 2 else { return y }
    let shape = [1, count] + [Int](repeating: 1, count: rank - 2)
    return y.mul(m.ownParameters[0].tensor.reshape(shape)).add(m.ownParameters[1].tensor.reshape(shape))
  }

  static func registerAffine(_ m: Module, _ shape: [Int]) {
    m.register(parameter: "weight", Tensor.ones(shape))
    m.register(parameter: "bias", Tensor.zeros(shape))
  }

  static func checkFloat(_ name: String, _ x: Tensor) throws {
    guard x.dtype == .float32 else { throw ShapeError("\(name): expected a float tensor, got \(x.dtype)") }
  }
}

/// Normalises over the last dimensions (`shape`, e.g. the features of [N, T, D] with
/// shape [D]) of every sample; weight and bias have that shape (PyTorch's `nn.LayerNorm`).
public final class LayerNorm: Module {
  public let shape: [Int]
  public let eps: Float
  public let affine: Bool

  public init(_ shape: [Int], eps: Float = 1e-5, affine: Bool = true) {
    self.shape = shape
    self.eps = eps
    self.affine = affine
    super.init()
    if affine { SampleNorm.registerAffine(self, shape) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try SampleNorm.checkFloat("LayerNorm", x)
    guard x.rank >= shape.count, Array(x.shape.suffix(shape.count)) == shape else {
      throw ShapeError("LayerNorm: expected input [..., \(shape.map(String.init).joined(separator: ", "))], got \(ShapeText.format(x.shape))")
    }
    let y = SampleNorm.standardize(x, over: Array((x.rank - shape.count)..<x.rank), eps: eps)
    guard affine else { return y }
    return y.mul(ownParameters[0].tensor).add(ownParameters[1].tensor)
  }

  public override var summary: String {
    "\(ShapeText.format(shape))" + (affine ? "" : ", no affine")
  }
  public override var arguments: [String: JSON] {
    ["normalized_shape": .array(shape.map { JSON($0) }), "eps": .number(Double(eps)), "elementwise_affine": .bool(affine)]
  }
}

/// Normalises groups of channels of every sample over their channels and positions, with
/// a per-channel affine map: GroupNorm, and InstanceNorm2d (one channel per group).
public class ChannelGroupNorm: Module {
  public let groups: Int, channels: Int
  public let eps: Float
  public let affine: Bool

  init(channels: Int, groups: Int, eps: Float, affine: Bool) {
    (self.groups, self.channels, self.eps, self.affine) = (groups, channels, eps, affine)
    super.init()
    if affine { SampleNorm.registerAffine(self, [channels]) }
  }

  /// `x` [N, channels, ...] with at least one element, normalised per (sample, group).
  func normalize(_ x: Tensor) -> Tensor {
    let n = x.shape[0]
    let grouped = x.reshape([n, groups, x.count / (n * groups)])
    let y = SampleNorm.standardize(grouped, over: [2], eps: eps).reshape(x.shape)
    return SampleNorm.channelAffine(y, self, count: channels, rank: x.rank)
  }
}

/// Normalises each of `groups` groups of channels of [N, C, ...] input over its channels
/// and positions; per-channel weight and bias (PyTorch's `nn.GroupNorm`).
public final class GroupNorm: ChannelGroupNorm {
  public init(groups: Int, channels: Int, eps: Float = 1e-5, affine: Bool = true) {
    super.init(channels: channels, groups: groups, eps: eps, affine: affine)
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try SampleNorm.checkFloat("GroupNorm", x)
    guard x.rank >= 2, x.shape[1] == channels else {
      throw ShapeError("GroupNorm: expected input [N, \(channels), ...], got \(ShapeText.format(x.shape))")
    }
    // Empty per-group slices would be a mean of nothing (NaN) and a reshape of -1 over 0.
    guard x.count > 0 else { return x.mul(1) }
    return normalize(x)
  }

  public override var summary: String { "\(groups), \(channels)" + (affine ? "" : ", no affine") }
  public override var arguments: [String: JSON] {
    ["num_groups": JSON(groups), "num_channels": JSON(channels), "eps": .number(Double(eps)), "affine": .bool(affine)]
  }
}

/// Normalises every channel of every sample of [N, C, H, W] (or [C, H, W]) input over its
/// positions; affine off by default and no running statistics (PyTorch's defaults,
/// `track_running_stats = false`).
public final class InstanceNorm2d: ChannelGroupNorm {
  public init(_ channels: Int, eps: Float = 1e-5, affine: Bool = false) {
    super.init(channels: channels, groups: channels, eps: eps, affine: affine)
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try SampleNorm.checkFloat("InstanceNorm2d", x)
    guard x.rank == 4 || x.rank == 3, x.shape[x.rank - 3] == channels else {
      throw ShapeError("InstanceNorm2d: expected input [N, \(channels), H, W] or [\(channels), H, W], got \(ShapeText.format(x.shape))")
    }
    guard x.shape[x.rank - 1] * x.shape[x.rank - 2] > 0 else {
      throw ShapeError("InstanceNorm2d: input \(ShapeText.format(x.shape)) has no positions to normalise over")
    }
    if x.rank == 3 { return normalize(x.unsqueeze(0)).squeeze(0) }
    guard x.shape[0] > 0 else { return x.mul(1) }
    return normalize(x)
  }

  public override var summary: String { "\(channels)" + (affine ? ", affine" : "") }
  public override var arguments: [String: JSON] {
    ["num_features": JSON(channels), "eps": .number(Double(eps)), "affine": .bool(affine)]
  }
}
