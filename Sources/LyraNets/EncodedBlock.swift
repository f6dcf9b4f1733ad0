import LyraNN
import LyraTensor

/// One DNet block (VEGA's `EncodedBlock`): a chain of operators `layer1…layerN`, each
/// reading ReLU of the previous output (the first reads the block input), with add /
/// concat links between outputs applied right after their target layer, and the implicit
/// residual from the block input to the last layer. Links that change stride or width go
/// through 1×1 conv+BN projections named `skip<k>` (k = the link's place in application
/// order) and `shortcut` (the residual). The block returns ReLU of its last output.
public final class EncodedBlock: Block, GraphDescribed {
  private let layers: [Operator]
  private let links: [(link: DNetCode.Link, projection: Operator?)]

  init(_ plan: DNetPlan.BlockPlan) {
    layers = plan.layers.map { l in
      l.op == .conv3Separable
        ? Operator.separable(l.inChannels, l.outChannels, stride: l.stride)
        : Operator(l.inChannels, l.outChannels, kernel: l.op == .conv1 ? 1 : 3, stride: l.stride, groups: l.groups)
    }
    links = plan.links.map { p in
      (p.link, p.projection.map { Operator($0.inChannels, $0.outChannels, kernel: 1, stride: $0.stride) })
    }
    super.init()
    for (i, op) in layers.enumerated() { register(child: "layer\(i + 1)", op) }
    for (k, l) in links.enumerated() {
      if let p = l.projection { register(child: k == links.count - 1 ? "shortcut" : "skip\(k + 1)", p) }
    }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    var outs = [x]
    var current = x
    var li = 0
    for (i, layer) in layers.enumerated() {
      outs.append(try layer(current))
      let isLast = i == layers.count - 1
      while li < links.count, links[li].link.to == i + 1 {
        let (link, projection) = links[li]
        li += 1
        let source = try projection?(outs[link.from]) ?? outs[link.from]
        let target = outs[link.to]
        var a = source.shape, b = target.shape
        if link.kind == .concat, a.count == 4, b.count == 4 {
          a[1] = 0
          b[1] = 0
        }
        guard a == b else {
          throw ShapeError("EncodedBlock: link \(link.token) joins \(source.shape) into \(target.shape) for input \(x.shape)")
        }
        switch link.kind {
        case .add:
          // the residual into the last layer ends the block: sum and ReLU in one sweep
          if isLast, li == links.count { return Tensor.addRelu(source, target) }
          outs[link.to] = source + target
        case .concat:
          outs[link.to] = Tensor.cat([source, target], dim: 1)
        }
      }
      current = outs[i + 1].relu()
    }
    return current
  }

  /// The same wiring as `forward`, as data (the ONNX exporter writes it out).
  public var graph: [GraphStep] {
    var steps: [GraphStep] = []
    func value(_ s: GraphStep) -> Int {
      steps.append(s)
      return steps.count
    }
    var outs = [0]
    var current = 0
    var li = 0
    for (i, _) in layers.enumerated() {
      outs.append(value(.child("layer\(i + 1)", input: current)))
      while li < links.count, links[li].link.to == i + 1 {
        let (link, projection) = links[li]
        let name = li == links.count - 1 ? "shortcut" : "skip\(li + 1)"
        li += 1
        let source = projection == nil ? outs[link.from] : value(.child(name, input: outs[link.from]))
        switch link.kind {
        case .add: outs[link.to] = value(.add(source, outs[link.to]))
        case .concat: outs[link.to] = value(.concat([source, outs[link.to]]))
        }
      }
      current = value(.relu(outs[i + 1]))
    }
    return steps
  }

  public override var summary: String {
    let codes = layers.count
    return "\(layers[0].inChannels) -> \(layers[codes - 1].outChannels), \(codes) layer\(codes == 1 ? "" : "s")"
  }
}
