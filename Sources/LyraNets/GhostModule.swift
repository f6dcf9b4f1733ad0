import LyraNN
import LyraTensor

/// VEGA's `GhostModule` (vega/modules/blocks/ghost.py): a stage of `blocks` residual
/// blocks whose middle blocks run on a thinner "raw" share of the width and whose other
/// ("cheap") share is made from the first block's output by a 1×1 conv, gated by a merge
/// of every middle block's output:
///
///     x0 = base(x)                                  (inplanes → planes·e, stride)
///     blocks ≤ 2:  end(x0)
///     otherwise:   x = reduce(x0)                   (1×1 conv, planes·e → raw·e, no norm)
///                  x_i = block_i(x_{i−1})            (blocks − 2 blocks of raw·e)
///                  m = merge(cat[x0, x_1 … x_{blocks−2}])  (global pool, 1×1 conv+BN to cheap·e)
///                  c = ReLU(cheap(x0) + m)           (1×1 conv+BN, broadcast over positions)
///                  end(cat[x_last, c])
///
/// cheap = ⌊planes·cheap_ratio⌋, raw = planes − cheap, e the block's expansion (4 for
/// VEGA's Bottleneck; 1 for BasicBlock, which VEGA's GhostModule does not offer and
/// GhostNetNas's `block` key asks for). The merge conv reads planes·e + (blocks − 2)·raw·e
/// channels, what the concatenation holds; VEGA declares raw·e·blocks, the same number
/// whenever planes = 2·raw (its default cheap_ratio 0.5 with an even planes). With no
/// cheap share (cheap = 0) the merge and cheap convs are left out (VEGA builds a merge it
/// never uses).
final class GhostModule: Block {
  private let base: ResidualBlock
  private let end: ResidualBlock
  private let reduce: Conv2d?
  private let middle: [ResidualBlock]
  private let merge: Sequential?
  private let cheap: Operator?

  /// The convolutions of one residual block: basic (3×3, 3×3) or bottleneck
  /// (1×1, 3×3 with the stride, 1×1 to planes·4).
  static func plan(_ inChannels: Int, _ planes: Int, stride: Int, bottleneck: Bool) -> ResNetPlan.BlockPlan {
    typealias C = ResNetPlan.Conv
    if bottleneck {
      return .init(convs: [C(inChannels: inChannels, outChannels: planes, kernel: 1, stride: 1),
                           C(inChannels: planes, outChannels: planes, kernel: 3, stride: stride),
                           C(inChannels: planes, outChannels: planes * 4, kernel: 1, stride: 1)])
    }
    return .init(convs: [C(inChannels: inChannels, outChannels: planes, kernel: 3, stride: stride),
                         C(inChannels: planes, outChannels: planes, kernel: 3, stride: 1)])
  }

  init(_ inChannels: Int, planes: Int, blocks: Int, stride: Int, bottleneck: Bool, cheapRatio: Double) {
    let e = bottleneck ? 4 : 1
    base = ResidualBlock(Self.plan(inChannels, planes, stride: stride, bottleneck: bottleneck))
    end = ResidualBlock(Self.plan(planes * e, planes, stride: 1, bottleneck: bottleneck))
    let cheapPlanes = Int(Double(planes) * cheapRatio), raw = planes - cheapPlanes
    if blocks > 2 {
      reduce = Conv2d(planes * e, raw * e, 1, bias: false)
      middle = (0..<(blocks - 2)).map { _ in ResidualBlock(Self.plan(raw * e, raw, stride: 1, bottleneck: bottleneck)) }
      if cheapPlanes > 0 {
        let merged = planes * e + (blocks - 2) * raw * e
        merge = Sequential([AdaptiveAvgPool2d(1), Conv2d(merged, cheapPlanes * e, 1, bias: false), BatchNorm2d(cheapPlanes * e)])
        cheap = Operator(planes * e, cheapPlanes * e, kernel: 1)
      } else {
        merge = nil
        cheap = nil
      }
    } else {
      reduce = nil
      middle = []
      merge = nil
      cheap = nil
    }
    super.init()
    register(child: "base", base)
    if let reduce { register(child: "reduce", reduce) }
    for (i, b) in middle.enumerated() { register(child: "block\(i + 1)", b) }
    if let merge { register(child: "merge", merge) }
    if let cheap { register(child: "cheap", cheap) }
    register(child: "end", end)
  }

  override func forward(_ input: Tensor) throws -> Tensor {
    let x0 = try base(input)
    guard let reduce else { return try end(x0) }
    var x = try reduce(x0)
    var outputs = [x0]
    for b in middle {
      x = try b(x)
      outputs.append(x)
    }
    if let merge, let cheap {
      let m = try merge(Tensor.cat(outputs, dim: 1))
      let c = (try cheap(x0) + m).relu()
      x = Tensor.cat([x, c], dim: 1)
    }
    return try end(x)
  }
}
