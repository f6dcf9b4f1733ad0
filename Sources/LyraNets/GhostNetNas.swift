import LyraBase
import LyraNN
import LyraTensor

/// `GhostNetNas`, the network of VEGA's examples/nas/ghostnet_nas: a ResNet whose four
/// stages are `GhostModule`s, searched over the block kind and the blocks per stage:
///
/// `{type: GhostNetNas, block: Bottleneck, stage1: 3, stage2: 4, stage3: 6, stage4: 3, num_classes: 10}`
///
/// VEGA's sources (v1.8.5 and every commit since) have no class of that name — the
/// example names it, VEGA never registered it — so this is the network its keys describe,
/// built from the parts VEGA has: a ResNet stem, stages of `GhostModule(planes =
/// base_channel·2^(s−1), blocks = stage<s>, stride 1 then 2)`, global average pooling and
/// a linear classifier.
///
/// Keys: `block` [Bottleneck] (or BasicBlock); `stage1`…`stage4` [3, 4, 6, 3] (at least 1;
/// 1 and 2 both give a base and an end block, as VEGA's GhostModule); `cheap_ratio` [0.5, below 1];
/// `base_channel` [64]; `in_channels` [3]; `num_classes` (or num_class, n_class) [10];
/// `small_input` [true for images under 64 pixels, else false]: a 3×3 stride-1 stem
/// without max-pool, else ResNet's 7×7 stride-2 stem and 3×3 stride-2 max-pool.
///
/// Module names: `stem.conv1` (`stem.pool`), `stage<s>` (a GhostModule: `base`, `reduce`,
/// `block<i>`, `merge`, `cheap`, `end`), `pool`, `flatten`, `head`.
public enum GhostNetNas {
  static let blockKinds = ["BasicBlock", "Bottleneck"]

  static func build(_ r: DescriptionReader) throws -> Module {
    let kind = try r.string("block", "Bottleneck")
    guard blockKinds.contains(kind) else {
      throw DescriptionError("\(r.path).block: expected BasicBlock or Bottleneck, got '\(kind)'\(Suggest.hint(kind, in: blockKinds))")
    }
    let bottleneck = kind == "Bottleneck"
    let counts = try zip(1...4, [3, 4, 6, 3]).map { s, d in try r.int("stage\(s)", d, min: 1, max: 256) }
    let cheapRatio = try r.double("cheap_ratio", 0.5, range: 0...1)
    // The raw share must keep a channel: planes − ⌊planes·ratio⌋ ≥ 1.
    guard cheapRatio < 1 else { throw DescriptionError("\(r.path).cheap_ratio: must be below 1 (the middle blocks keep planes·(1 − ratio) channels), got \(cheapRatio)") }
    let baseWidth = try r.width("base_channel", 64)
    let inChannels = try r.width("in_channels", 3)
    let imageSize = try r.optionalInt("image_size")
    let small = try r.bool("small_input", (imageSize ?? 32) < 64)
    let classes = try r.numClasses()
    let e = bottleneck ? 4 : 1
    let top = baseWidth << 3
    try NetworkRegistry.checkSize(counts.reduce(0, +) * 3 * 9 * top * top, path: r.path)
    let stem: Cell = small
      ? Cell([("conv1", Operator(inChannels, baseWidth, kernel: 3, activation: .relu))])
      : Cell([("conv1", Operator(inChannels, baseWidth, kernel: 7, stride: 2, activation: .relu)),
              ("pool", MaxPool2d(3, stride: 2, padding: 1))])
    var parts: [(String, Module)] = [("stem", stem)]
    var width = baseWidth
    for (s, blocks) in counts.enumerated() {
      let planes = baseWidth << s
      parts.append(("stage\(s + 1)", GhostModule(width, planes: planes, blocks: blocks, stride: s == 0 ? 1 : 2,
                                                 bottleneck: bottleneck, cheapRatio: cheapRatio)))
      width = planes * e
    }
    try r.checkParameters([classes, width], "head weight [num_classes, 8·base_channel·expansion]")
    parts += [("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("head", Linear(width, classes))]
    return Network(type: "GhostNetNas", desc: .object(r.object), parts: parts)
  }
}
