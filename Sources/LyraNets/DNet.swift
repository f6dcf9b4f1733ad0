import LyraBase
import LyraNN

/// VEGA's DNet (`vega/networks/dnet.py`) from its encoding string:
/// `{type: DNet, encoding: "031-_64_12-1111-11211112-2", num_class: 10}`.
///
/// Keys: `encoding` (required; see `DNetCode`), `num_class` (alias `n_class`) [10],
/// `in_channels` [3], `small_input` [false] (Lyra's addition for 28×28/32×32 images, as
/// ResNet's: the stem's first convolution keeps stride 1, so the stem halves the image
/// once instead of twice — VEGA's stem leaves 7×7 of a 28×28 image). Module names: `stem.conv1…conv3`, `stage<s>.block<b>.layer<k>`,
/// `…skip<k>`, `…shortcut` (1-based; a stage ends before each strided block), then `pool`,
/// `flatten`, `head` (Linear from the last block's width).
public enum DNet {
  static func build(_ r: DescriptionReader) throws -> Module {
    let text = try r.string("encoding")
    let classes = try r.classCount()
    let inChannels = try r.width("in_channels", 3)
    let small = try r.bool("small_input", false)
    let plan: DNetPlan
    do { plan = try DNetCode.parse(text).plan(inChannels: inChannels) } catch let e as DNetCodeError {
      throw DescriptionError("\(r.path).encoding: \(e.message)")
    }
    try NetworkRegistry.checkSize(plan.convWeights, path: r.path)
    try r.checkParameters([classes, plan.outChannels], "head weight [num_class, last width]")
    let w = plan.stemWidths
    var parts: [(String, Module)] = [("stem", Cell([
      ("conv1", Operator(inChannels, w[0], kernel: 3, stride: small ? 1 : 2, activation: .relu)),
      ("conv2", Operator(w[0], w[1], kernel: 3, activation: .relu)),
      ("conv3", Operator(w[1], w[2], kernel: 3, stride: 2, activation: .relu)),
    ]))]
    var stage: [(String, Module)] = []
    for (i, b) in plan.blocks.enumerated() {
      stage.append(("block\(b.indexInStage + 1)", EncodedBlock(b)))
      if i == plan.blocks.count - 1 || plan.blocks[i + 1].stage != b.stage {
        parts.append(("stage\(b.stage + 1)", Cell(stage)))
        stage = []
      }
    }
    parts += [("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("head", Linear(plan.outChannels, classes))]
    return Network(type: "DNet", desc: .object(r.object), parts: parts)
  }
}
