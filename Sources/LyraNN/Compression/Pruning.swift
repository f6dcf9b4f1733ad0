import LyraTensor

/// Channel pruning (VEGA's PruneEA: a 0/1 mask per prunable group of output channels,
/// searched by evolution on accuracy and FLOPs, weights inherited from the trained model
/// and fine-tuned; Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017, for
/// the filter-norm criterion).
///
/// The result of `apply` is a genuinely smaller network, not a masked one: convolutions
/// with fewer output channels, the batch norms after them and the input channels (or, after
/// `Flatten`, the input features per spatial position) of the layers that read them
/// shrunk, each weight copied from the kept channels. Its `describe()` rebuilds the same
/// architecture, so it saves and loads with `Checkpoint` like any model, and it runs
/// faster because every kernel does less work.
///
/// What is prunable is found by `PruningAnalysis`: LyraNN layers inside `Sequential`,
/// `Add` and `Concat`. Convolutions summed by a residual `Add` share one mask (one group);
/// grouped non-depthwise convolutions, the network's output and anything reaching a
/// module that is not a LyraNN layer or container keep all their channels. Networks built
/// by LyraNets from its own block classes (ResNet, DNet, MobileNetV2: `Operator`,
/// `ResidualBlock`, ... whose `forward` is code and whose description is the network's
/// high-level one) therefore have no prunable groups; `apply` copies them unchanged.
public enum Pruning {
  /// The prunable groups of `model`, in the order `apply` takes their masks.
  public static func groups(_ model: Module) -> [PruneGroup] { PruningAnalysis(model).groups() }

  /// A new, smaller model keeping, in each group, the channels whose mask entry is true.
  /// `model` is not changed. Every mask must have its group's length and keep at least
  /// one channel.
  public static func apply(_ model: Module, masks: [[Bool]]) throws -> Module {
    let a = PruningAnalysis(model)
    try check(masks, a.groups())
    let index = a.groupIndex()
    func keptNode(_ n: Int) -> [Int]? {
      guard let g = index[a.root(n)], masks[g].contains(false) else { return nil }
      return masks[g].indices.filter { masks[g][$0] }
    }
    /// The kept channels (times `per` features each) of a flow, nil when all are kept.
    func kept(_ f: PruningAnalysis.Flow?, per: Int = 1) -> [Int]? {
      let segs: [PruningAnalysis.Segment]
      switch f {
      case .spatial(let s)?, .flat(let s)?: segs = s
      default: return nil
      }
      var out: [Int] = []
      var offset = 0, changed = false
      for s in segs {
        let k = s.node.flatMap(keptNode)
        if k != nil { changed = true }
        for c in k ?? Array(0..<s.count) { for j in 0..<per { out.append((offset + c) * per + j) } }
        offset += s.count
      }
      return changed ? out : nil
    }
    return try ModuleRewrite.rebuild(model) { _, m in
      let id = ObjectIdentifier(m)
      switch m {
      case let conv as Conv2d:
        let inKeep = kept(a.inputs[id])
        if conv.groups == 1 {
          let outKeep = a.produced[id].flatMap(keptNode)
          if inKeep == nil && outKeep == nil { return nil }
          return prunedConv(conv, inKeep: inKeep, outKeep: outKeep, groups: 1)
        }
        guard let keep = inKeep else { return nil } // depthwise with nothing pruned, or grouped (frozen)
        return prunedConv(conv, inKeep: nil, outKeep: keep, groups: keep.count)
      case let bn as BatchNorm:
        guard let keep = kept(a.inputs[id], per: a.spatial[id] ?? 1) else { return nil }
        return prunedBatchNorm(bn, keep)
      case let l as Linear:
        guard let keep = kept(a.inputs[id], per: a.spatial[id] ?? 1) else { return nil }
        let n = Linear(keep.count, l.outFeatures, bias: l.bias != nil, generator: ModuleRewrite.scratch)
        ModuleRewrite.assign(n.weight, ModuleRewrite.select(l.weight, rows: nil, cols: keep, shape: n.weight.shape))
        if let b = l.bias, let nb = n.bias { ModuleRewrite.assign(nb, b) }
        return n
      default:
        return nil
      }
    }
  }

  /// `apply` with masks of 0/1 integers (the `prune.masks` config value).
  public static func apply(_ model: Module, masks: [[Int]]) throws -> Module {
    for (g, m) in masks.enumerated() {
      if let bad = m.first(where: { $0 != 0 && $0 != 1 }) {
        throw CompressionError("Pruning.apply: mask \(g + 1) holds \(bad); entries must be 0 or 1")
      }
    }
    return try apply(model, masks: masks.map { $0.map { $0 == 1 } })
  }

  /// Throws unless `masks` fit `groups` (one per group, right length, at least one kept).
  public static func check(_ masks: [[Bool]], _ groups: [PruneGroup]) throws {
    guard masks.count == groups.count else {
      throw CompressionError("Pruning.apply: \(masks.count) masks for \(groups.count) prunable groups")
    }
    for (m, g) in zip(masks, groups) {
      guard m.count == g.channels else {
        throw CompressionError("Pruning.apply: mask \(g.index + 1) has \(m.count) entries for the \(g.channels) channels of \(g.convolutions[0])")
      }
      guard m.contains(true) else {
        throw CompressionError("Pruning.apply: mask \(g.index + 1) (\(g.convolutions[0])) removes every channel; keep at least one")
      }
    }
  }

  static func prunedConv(_ c: Conv2d, inKeep: [Int]?, outKeep: [Int]?, groups: Int) -> Conv2d {
    let cin = groups > 1 ? groups : inKeep?.count ?? c.inChannels, cout = outKeep?.count ?? c.outChannels
    let n = Conv2d(cin, cout, kernel: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: groups,
                   bias: c.bias != nil, generator: ModuleRewrite.scratch)
    ModuleRewrite.assign(n.weight, ModuleRewrite.select(c.weight, rows: outKeep, cols: inKeep, shape: n.weight.shape))
    if let b = c.bias, let nb = n.bias { ModuleRewrite.assign(nb, ModuleRewrite.select(b, rows: outKeep, cols: nil, shape: nb.shape)) }
    return n
  }

  static func prunedBatchNorm(_ bn: BatchNorm, _ keep: [Int]) -> BatchNorm {
    let n: BatchNorm = bn.spatial ? BatchNorm2d(keep.count, eps: bn.eps, momentum: bn.momentum, affine: bn.affine)
      : BatchNorm1d(keep.count, eps: bn.eps, momentum: bn.momentum, affine: bn.affine)
    for (dst, src) in zip(n.ownParameters + n.ownBuffers, bn.ownParameters + bn.ownBuffers) {
      ModuleRewrite.assign(dst.tensor, ModuleRewrite.select(src.tensor, rows: keep, cols: nil, shape: [keep.count]))
    }
    return n
  }
}

/// A compression request that cannot be carried out (wrong mask length, bad bit width,
/// a file that does not match the model); the message names what is wrong.
public struct CompressionError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
