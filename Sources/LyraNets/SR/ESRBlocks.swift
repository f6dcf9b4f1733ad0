import Foundation
import LyraNN
import LyraTensor

/// ESR-EA's efficient residual dense blocks (Song et al. 2020, VEGA's `erdb_esr`), one
/// per gene "T_c_g_o": type T (S shrink, G group, C contextual), c convolutions, growth
/// rate g, o output channels. All three: an optional 1×1 conv in → g, a dense chain of
/// 3×3 convs with ReLU, a 1×1 fusion to o channels, and a residual: + x when o = in,
/// + (1×1 conv of x) when o = g, else + a 1×1 projection of x.
/// - S: after each conv the concatenation so far is shrunk back to g by a 1×1 conv.
/// - G: conv k sees all earlier features (k·g channels) after a channel shuffle of k
///   groups, through a grouped conv of min(4, 2^⌊log2 k⌋) groups.
/// - C: the same as S at half resolution (2×2 average pool, each conv applied three
///   times with shared weights), back up by PixelShuffle(2); an odd side is padded by one
///   zero row or column for that path (VEGA's block fails on odd sizes).
final class ESRBlock: Module {
  enum Kind: String { case S, G, C }
  let kind: Kind
  let inC: Int, outC: Int, g: Int, n: Int
  let inConv: Conv2d?, outConv: Conv2d?
  let convs: [Conv2d]
  let shrink: [Conv2d]
  let fuse: Conv2d?

  /// "S_4_16_24" style gene text, or nil when malformed.
  static func parse(_ gene: String) -> (Kind, Int, Int, Int)? {
    let p = gene.split(separator: "_")
    guard p.count == 4, let k = Kind(rawValue: String(p[0])), let c = Int(p[1]), let g = Int(p[2]), let o = Int(p[3]),
          c >= 1, c <= 64, g >= 1, g <= 4096, o >= 1, o <= 4096 else { return nil }
    return (k, c, g, o)
  }

  static func groups(_ k: Int) -> Int { min(4, 1 << Int(log2(Double(k)))) }

  init(_ kind: Kind, inChannels: Int, convs n: Int, growth g: Int, out: Int, path: String) throws {
    self.kind = kind
    inC = inChannels; outC = out; self.g = g; self.n = n
    inConv = inChannels != g ? Conv2d(inChannels, g, 1) : nil
    outConv = out != g && out != inChannels ? Conv2d(inChannels, out, 1) : nil
    switch kind {
    case .G:
      for k in 1...n where g % ESRBlock.groups(k) != 0 {
        throw DescriptionError("\(path): growth rate \(g) of a G block must divide by \(ESRBlock.groups(k)) (conv \(k)'s groups)")
      }
      convs = (1...n).map { k in Conv2d(k * g, g, 3, padding: 1, groups: ESRBlock.groups(k)) }
      shrink = []
      fuse = Conv2d((n + 1) * g, out, 1)
    case .S:
      convs = (0..<n).map { _ in Conv2d(g, g, 3, padding: 1) }
      shrink = (0..<n).map { i in Conv2d((2 + i) * g, i == n - 1 ? out : g, 1) }
      fuse = nil
    case .C:
      guard ((n + 1) * g) % 4 == 0 else { throw DescriptionError("\(path): a C block needs (convs + 1) × growth divisible by 4, got \((n + 1) * g)") }
      convs = (0..<n).map { _ in Conv2d(g, g, 3, padding: 1) }
      shrink = (0..<n).map { i in Conv2d(i == n - 1 ? (n + 1) * g / 4 : (2 + i) * g, i == n - 1 ? out : g, 1) }
      fuse = nil
    }
    super.init()
    if let inConv { register(child: "in_conv", inConv) }
    if let outConv { register(child: "out_conv", outConv) }
    for (i, c) in convs.enumerated() { register(child: "conv\(i)", c) }
    for (i, c) in shrink.enumerated() { register(child: "shrink\(i)", c) }
    if let fuse { register(child: "fuse", fuse) }
  }

  /// x split into `groups` channel groups and interleaved (ShuffleNet's channel shuffle).
  static func shuffle(_ x: Tensor, groups: Int) -> Tensor {
    guard groups > 1 else { return x }
    let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    return x.reshape([b, groups, c / groups, h, w]).transpose(1, 2).contiguous().reshape([b, c, h, w])
  }

  override func forward(_ x: Tensor) throws -> Tensor {
    let xin = try inConv?(x) ?? x
    var inner: Tensor
    switch kind {
    case .G:
      var feats = xin
      for (i, conv) in convs.enumerated() {
        let y = try conv(ESRBlock.shuffle(feats, groups: i + 1)).relu()
        feats = Tensor.cat([feats, y], dim: 1)
      }
      inner = try fuse!(feats)
    case .S:
      var conc = xin, cur = xin
      for (conv, s) in zip(convs, shrink) {
        conc = Tensor.cat([conc, try conv(cur).relu()], dim: 1)
        cur = try s(conc)
      }
      inner = cur
    case .C:
      // Odd sides get one zero row/column for the half-resolution path, cut off again after.
      let (h, w) = (xin.shape[2], xin.shape[3])
      let even = h % 2 == 0 && w % 2 == 0 ? xin : xin.pad([0, w % 2, 0, h % 2])
      var cur = even.avgPool2d(Window2d(2))
      var conc = cur
      for (i, (conv, s)) in zip(convs, shrink).enumerated() {
        var y = try conv(cur).relu()
        y = try conv(y).relu()
        y = try conv(y).relu()
        conc = Tensor.cat([conc, y], dim: 1)
        cur = i == convs.count - 1 ? try s(conc.pixelShuffle(2)) : try s(conc)
      }
      inner = even === xin ? cur : cur.narrow(2, 0, h).narrow(3, 0, w)
    }
    if outC == inC { return x + inner }
    if outC == g { return xin + inner }
    return try outConv!(x) + inner
  }

  override var summary: String { "\(kind.rawValue)_\(n)_\(g)_\(outC), in \(inC)" }
}
