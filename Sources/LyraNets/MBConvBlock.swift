import LyraNN
import LyraTensor

/// EfficientNet's block (timm's `InvertedResidual` with squeeze-excitation, MBConv in the
/// paper; `DepthwiseSeparableConv` when the expansion is 1): `conv_pw` 1×1 to in·expansion
/// (left out at expansion 1), `bn1`, swish; `conv_dw` k×k depthwise with the stride, BN,
/// swish; `se` (reduced from the block's input width · 0.25); `conv_pwl` 1×1 to the output
/// width, BN without activation. The input is added back, through `drop_path`, when the
/// block keeps resolution and width (timm's `has_residual`; the depthwise-separable block
/// likewise). Parameter names follow timm's, so its state dicts map by name.
public final class MBConvBlock: Block {
  private let body: [Module]
  private let dropPath: DropPath?
  public let residual: Bool
  public let inChannels: Int, outChannels: Int

  struct Norm { var eps: Float, momentum: Float }

  init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int, expansion: Int, seRatio: Double,
       dropPath p: Double, norm: Norm) {
    self.inChannels = inChannels
    self.outChannels = outChannels
    let mid = inChannels * expansion
    func bn(_ c: Int) -> BatchNorm2d { BatchNorm2d(c, eps: norm.eps, momentum: norm.momentum) }
    var parts: [(String, Module)] = []
    let dw = Conv2d(mid, mid, kernel, stride: stride, padding: kernel / 2, groups: mid, bias: false)
    let se = SqueezeExcite(mid, reduced: SqueezeExcite.reducedChannels(inChannels, ratio: seRatio))
    let pw = Conv2d(mid, outChannels, 1, bias: false)
    if expansion == 1 {
      // timm's DepthwiseSeparableConv names: conv_dw, bn1, act1, se, conv_pw, bn2.
      parts = [("conv_dw", dw), ("bn1", bn(mid)), ("act1", SiLU()), ("se", se), ("conv_pw", pw), ("bn2", bn(outChannels))]
    } else {
      parts = [("conv_pw", Conv2d(inChannels, mid, 1, bias: false)), ("bn1", bn(mid)), ("act1", SiLU()),
               ("conv_dw", dw), ("bn2", bn(mid)), ("act2", SiLU()), ("se", se), ("conv_pwl", pw), ("bn3", bn(outChannels))]
    }
    body = parts.map(\.1)
    residual = stride == 1 && inChannels == outChannels
    dropPath = residual && p > 0 ? DropPath(Float(p)) : nil
    super.init()
    for (n, m) in parts { register(child: n, m) }
    if let dropPath { register(child: "drop_path", dropPath) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    var h = x
    for m in body { h = try m(h) }
    guard residual else { return h }
    return x + (try dropPath?(h) ?? h)
  }

  public override var summary: String { "\(inChannels) -> \(outChannels)\(residual ? ", residual" : "")" }
}
