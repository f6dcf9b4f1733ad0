import LyraKernels
import LyraTensor

/// A linear layer that computes with `bits`-bit weights (symmetric, one scale per output
/// feature) and, optionally, `activationBits`-bit inputs; see `QuantConv2d`.
public final class QuantLinear: Module, QuantizedLayer, LinearFeatures {
  public let inFeatures: Int
  public let outFeatures: Int
  public let bits: Int
  public let activationBits: Int?
  public var weight: Tensor { ownParameters[0].tensor }
  public var bias: Tensor? { ownParameters.count > 1 ? ownParameters[1].tensor : nil }
  public var activationRange: Tensor? { ownBuffers.first?.tensor }
  let integerWeights = QuantizedWeightCache()

  /// A quantised copy of `linear` (its weights are copied, not shared).
  public init(_ linear: Linear, bits: Int, activationBits: Int? = nil) {
    precondition(QuantScheme.bitRange.contains(bits), "QuantLinear: bits must be in \(QuantScheme.bitRange), got \(bits)")
    precondition(activationBits.map { QuantScheme.bitRange.contains($0) } ?? true, "QuantLinear: activation bits must be in \(QuantScheme.bitRange)")
    inFeatures = linear.inFeatures
    outFeatures = linear.outFeatures
    self.bits = bits
    self.activationBits = activationBits
    super.init()
    register(parameter: "weight", linear.weight.detach().clone())
    if let b = linear.bias { register(parameter: "bias", b.detach().clone()) }
    if activationBits != nil { register(buffer: "activation_range", Tensor.zeros([2])) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("QuantLinear", x, dim: -1, size: inFeatures, expected: "input [..., \(inFeatures)]")
    if let y = try integerForward(x) { return y }
    let xq = activationBits.map { FakeQuant.activation(x, range: activationRange!, bits: $0, training: training) } ?? x
    return Tensor.linear(xq, FakeQuant.weight(weight, bits: bits), bias)
  }

  /// The float layer this one quantises (same weights).
  public func float() -> Linear {
    let l = Linear(inFeatures, outFeatures, bias: bias != nil, generator: ModuleRewrite.scratch)
    ModuleRewrite.assign(l.weight, weight)
    if let b = bias, let lb = l.bias { ModuleRewrite.assign(lb, b) }
    return l
  }

  public override var summary: String { featuresSummary + bitsSummary }
  public override var arguments: [String: JSON] { featuresArguments.merging(bitsArguments) { _, b in b } }
}
