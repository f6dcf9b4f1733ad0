import LyraNN
import LyraTensor

/// ResNet's residual unit, basic (conv1 3×3, conv2 3×3) or bottleneck (conv1 1×1,
/// conv2 3×3, conv3 1×1): ReLU(body(x) + shortcut(x)). The shortcut is the identity, or a
/// 1×1 conv+BN projection (`shortcut`) whenever the block changes resolution or width, so
/// any per-block or per-conv width choice still gives a valid residual.
public final class ResidualBlock: Block {
  private let body: [Operator]
  private let shortcut: Operator?

  /// `quant`: (weight bits, activation bits) of each conv, body then shortcut (nil: float).
  init(_ plan: ResNetPlan.BlockPlan, quant: [(Int?, Int?)]? = nil) {
    body = plan.convs.enumerated().map { i, c in
      Operator(c.inChannels, c.outChannels, kernel: c.kernel, stride: c.stride,
               activation: i == plan.convs.count - 1 ? .none : .relu, bits: quant?[i].0, activationBits: quant?[i].1)
    }
    let q = quant.flatMap { $0.count > plan.convs.count ? $0[plan.convs.count] : nil }
    shortcut = plan.projects ? Operator(plan.inChannels, plan.outChannels, kernel: 1, stride: plan.stride, bits: q?.0, activationBits: q?.1) : nil
    super.init()
    for (i, op) in body.enumerated() { register(child: "conv\(i + 1)", op) }
    if let shortcut { register(child: "shortcut", shortcut) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    var h = x
    for op in body { h = try op(h) }
    let s = try shortcut?(x) ?? x
    guard h.shape == s.shape else {
      throw ShapeError("ResidualBlock: body gives \(h.shape), shortcut gives \(s.shape) for input \(x.shape)")
    }
    return Tensor.addRelu(h, s)
  }

  public override var summary: String {
    "\(body[0].inChannels) -> \(body[body.count - 1].outChannels)\(body.count == 3 ? ", bottleneck" : "")"
  }
}
