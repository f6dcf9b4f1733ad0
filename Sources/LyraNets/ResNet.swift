import LyraBase
import LyraNN

/// VEGA's `ResNetGeneral` (stem and residual stages) and `ResNet` (the same, then global
/// average pooling and a linear classifier), built from descriptions such as
/// `{type: ResNet, depth: 18, doublechannel: [0,0,1,0,1,0,1,0], downsample: 3}`.
///
/// Keys (defaults in brackets):
/// - `depth` (alias `base_depth`) ∈ 18, 20, 34, 50, 101, 152 [18]: basic blocks below 50,
///   bottlenecks (×4 expansion) from 50; 20 is the 3-stage CIFAR ResNet (see `ResNetLayout`).
/// - `base_channel` [64; 16 for depth 20]: stem width and first inner width.
/// - `doublechannel`, `downsample`: one 0/1 per block (the inner width doubles / the block
///   has stride 2 there), or a count n (the first n standard stage transitions)
///   [standard ResNet].
/// - `cell: {inchannels: [positions]}` (MultiPositionArray): the blocks where the width
///   doubles, the same as a `doublechannel` list with 1s there (give one or the other).
/// - `convs: {inchannels: [widths]}` (IntArray): the width each conv after the stem reads,
///   conv by conv (see `ResNetPlan.make`); shortcut projections appear wherever needed.
/// - `small_input` [true]: 3×3 stride-1 stem without max-pool (28×28, 32×32 images);
///   false: 7×7 stride-2 stem and 3×3 stride-2 max-pool (ImageNet-sized images).
/// - `in_channels` [3]; ResNet only: `num_class` (alias `n_class`) [10].
/// - `stage` [all of the depth's stages]: build only the first n stages (VEGA's
///   `_default_blocks[depth][:stage]`); the per-block lists then have that many blocks.
/// - `nbit_w_list`, `nbit_a_list`: a quantised ResNet (VEGA's QuantEA, `ResNetQuantization`).
///
/// Module names: `stem.conv1`, `stem.pool`; `stage<s>.block<b>.conv<k>` and
/// `stage<s>.block<b>.shortcut` (1-based; a stage is the run of blocks from one strided
/// block to the next); ResNet nests these under `backbone` and adds `pool`, `flatten`, `head`.
public enum ResNet {
  static func build(_ r: DescriptionReader) throws -> Module {
    let classes = try r.classCount()
    let (options, plan) = try read(r)
    try r.checkParameters([classes, plan.outWidth], "head weight [num_class, last width]")
    var inner = r.object
    inner["type"] = .string("ResNetGeneral")
    inner.removeValue(forKey: "num_class")
    inner.removeValue(forKey: "n_class")
    let backbone = general(options, plan, desc: .object(inner))
    return Network(type: "ResNet", desc: .object(r.object), parts: [
      ("backbone", backbone), ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("head", Linear(plan.outWidth, classes)),
    ])
  }

  static func buildGeneral(_ r: DescriptionReader) throws -> Module {
    let (options, plan) = try read(r)
    return general(options, plan, desc: .object(r.object))
  }

  struct Options {
    var layout: ResNetLayout
    var smallInput: Bool
    var inChannels: Int
    /// (weight bits, activation bits) of each conv after the stem (`ResNetQuantization`); nil: float.
    var quant: [(Int?, Int?)]? = nil
  }

  static func read(_ r: DescriptionReader) throws -> (Options, ResNetPlan) {
    let depthKey = try r.spelling("depth", or: "base_depth")
    let depth = try r.int(depthKey, 18)
    guard var layout = ResNetLayout(depth: depth) else {
      throw DescriptionError("\(r.path).\(depthKey): must be one of \(ResNetLayout.depths.map(String.init).joined(separator: ", ")), got \(depth)")
    }
    if let n = try r.optionalInt("stage") {
      let most = layout.stageBlocks.count
      guard (1...most).contains(n) else {
        throw DescriptionError("\(r.path).stage: depth \(depth) has \(most) stages \(layout.stageBlocks); stage must be 1…\(most), got \(n)")
      }
      layout = layout.truncated(stages: n)
    }
    let base = try r.width("base_channel", layout.defaultBaseChannel)
    let options = Options(layout: layout, smallInput: try r.bool("small_input", true), inChannels: try r.width("in_channels", 3))
    var double = try flags(r, "doublechannel", layout)
    if let positions = try r.inchannels("cell", 0...DescriptionReader.maxWidth) {
      if r.object["doublechannel"] != nil {
        throw DescriptionError("\(r.path): give doublechannel or cell.inchannels, not both (they mean the same)")
      }
      double = [Bool](repeating: false, count: layout.blockCount)
      for p in positions {
        guard p < layout.blockCount else {
          throw DescriptionError("\(r.path).cell.inchannels: position \(p) is past the \(layout.blockCount) blocks of depth \(depth) (0-based)")
        }
        guard !double[p] else { throw DescriptionError("\(r.path).cell.inchannels: position \(p) appears twice") }
        double[p] = true
      }
    }
    let down = try flags(r, "downsample", layout)
    let widths = try r.inchannels("convs", 1...DescriptionReader.maxWidth)
    let plan = try ResNetPlan.make(layout, base: base, double: double, down: down, widths: widths, path: r.path)
    var withQuant = options
    withQuant.quant = try ResNetQuantization.read(r, plan: plan)
    return (withQuant, plan)
  }

  /// One flag per block from a 0/1 list or a count of standard transitions.
  static func flags(_ r: DescriptionReader, _ key: String, _ layout: ResNetLayout) throws -> [Bool] {
    guard let v = r.raw(key), v != .null else { return layout.standardFlags() }
    if let n = v.int {
      guard n >= 0, n <= layout.transitions.count else {
        throw DescriptionError("\(r.path).\(key): a count must be 0…\(layout.transitions.count) (the stage transitions of depth \(layout.depth)), got \(n)")
      }
      return layout.standardFlags(count: n)
    }
    guard let a = v.array else {
      throw DescriptionError("\(r.path).\(key): expected a list of 0/1 (one per block) or a count, got \(v.text)")
    }
    guard a.count == layout.blockCount else {
      throw DescriptionError("\(r.path).\(key): expected \(layout.blockCount) entries for depth \(layout.depth) (one per block), got \(a.count)")
    }
    return try a.enumerated().map { i, e in
      if let b = e.bool { return b }
      guard let n = e.int, n == 0 || n == 1 else { throw DescriptionError("\(r.path).\(key)[\(i + 1)]: expected 0 or 1, got \(e.text)") }
      return n == 1
    }
  }

  static func general(_ o: Options, _ plan: ResNetPlan, desc: JSON) -> Network {
    let stem: Cell = o.smallInput
      ? Cell([("conv1", Operator(o.inChannels, plan.stemWidth, kernel: 3, activation: .relu))])
      : Cell([("conv1", Operator(o.inChannels, plan.stemWidth, kernel: 7, stride: 2, activation: .relu)),
              ("pool", MaxPool2d(3, stride: 2, padding: 1))])
    var parts: [(String, Module)] = [("stem", stem)]
    let quant = o.quant.map { ResNetQuantization.perBlock($0, plan: plan) }
    for (s, blocks) in plan.stages.enumerated() {
      parts.append(("stage\(s + 1)", Cell(blocks.enumerated().map { k, b in ("block\(k + 1)", ResidualBlock(plan.blocks[b], quant: quant?[b])) })))
    }
    return Network(type: "ResNetGeneral", desc: desc, parts: parts)
  }
}
