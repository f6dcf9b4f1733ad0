import LyraBase
import LyraNN
import LyraTensor

/// Squeeze-and-excitation (Hu et al. 2018) as timm's EfficientNet blocks use it: global
/// average pool, `conv_reduce` 1×1 (with bias) to a few channels, swish, `conv_expand` 1×1
/// (with bias) back, sigmoid; the input is scaled channel by channel by that gate.
public final class SqueezeExcite: Module {
  public let channels: Int, reduced: Int

  init(_ channels: Int, reduced: Int) {
    self.channels = channels
    self.reduced = reduced
    super.init()
    register(child: "conv_reduce", Conv2d(channels, reduced, 1))
    register(child: "conv_expand", Conv2d(reduced, channels, 1))
  }

  /// timm's `make_divisible(base · ratio, divisor 1)`: the rounded count, at least 1 and
  /// never below 90% of base · ratio.
  static func reducedChannels(_ base: Int, ratio: Double) -> Int {
    let v = Double(base) * ratio
    var n = max(1, Int(v + 0.5))
    if Double(n) < 0.9 * v { n += 1 }
    return n
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    guard x.rank == 4 else { throw ShapeError("SqueezeExcite: expected [N, C, H, W], got \(ShapeText.format(x.shape))") }
    var s = x.mean([2, 3], keepdim: true)
    s = try children[0].module(s).silu()
    s = try children[1].module(s).sigmoid()
    return x.mul(s)
  }

  public override var summary: String { "\(channels) -> \(reduced) -> \(channels)" }
}

/// Drop path (stochastic depth, timm's `drop_connect`): in training each sample's residual
/// branch is zeroed with probability `p` and the kept ones scaled by 1/(1 − p); the
/// identity in evaluation.
public final class DropPath: Module {
  public let p: Float
  let generator: Generator?

  init(_ p: Float, generator: Generator? = nil) {
    self.p = p
    self.generator = generator
    super.init()
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    guard training, p > 0, x.rank >= 1 else { return x }
    let mask = Tensor.ones([x.shape[0]] + [Int](repeating: 1, count: x.rank - 1)).dropout(p, training: true, generator: generator)
    return x.mul(mask)
  }

  public override var summary: String { "p = \(p)" }
}
