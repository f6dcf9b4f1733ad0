/// The ResNet depths VEGA's `ResNetGeneral` builds, as block counts per stage.
///
/// Depth 20 is the CIFAR ResNet of He et al. (three stages of three basic blocks from 16
/// channels, 9 blocks) rather than VEGA's 11-block `[3, 3, 3, 2]` table, so that
/// `depth: 20` means the network the name promises. VEGA's BackboneNas codec sizes its
/// 0/1 lists by these block counts: 8 (R18), 16 (R34, R50), 33 (R101), 50 (R152).
struct ResNetLayout {
  let depth: Int
  private(set) var stageBlocks: [Int]
  let bottleneck: Bool

  static let depths = [18, 20, 34, 50, 101, 152]

  init?(depth: Int) {
    self.depth = depth
    switch depth {
    case 18: (stageBlocks, bottleneck) = ([2, 2, 2, 2], false)
    case 20: (stageBlocks, bottleneck) = ([3, 3, 3], false)
    case 34: (stageBlocks, bottleneck) = ([3, 4, 6, 3], false)
    case 50: (stageBlocks, bottleneck) = ([3, 4, 6, 3], true)
    case 101: (stageBlocks, bottleneck) = ([3, 4, 23, 3], true)
    case 152: (stageBlocks, bottleneck) = ([3, 8, 36, 3], true)
    default: return nil
    }
  }

  /// The first `n` stages only (VEGA's `stage` key: `_default_blocks[depth][:stage]`).
  func truncated(stages n: Int) -> ResNetLayout {
    var l = self
    l.stageBlocks = Array(stageBlocks.prefix(n))
    return l
  }

  var blockCount: Int { stageBlocks.reduce(0, +) }
  /// Output width of a block over its inner width (4 for bottlenecks).
  var expansion: Int { bottleneck ? 4 : 1 }
  var convsPerBlock: Int { bottleneck ? 3 : 2 }
  var defaultBaseChannel: Int { depth == 20 ? 16 : 64 }

  /// The block indices where standard ResNet starts a new stage (doubles width and halves
  /// resolution): [2, 4, 6] for R18, [3, 7, 13] for R34/R50, [3, 7, 30] for R101.
  var transitions: [Int] {
    var out: [Int] = [], i = 0
    for n in stageBlocks.dropLast() {
      i += n
      out.append(i)
    }
    return out
  }

  /// One flag per block, set at the first `count` stage transitions (all of them by default).
  func standardFlags(count: Int? = nil) -> [Bool] {
    var f = [Bool](repeating: false, count: blockCount)
    for t in transitions.prefix(count ?? transitions.count) { f[t] = true }
    return f
  }
}
