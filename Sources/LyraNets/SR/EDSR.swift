import LyraNN
import LyraTensor

/// EDSR (Lim et al. 2017) / SRResNet-style residual network: head conv C → F,
/// `n_resblocks` ResBlocks and a conv, added to the head's output, then the sub-pixel
/// up-sampler and a conv F → C. Keys as EDSR's: `n_resblocks` 16, `n_feats` 64,
/// `scale` 2, `res_scale` 1, `n_colors` (default: the data's channels, else 3); Lyra's
/// `skip` (none | bilinear, `SRParts.skip`). EDSR-baseline is the defaults;
/// "EDSR-baseline-small" in docs/results.md is n_resblocks 4, n_feats 16.
public final class EDSR: Module {
  let head: Conv2d, blocks: [SRResBlock], bodyTail: Conv2d, up: Sequential, tail: Conv2d
  public let scale: Int
  public let skip: Bool

  static func build(_ r: DescriptionReader) throws -> Module {
    let colors = try r.optionalInt("n_colors") ?? r.int("in_channels", 3, min: 1)
    let n = try r.int("n_resblocks", 16, min: 0, max: 256), f = try r.int("n_feats", 64, min: 1, max: 4096)
    let scale = try r.int("scale", 2, min: 2, max: 4)
    let resScale = try r.double("res_scale", 1, range: 0...10)
    try r.checkParameters([n * 2 + 4, f, f, 9], "convolution weights (n_resblocks × n_feats²)")
    _ = try r.optionalInt("image_size")
    let m = try EDSR(colors: colors, blocks: n, features: f, scale: scale, resScale: Float(resScale), skip: SRParts.skip(r), path: r.path)
    m.described = SRParts.described(r, colors: colors)
    return m
  }

  /// The description's keys (with `n_colors`), so `describe()` and `m:save` rebuild it.
  var described: [String: JSON] = [:]
  public override var arguments: [String: JSON] { described }

  init(colors: Int, blocks n: Int, features f: Int, scale: Int, resScale: Float, skip: Bool, path: String) throws {
    head = Conv2d(colors, f, 3, padding: 1)
    blocks = (0..<n).map { _ in SRResBlock(f, resScale: resScale) }
    bodyTail = Conv2d(f, f, 3, padding: 1)
    up = Sequential(try SRParts.upsampler(features: f, scale: scale, path: path))
    tail = Conv2d(f, colors, 3, padding: 1)
    self.scale = scale
    self.skip = skip
    super.init()
    register(child: "head", head)
    for (i, b) in blocks.enumerated() { register(child: "body\(i)", b) }
    register(child: "body_tail", bodyTail)
    register(child: "upsampler", up)
    register(child: "tail", tail)
    if skip { SRParts.zeroLast(tail) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try SRParts.checkInput("EDSR", x, channels: head.inChannels)
    let h = try head(x)
    var b = h
    for blk in blocks { b = try blk(b) }
    let y = try tail(try up(try bodyTail(b) + h))
    return skip ? SRParts.addSkip(y, x, scale: scale) : y
  }

  public override var summary: String { "\(blocks.count) blocks, \(head.outChannels) features, x\(scale)" }
}
