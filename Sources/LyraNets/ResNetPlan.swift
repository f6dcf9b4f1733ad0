import LyraNN

/// Every convolution of a ResNet backbone with its widths and stride, computed before any
/// weight is allocated: the description's per-block and per-conv choices resolve here, and
/// a plan too large to allocate is an error instead of a crash.
struct ResNetPlan {
  struct Conv: Equatable {
    var inChannels: Int, outChannels: Int, kernel: Int, stride: Int
  }
  struct BlockPlan {
    var convs: [Conv]
    var stride: Int { convs.map(\.stride).max() ?? 1 }
    var inChannels: Int { convs[0].inChannels }
    var outChannels: Int { convs[convs.count - 1].outChannels }
    /// A 1×1 conv+BN shortcut is needed when the block changes resolution or width.
    var projects: Bool { stride != 1 || inChannels != outChannels }
  }

  var stemWidth: Int
  var blocks: [BlockPlan]
  var outWidth: Int { blocks.last?.outChannels ?? stemWidth }

  /// Block indices grouped into stages (cells): a new stage starts at each strided block.
  var stages: [[Int]] {
    var out: [[Int]] = []
    for (b, p) in blocks.enumerated() {
      if out.isEmpty || (p.stride > 1 && !out[out.count - 1].isEmpty) { out.append([]) }
      out[out.count - 1].append(b)
    }
    return out
  }

  /// Weights of all convolutions (the bulk of the parameters), for the size guard.
  var convWeights: Int {
    blocks.reduce(0) { acc, b in
      acc + b.convs.reduce(0) { $0 + $1.inChannels * $1.outChannels * $1.kernel * $1.kernel }
        + (b.projects ? b.inChannels * b.outChannels : 0)
    }
  }

  /// VEGA's channel rule: the inner width starts at `base` and doubles at each flagged
  /// block; a block reads what the previous one wrote (its inner width × expansion).
  /// The stride sits on the first 3×3 conv (conv1 of a basic block, conv2 of a bottleneck).
  /// `widths` (`convs.inchannels`) then overrides conv by conv: entry k is the width conv k
  /// reads, so conv k writes entry k+1; entry 0 is also the stem's output. With one entry
  /// more than there are convs, the last entry is the backbone's output width; otherwise
  /// the last conv keeps the width the flags give it.
  static func make(_ layout: ResNetLayout, base: Int, double: [Bool], down: [Bool], widths: [Int]?,
                   path: String) throws -> ResNetPlan {
    var blocks: [BlockPlan] = []
    var mid = base, width = base
    for b in 0..<layout.blockCount {
      if double[b] {
        guard mid <= 1 << 20 else { throw DescriptionError("\(path).doublechannel: widths grow past \(mid) channels") }
        mid *= 2
      }
      let s = down[b] ? 2 : 1
      let convs = layout.bottleneck
        ? [Conv(inChannels: width, outChannels: mid, kernel: 1, stride: 1), Conv(inChannels: mid, outChannels: mid, kernel: 3, stride: s),
           Conv(inChannels: mid, outChannels: mid * 4, kernel: 1, stride: 1)]
        : [Conv(inChannels: width, outChannels: mid, kernel: 3, stride: s), Conv(inChannels: mid, outChannels: mid, kernel: 3, stride: 1)]
      blocks.append(BlockPlan(convs: convs))
      width = convs[convs.count - 1].outChannels
    }
    var plan = ResNetPlan(stemWidth: base, blocks: blocks)
    if let w = widths {
      let n = layout.blockCount * layout.convsPerBlock
      guard w.count == n || w.count == n + 1 else {
        throw DescriptionError("\(path).convs.inchannels: expected \(n) widths for depth \(layout.depth) (one per conv after the stem, "
                               + "\(layout.convsPerBlock) per block × \(layout.blockCount) blocks) or \(n + 1) with the output width last, got \(w.count)")
      }
      plan.stemWidth = w[0]
      var k = 0
      for b in plan.blocks.indices {
        for c in plan.blocks[b].convs.indices {
          plan.blocks[b].convs[c].inChannels = w[k]
          if k + 1 < w.count { plan.blocks[b].convs[c].outChannels = w[k + 1] }
          k += 1
        }
      }
    }
    try NetworkRegistry.checkSize(plan.convWeights, path: path)
    return plan
  }
}
