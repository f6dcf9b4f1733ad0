import LyraBase
import LyraNN
import LyraTensor

/// Channel pruning of a ResNet written as data: VEGA's PruneCodec on a `ResNetGeneral`
/// search space (`examples/compression/prune_ea/prune.yml`), where the genome is one 0/1
/// per channel and the decoded individual is a narrower ResNet description.
///
/// The channels fall into groups that must be kept or removed together:
/// - each block's inner widths (a basic block's first convolution, a bottleneck's first
///   two): one group per convolution, VEGA's `chn`;
/// - the residual widths (VEGA's `chn_node`): the stem's output and every block output
///   joined to it by identity shortcuts are summed channel by channel, so they share one
///   mask; a block with a projection shortcut starts a new group. For the CIFAR ResNet-20
///   that is 3 groups (16, 32, 64 channels) where VEGA keeps a fourth mask for the stem
///   alone (its `length` 464 against 448 here): a separate stem mask would turn stage 1's
///   identity shortcuts into projections that no trained weight fills.
///
/// Groups are ordered as VEGA's genome: the inner groups block by block, then the residual
/// groups from the stem on. `pruned` writes the kept counts as `convs.inchannels` (the
/// width each convolution reads, `ResNetPlan.make`), so the narrower network rebuilds from
/// its description alone; `copyKept` fills it with the kept channels of a trained one.
public struct ResNetPruning {
  let plan: ResNetPlan
  /// inner[b][c]: the group of block b's convolution c output (all but its last convolution).
  let inner: [[Int]]
  /// The residual group of each block's output.
  let outNode: [Int]
  let stemNode: Int
  /// Channels of each group, in genome order (the codec's groups).
  public let widths: [Int]

  public init(_ desc: JSON, path: String) throws {
    plan = try ResNetPruning.plan(desc, path: path)
    var innerWidths: [Int] = [], inner: [[Int]] = []
    for b in plan.blocks {
      inner.append(b.convs.dropLast().map { c in
        innerWidths.append(c.outChannels)
        return innerWidths.count - 1
      })
    }
    let first = innerWidths.count
    var nodeWidths = [plan.stemWidth], outNode: [Int] = []
    for b in plan.blocks {
      if b.projects { nodeWidths.append(b.outChannels) }
      outNode.append(first + nodeWidths.count - 1)
    }
    self.inner = inner
    self.outNode = outNode
    stemNode = first
    widths = innerWidths + nodeWidths
  }

  /// The plan of a `ResNetGeneral` or `ResNet` description (nothing is allocated).
  static func plan(_ desc: JSON, path: String) throws -> ResNetPlan {
    guard let o = desc.object, let type = o["type"]?.string, type == "ResNetGeneral" || type == "ResNet" else {
      throw DescriptionError("\(path).type: PruneEA and QuantEA derive their genome from a ResNetGeneral (or ResNet) description, got \(desc["type"]?.text ?? "none")")
    }
    return try ResNet.read(DescriptionReader(o, path: "\(path)(\(type))")).1
  }

  func input(_ b: Int) -> Int { b == 0 ? stemNode : outNode[b - 1] }
  func inGroup(_ b: Int, _ c: Int) -> Int { c == 0 ? input(b) : inner[b][c - 1] }
  func outGroup(_ b: Int, _ c: Int) -> Int { c == plan.blocks[b].convs.count - 1 ? outNode[b] : inner[b][c] }

  /// The width of the backbone's output after pruning (a following head's `base_channel`).
  public func outputWidth(_ keep: [[Bool]]) -> Int { keep[outNode.last ?? stemNode].filter { $0 }.count }

  /// `desc` narrowed to the kept channels (`convs.inchannels`, the output width last).
  /// `keep` holds one mask per group of `widths`, each keeping at least one channel.
  public func pruned(_ desc: JSON, keep: [[Bool]]) -> JSON {
    let n = keep.map { $0.filter { $0 }.count }
    var reads: [Int] = []
    for b in plan.blocks.indices {
      for c in plan.blocks[b].convs.indices { reads.append(n[inGroup(b, c)]) }
    }
    reads.append(n[outNode.last ?? stemNode])
    var o = desc.object ?? [:]
    o["convs"] = .object(["inchannels": .array(reads.map { JSON($0) })])
    return .object(o)
  }

  /// Copies into `pruned` (built from `pruned(desc, keep:)`, its backbone under `prefix`)
  /// the kept channels of `base` (built from `desc`, with the same names): every
  /// convolution keeps its kept output and input channels, every batch norm its kept
  /// channels, and a layer reading the backbone's output (a head's linear layer) its kept
  /// input features. What has the same shape in both is copied whole.
  public func copyKept(from base: Module, into pruned: Module, keep: [[Bool]], prefix: String = "") throws {
    let kept = keep.map { m in m.indices.filter { m[$0] } }
    var rule: [String: (rows: [Int], cols: [Int]?)] = [prefix + "stem.conv1": (kept[stemNode], nil)]
    for (s, blocks) in plan.stages.enumerated() {
      for (k, b) in blocks.enumerated() {
        let p = prefix + "stage\(s + 1).block\(k + 1)."
        for c in plan.blocks[b].convs.indices { rule[p + "conv\(c + 1)"] = (kept[outGroup(b, c)], kept[inGroup(b, c)]) }
        if plan.blocks[b].projects { rule[p + "shortcut"] = (kept[outNode[b]], kept[input(b)]) }
      }
    }
    let source = base.stateDict()
    var state: [String: Tensor] = [:]
    for (name, t) in pruned.stateDict() {
      guard let src = source[name] else { continue }
      if src.shape == t.shape {
        state[name] = src
        continue
      }
      let parts = name.split(separator: ".").map(String.init)
      if parts.count > 2, let r = rule[parts.dropLast(2).joined(separator: ".")] {
        state[name] = ModuleRewrite.select(src, rows: r.rows, cols: parts[parts.count - 2] == "bn" ? nil : r.cols, shape: t.shape)
      } else if t.rank == 2, src.rank == 2, t.shape[0] == src.shape[0], src.shape[1] == widths[outNode.last ?? stemNode] {
        state[name] = ModuleRewrite.select(src, rows: nil, cols: kept[outNode.last ?? stemNode], shape: t.shape)
      } else {
        throw DescriptionError("pruning: \(name) is \(src.shape) in the trained model and \(t.shape) in the pruned one, and no channel group maps it")
      }
    }
    try pruned.loadStateDict(state, strict: false)
  }
}
