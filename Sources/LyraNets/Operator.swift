import LyraNN
import LyraTensor

/// The paper's Operator level: the smallest unit a fine-grained search space addresses,
/// one convolution (or a depthwise-separable pair) with batch norm and an optional activation.
///
/// Its parts are named `conv` (or `dw` and `pw`), `bn` and `act`, so every weight has a
/// stable dotted name (`backbone.stage2.block1.conv1.conv.weight`). It runs them through a
/// private `Sequential`, so LyraNN's fusions (BN+ReLU while training, conv+BN folding in
/// inference) and the tracer's per-layer records apply exactly as for hand-built models.
public final class Operator: Module {
  /// What follows batch norm.
  public enum Activation: String, Sendable { case none, relu, relu6 }

  public let inChannels: Int
  public let outChannels: Int
  public let activation: Activation
  private let chain: Sequential

  /// A `kernel`×`kernel` convolution (padding `kernel / 2`, no bias), batch norm, activation.
  /// Channels must divide by `groups` (callers check first and report the layer by name).
  /// With `bits`, the convolution is a `QuantConv2d` computing with `bits`-bit weights and,
  /// with `activationBits`, that many bits of input (a quantised ResNet's `nbit_w_list`,
  /// `nbit_a_list`: VEGA's QuantEA).
  public convenience init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, groups: Int = 1,
                          activation: Activation = .none, bits: Int? = nil, activationBits: Int? = nil) {
    let conv = Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, groups: groups, bias: false)
    let layer: Module = bits.map { QuantConv2d(conv, bits: $0, activationBits: activationBits) } ?? conv
    self.init(convs: [("conv", layer)], inChannels: inChannels, outChannels: outChannels, activation: activation)
  }

  /// Depthwise 3×3 (`dw`, carrying the stride) then pointwise 1×1 (`pw`), one batch norm:
  /// the separable convolution of DNet's operator 6 (no norm between the two, as VEGA).
  public static func separable(_ inChannels: Int, _ outChannels: Int, stride: Int = 1,
                               activation: Activation = .none) -> Operator {
    let dw = Conv2d(inChannels, inChannels, 3, stride: stride, padding: 1, groups: inChannels, bias: false)
    let pw = Conv2d(inChannels, outChannels, 1, bias: false)
    return Operator(convs: [("dw", dw), ("pw", pw)], inChannels: inChannels, outChannels: outChannels, activation: activation)
  }

  private init(convs: [(String, Module)], inChannels: Int, outChannels: Int, activation: Activation) {
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.activation = activation
    var parts: [(String, Module)] = convs.map { ($0.0, $0.1) }
    parts.append(("bn", BatchNorm2d(outChannels)))
    switch activation {
    case .none: break
    case .relu: parts.append(("act", ReLU()))
    case .relu6: parts.append(("act", ReLU6()))
    }
    chain = Sequential(parts.map(\.1))
    super.init()
    for (n, m) in parts { register(child: n, m) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor { try chain.forward(x) }

  /// The convolutions, in order (one, or depthwise then pointwise).
  public var convolutions: [Conv2d] { children.compactMap { $0.module as? Conv2d } }

  public override var summary: String {
    let c = convolutions
    if c.isEmpty, let q = children.first?.module as? QuantConv2d {
      let s = q.stride.h > 1 ? ", stride \(q.stride.h)" : ""
      return "\(inChannels) -> \(outChannels), \(q.kernel.h)x\(q.kernel.w)\(s), \(q.bits)-bit\(activation == .none ? "" : ", \(activation.rawValue)")"
    }
    let k = c.count == 2 ? "sep3x3" : "\(c[0].kernel.h)x\(c[0].kernel.w)"
    let s = c[0].stride.h
    let g = c.count == 1 && c[0].groups > 1 ? ", groups \(c[0].groups)" : ""
    return "\(inChannels) -> \(outChannels), \(k)\(s > 1 ? ", stride \(s)" : "")\(g)\(activation == .none ? "" : ", \(activation.rawValue)")"
  }
}
