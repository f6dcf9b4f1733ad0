import LyraNN
import LyraTensor

/// The parts every SR network here shares: the sub-pixel up-sampler (conv to F·r²
/// channels then PixelShuffle(r), twice ×2 for ×4) and the optional global skip.
enum SRParts {
  /// EDSR's up-sampler: for scale 2 or 3 one conv F → F·r² and a shuffle; for 4 two ×2 stages.
  static func upsampler(features f: Int, scale: Int, path: String) throws -> [Module] {
    switch scale {
    case 2, 3: return [Conv2d(f, f * scale * scale, 3, padding: 1), PixelShuffle(scale)]
    case 4: return [Conv2d(f, f * 4, 3, padding: 1), PixelShuffle(2), Conv2d(f, f * 4, 3, padding: 1), PixelShuffle(2)]
    default: throw DescriptionError("\(path).scale: must be 2, 3 or 4, got \(scale)")
    }
  }

  /// The `skip` key: `none` (the papers' networks) or `bilinear` (Lyra: the network
  /// predicts the residual over a bilinear up-sampling of its input, which lets a small
  /// network trained for minutes on a CPU beat bicubic; without it the first minutes
  /// go into learning to reproduce the image at all).
  static func skip(_ r: DescriptionReader) throws -> Bool {
    let s = try r.string("skip", "none")
    guard s == "none" || s == "bilinear" else { throw DescriptionError("\(r.path).skip: expected none or bilinear, got '\(s)'") }
    return s == "bilinear"
  }

  /// A network's own description keys (without `type` and the data's hints), with the
  /// channel count it was built for.
  static func described(_ r: DescriptionReader, colors: Int) -> [String: JSON] {
    var o = r.object
    for k in ["type", "in_channels", "image_size", "in_features"] { o.removeValue(forKey: k) }
    o["n_colors"] = JSON(colors)
    return o
  }

  /// An input [N, channels, H, W], or an error naming the network.
  static func checkInput(_ name: String, _ x: Tensor, channels: Int) throws {
    try ShapeError.check(name, x, rank: 4, expected: "input [N, C, H, W]")
    guard x.shape[1] == channels else { throw ShapeError("\(name): input has \(x.shape[1]) channels, the network \(channels) (n_colors)") }
  }

  /// With the skip, the network's last conv starts at zero, so the untrained network is
  /// exactly the bilinear up-sampling and training only adds detail. Measured on
  /// docs/examples/esr_ea.yml: with the default init the random output costs more than
  /// the whole short training wins back (benchmark 26.53 dB against bicubic's 26.82).
  static func zeroLast(_ conv: Module) {
    Tensor.noGrad { for p in conv.parameters() { p.zero_() } }
  }

  static func addSkip(_ y: Tensor, _ x: Tensor, scale: Int) -> Tensor {
    y + x.upsample(x.shape[2] * scale, x.shape[3] * scale, mode: .bilinear)
  }
}

/// Conv 3×3 – ReLU – conv 3×3 with an identity shortcut scaled by `res_scale` (EDSR's
/// ResBlock: no batch norm, which hurts SR).
final class SRResBlock: Module {
  let conv1: Conv2d, conv2: Conv2d
  let resScale: Float
  init(_ f: Int, resScale: Float) {
    conv1 = Conv2d(f, f, 3, padding: 1)
    conv2 = Conv2d(f, f, 3, padding: 1)
    self.resScale = resScale
    super.init()
    register(child: "conv1", conv1)
    register(child: "conv2", conv2)
  }
  override func forward(_ x: Tensor) throws -> Tensor {
    let y = try conv2(try conv1(x).relu())
    return x + (resScale == 1 ? y : y * resScale)
  }
  override var summary: String { "\(conv1.inChannels)" }
}
