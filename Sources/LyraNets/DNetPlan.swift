/// Every layer of a DNet with its widths, stride and groups, resolved from a `DNetCode`
/// before any weight exists: the builder follows it, and a search codec can call
/// `DNetCode.problem(in:)` to reject an encoding that would not build (a group count that
/// does not divide the channels, a zero width) without allocating anything.
public struct DNetPlan: Sendable {
  public struct LayerPlan: Sendable {
    public var op: DNetCode.Op
    public var inChannels: Int, outChannels: Int, stride: Int
    /// Groups of the (first) convolution; the separable op's depthwise conv uses inChannels.
    public var groups: Int
  }
  /// A 1×1 conv+BN on a link's source, when its stride or (for add) width differs from the target.
  public struct Projection: Sendable {
    public var inChannels: Int, outChannels: Int, stride: Int
  }
  public struct LinkPlan: Sendable {
    public var link: DNetCode.Link
    public var projection: Projection?
  }
  public struct BlockPlan: Sendable {
    /// 0-based stage and position in it (a stage ends before each strided block).
    public var stage: Int, indexInStage: Int
    public var inChannels: Int, outChannels: Int, stride: Int
    public var layers: [LayerPlan]
    /// In application order; the last is the implicit residual from the block input.
    public var links: [LinkPlan]
  }

  /// The stem's three widths (C/2, C/2, C).
  public var stemWidths: [Int]
  public var blocks: [BlockPlan]
  /// The width the classifier reads.
  public var outChannels: Int { blocks.last?.outChannels ?? stemWidths[stemWidths.count - 1] }

  /// Convolution weights (the bulk of the parameters), for the size guard.
  public var convWeights: Int {
    var n = 0
    for b in blocks {
      for l in b.layers {
        let k = l.op == .conv1 ? 1 : 9
        n += l.op == .conv3Separable ? l.inChannels * 9 + l.inChannels * l.outChannels : l.inChannels / l.groups * l.outChannels * k
      }
      for p in b.links.compactMap(\.projection) { n += p.inChannels * p.outChannels }
    }
    return n
  }
}

extension DNetCode {
  /// Resolves widths, strides and groups for an input of `inChannels` channels.
  ///
  /// Follows VEGA's `EncodedBlock`: the block's stride goes to its first layer that is not
  /// `conv1` (the last layer if all are); an add link projects its source when strides or
  /// widths differ; a concat link projects only for stride and widens its target. A block's
  /// output width is what its last layer holds after the links (VEGA assumes in·mult, which
  /// differs only when a concat targets the last layer, where VEGA's model would not run).
  public func plan(inChannels: Int = 3) throws -> DNetPlan {
    let stem = [channels / 2, channels / 2, channels]
    var width = channels
    var blocks: [DNetPlan.BlockPlan] = []
    var stage = 0, indexInStage = 0
    for (m, step) in macro.enumerated() {
      if step.downsample, indexInStage > 0 {
        stage += 1
        indexInStage = 0
      }
      let place = "stage \(stage + 1), block \(indexInStage + 1) (macro position \(m + 1))"
      func fail(_ why: String) -> DNetCodeError { DNetCodeError("DNet encoding '\(description)': \(place): \(why)") }
      let code = blockCode(at: m)
      let stride = step.downsample ? 2 : 1
      let base = width * step.multiplier
      guard base <= 1 << 20 else { throw fail("the width grows to \(base) channels") }
      let n = code.layers.count
      var stridePlace = 0
      while stridePlace < n - 1, code.layers[stridePlace].op == .conv1 { stridePlace += 1 }
      // strides[k]: stride of output k relative to the block input (0 = the input itself)
      let strides = [1] + (0..<n).map { $0 >= stridePlace ? stride : 1 }
      var sizes = [width]
      var layers: [DNetPlan.LayerPlan] = []
      var links: [DNetPlan.LinkPlan] = []
      let applied = code.appliedLinks
      var li = 0
      for (i, l) in code.layers.enumerated() {
        let cin = sizes[sizes.count - 1]
        let out = base * (1 << l.channelCode) / 4
        let name = "layer \(i + 1) (\(l.op.name))"
        guard out >= 1 else { throw fail("\(name) would have \(base)·2^\(l.channelCode)/4 = 0 output channels") }
        let groups: Int
        switch l.op {
        case .conv3, .conv1, .conv3Separable: groups = 1
        case .conv3Group2: groups = 2
        case .conv3Group4: groups = 4
        case .conv3Base1: groups = cin
        case .conv3Base32:
          groups = cin / 32
          guard groups >= 1 else { throw fail("\(name) needs at least 32 input channels (groups = in/32), got \(cin)") }
        }
        guard cin % groups == 0, out % groups == 0 else {
          throw fail("\(name): channels \(cin) -> \(out) must divide by groups \(groups)")
        }
        layers.append(.init(op: l.op, inChannels: cin, outChannels: out, stride: i == stridePlace ? stride : 1, groups: groups))
        sizes.append(out)
        while li < applied.count, applied[li].to == i + 1 {
          let k = applied[li]
          let strided = strides[k.from] != strides[k.to]
          var projection: DNetPlan.Projection?
          switch k.kind {
          case .add:
            if strided || sizes[k.from] != sizes[k.to] {
              projection = .init(inChannels: sizes[k.from], outChannels: sizes[k.to], stride: strided ? 2 : 1)
            }
          case .concat:
            if strided { projection = .init(inChannels: sizes[k.from], outChannels: sizes[k.from], stride: 2) }
            sizes[k.to] += sizes[k.from]
          }
          links.append(.init(link: k, projection: projection))
          li += 1
        }
      }
      blocks.append(.init(stage: stage, indexInStage: indexInStage, inChannels: width, outChannels: sizes[n], stride: stride,
                          layers: layers, links: links))
      width = sizes[n]
      indexInStage += 1
    }
    return DNetPlan(stemWidths: stem, blocks: blocks)
  }

  /// Why `text` is not a buildable DNet encoding for `inChannels`-channel input, or nil if it is.
  public static func problem(in text: String, inChannels: Int = 3) -> String? {
    do {
      _ = try parse(text).plan(inChannels: inChannels)
      return nil
    } catch {
      return "\(error)"
    }
  }

  /// Whether `text` parses and builds (the check a search codec applies to a mutated encoding).
  public static func isValid(_ text: String, inChannels: Int = 3) -> Bool { problem(in: text, inChannels: inChannels) == nil }
}
