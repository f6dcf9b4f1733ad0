import LyraNN
import LyraTensor

/// MobileNetV2's inverted residual (Sandler et al. 2018): `expand` 1×1 (omitted when the
/// expansion is 1) → `depthwise` 3×3 (carrying the stride) → `project` 1×1 without
/// activation, ReLU6 after the first two; the input is added back when the block keeps
/// both resolution and width.
public final class InvertedResidualBlock: Block {
  private let body: [Operator]
  public let residual: Bool

  init(_ inChannels: Int, _ outChannels: Int, stride: Int, expansion: Int) {
    let hidden = inChannels * expansion
    var parts: [(String, Operator)] = []
    if expansion != 1 { parts.append(("expand", Operator(inChannels, hidden, kernel: 1, activation: .relu6))) }
    parts.append(("depthwise", Operator(hidden, hidden, kernel: 3, stride: stride, groups: hidden, activation: .relu6)))
    parts.append(("project", Operator(hidden, outChannels, kernel: 1)))
    body = parts.map(\.1)
    residual = stride == 1 && inChannels == outChannels
    super.init()
    for (n, op) in parts { register(child: n, op) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    var h = x
    for op in body { h = try op(h) }
    return residual ? x + h : h
  }

  public override var summary: String {
    "\(body[0].inChannels) -> \(body[body.count - 1].outChannels)\(residual ? ", residual" : "")"
  }
}
