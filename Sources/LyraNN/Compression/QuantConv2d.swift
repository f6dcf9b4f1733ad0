import LyraBase
import LyraKernels
import LyraTensor

/// A convolution that computes with `bits`-bit weights (symmetric, one scale per output
/// channel) and, optionally, `activationBits`-bit inputs: quantisation-aware training as
/// Jacob et al. (CVPR 2018), gradients by the straight-through estimator (`FakeQuant`).
///
/// It keeps float "shadow" weights under the same names as `Conv2d` (`weight`, `bias`), so
/// a float checkpoint loads into it and the optimiser updates it as usual; the integers and
/// scales are derived from them (`QuantizedCheckpoint` stores those instead).
public final class QuantConv2d: Module, QuantizedLayer, Conv2dGeometry {
  public let inChannels: Int
  public let outChannels: Int
  public let kernel: Window2d
  public let stride: Window2d
  public let padding: Window2d
  public let dilation: Window2d
  public let groups: Int
  public let bits: Int
  public let activationBits: Int?
  public var weight: Tensor { ownParameters[0].tensor }
  public var bias: Tensor? { ownParameters.count > 1 ? ownParameters[1].tensor : nil }
  /// [lo, hi] of the inputs seen in training (only with activation quantisation).
  public var activationRange: Tensor? { ownBuffers.first?.tensor }
  let integerWeights = QuantizedWeightCache()

  /// A quantised copy of `conv` (its weights are copied, not shared).
  public init(_ conv: Conv2d, bits: Int, activationBits: Int? = nil) {
    precondition(QuantScheme.bitRange.contains(bits), "QuantConv2d: bits must be in \(QuantScheme.bitRange), got \(bits)")
    precondition(activationBits.map { QuantScheme.bitRange.contains($0) } ?? true, "QuantConv2d: activation bits must be in \(QuantScheme.bitRange)")
    inChannels = conv.inChannels
    outChannels = conv.outChannels
    kernel = conv.kernel
    stride = conv.stride
    padding = conv.padding
    dilation = conv.dilation
    groups = conv.groups
    self.bits = bits
    self.activationBits = activationBits
    super.init()
    register(parameter: "weight", conv.weight.detach().clone())
    if let b = conv.bias { register(parameter: "bias", b.detach().clone()) }
    if activationBits != nil { register(buffer: "activation_range", Tensor.zeros([2])) }
  }

  func checkInput(_ x: Tensor) throws {
    try ShapeError.check("QuantConv2d", x, rank: 4, dim: 1, size: inChannels, expected: "input [N, \(inChannels), H, W]")
    let eh = dilation.h * (kernel.h - 1) + 1, ew = dilation.w * (kernel.w - 1) + 1
    if x.shape[2] + 2 * padding.h < eh || x.shape[3] + 2 * padding.w < ew {
      throw ShapeError("QuantConv2d: input \(ShapeText.format(x.shape)) is smaller than the \(eh)x\(ew) kernel window (with padding \(padding.h))")
    }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    if let y = try integerForward(x) { return y }
    try checkInput(x)
    let xq = activationBits.map { FakeQuant.activation(x, range: activationRange!, bits: $0, training: training) } ?? x
    return Tensor.conv2d(xq, FakeQuant.weight(weight, bits: bits), bias, stride: stride, padding: padding,
                         dilation: dilation, groups: groups)
  }

  /// The float layer this one quantises (same weights), for export or comparison.
  public func float() -> Conv2d {
    let c = Conv2d(inChannels, outChannels, kernel: kernel, stride: stride, padding: padding, dilation: dilation,
                   groups: groups, bias: bias != nil, generator: ModuleRewrite.scratch)
    ModuleRewrite.assign(c.weight, weight)
    if let b = bias, let cb = c.bias { ModuleRewrite.assign(cb, b) }
    return c
  }

  public override var summary: String { geometrySummary + bitsSummary }

  /// `Conv2d`'s arguments plus `bits` and `activation_bits`, so the registry rebuilds it.
  public override var arguments: [String: JSON] { geometryArguments.merging(bitsArguments) { _, b in b } }
}
