import LyraBase
import LyraNN
import LyraTensor

/// VEGA's ESRN, the network ESR-EA searches: a 3×3 conv n_colors → G0 (SFENet1), then
/// the block layer (a 3×3 conv, the `architecture`'s efficient residual blocks in a
/// chain, their outputs concatenated and fused by 1×1 and 3×3 convs to G0, plus the
/// layer's input), then the up-sampler: for ×2 a conv G0 → 3·G0, PixelShuffle(2) and a
/// conv 3·G0/4 → n_colors; for ×4 two conv + PixelShuffle(2) stages and a conv G0 → n_colors.
/// (VEGA's ×3 would need 3·G0/9 channels after its shuffle and fails; here ×3 uses a conv
/// G0 → 9·G0.) Keys: VEGA's search-space keys (`block_type`, `conv_num`, `growth_rate`,
/// `type_prob`, `conv_prob`, `growth_prob`: the codec's; read and checked here), `G0` 32,
/// `scale` 2, `architecture` (the active genes, "S_4_16_24" …), `code` (the genome,
/// recorded only); Lyra's `n_colors` (default: the data's channels) and `skip`.
public final class ESRN: Module {
  let sfe1: Conv2d, sfe2: Conv2d
  let blocks: [ESRBlock]
  let gff1: Conv2d, gff2: Conv2d
  let up: Sequential
  public let scale: Int
  public let skip: Bool
  public let architecture: [String]

  static func build(_ r: DescriptionReader) throws -> Module {
    let colors = try r.optionalInt("n_colors") ?? r.int("in_channels", 3, min: 1)
    let g0 = try r.int("G0", 32, min: 4, max: 4096)
    let scale = try r.int("scale", 2, min: 2, max: 4)
    for k in ["block_type", "conv_num", "growth_rate", "type_prob", "conv_prob", "growth_prob", "code"] { _ = r.raw(k) }
    _ = try r.optionalInt("image_size")
    let arch = try r.array("architecture").enumerated().map { i, v -> String in
      guard let s = v.string, ESRBlock.parse(s) != nil else {
        throw DescriptionError("\(r.path).architecture[\(i + 1)]: expected a block like \"S_4_16_24\" (type S, G or C, convs, growth rate, output channels), got \(v.text)")
      }
      return s
    }
    guard !arch.isEmpty else { throw DescriptionError("\(r.path).architecture: needs at least one block") }
    let m = try ESRN(colors: colors, g0: g0, scale: scale, architecture: arch, skip: SRParts.skip(r), path: r.path)
    m.described = SRParts.described(r, colors: colors)
    return m
  }

  /// The description's keys (with `n_colors`), so `describe()` and `m:save` rebuild it.
  var described: [String: JSON] = [:]
  public override var arguments: [String: JSON] { described }

  init(colors: Int, g0: Int, scale: Int, architecture: [String], skip: Bool, path: String) throws {
    sfe1 = Conv2d(colors, g0, 3, padding: 1)
    sfe2 = Conv2d(g0, g0, 3, padding: 1)
    var inC = g0, total = 0
    var bs: [ESRBlock] = []
    for (i, gene) in architecture.enumerated() {
      let (k, c, g, o) = ESRBlock.parse(gene)!
      bs.append(try ESRBlock(k, inChannels: inC, convs: c, growth: g, out: o, path: "\(path).architecture[\(i + 1)]"))
      inC = o
      total += o
    }
    blocks = bs
    gff1 = Conv2d(total, g0, 1)
    gff2 = Conv2d(g0, g0, 3, padding: 1)
    switch scale {
    case 2: up = Sequential([Conv2d(g0, g0 * 3, 3, padding: 1), PixelShuffle(2), Conv2d(g0 * 3 / 4, colors, 3, padding: 1)])
    case 3: up = Sequential([Conv2d(g0, g0 * 9, 3, padding: 1), PixelShuffle(3), Conv2d(g0, colors, 3, padding: 1)])
    default: up = Sequential([Conv2d(g0, g0 * 4, 3, padding: 1), PixelShuffle(2), Conv2d(g0, g0 * 4, 3, padding: 1), PixelShuffle(2),
                              Conv2d(g0, colors, 3, padding: 1)])
    }
    if scale == 2 && (g0 * 3) % 4 != 0 { throw DescriptionError("\(path).G0: 3·G0 must divide by 4 for ×2, got \(g0)") }
    self.scale = scale
    self.skip = skip
    self.architecture = architecture
    super.init()
    register(child: "SFENet1", sfe1)
    register(child: "SFENet2", sfe2)
    for (i, b) in blocks.enumerated() { register(child: "ERDB\(i)", b) }
    register(child: "GFF1", gff1)
    register(child: "GFF2", gff2)
    register(child: "UPNet", up)
    if skip, let last = up.children.last?.module { SRParts.zeroLast(last) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try SRParts.checkInput("ESRN", x, channels: sfe1.inChannels)
    let f1 = try sfe1(x)
    var h = try sfe2(f1)
    var outs: [Tensor] = []
    for b in blocks { h = try b(h); outs.append(h) }
    let y = try up(try gff2(try gff1(Tensor.cat(outs, dim: 1))) + f1)
    return skip ? SRParts.addSkip(y, x, scale: scale) : y
  }

  public override var summary: String { "\(blocks.count) blocks, G0 \(sfe1.outChannels), x\(scale)" }
}
