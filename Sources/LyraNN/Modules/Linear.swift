import LyraBase
import LyraKernels
import LyraTensor

/// y = x Wᵀ + b over the last dimension; weight [out, in], bias [out].
/// Initialised as PyTorch's `nn.Linear` (Kaiming-uniform a = √5, bias U(±1/√in)).
public final class Linear: Module, LinearFeatures {
  public let inFeatures: Int
  public let outFeatures: Int
  public var weight: Tensor { ownParameters[0].tensor }
  public var bias: Tensor? { ownParameters.count > 1 ? ownParameters[1].tensor : nil }
  /// The weight packed for inference (evaluation mode, no gradient), kept between calls.
  let packedWeight = PackedGemmWeight()
  /// Whether evaluation-mode layers keep a packed weight (`Tensor.linear`'s `packed`): a switch
  /// for the A/B in docs/performance.md.
  nonisolated(unsafe) public static var prepackedInference = true

  public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, generator: Generator? = nil) {
    precondition(inFeatures > 0 && outFeatures > 0, "Linear: features must be positive, got \(inFeatures) -> \(outFeatures)")
    self.inFeatures = inFeatures
    self.outFeatures = outFeatures
    super.init()
    let g = generator ?? Tensor.defaultGenerator
    register(parameter: "weight", Tensor(Init.torchDefaultWeight(inFeatures * outFeatures, fanIn: inFeatures, generator: g),
                                         shape: [outFeatures, inFeatures]))
    if bias { register(parameter: "bias", Tensor(Init.torchDefaultBias(outFeatures, fanIn: inFeatures, generator: g))) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("Linear", x, dim: -1, size: inFeatures, expected: "input [..., \(inFeatures)]")
    return Tensor.linear(x, weight, bias, packed: training || !Linear.prepackedInference ? nil : packedWeight)
  }
  public override var summary: String { featuresSummary }
  public override var arguments: [String: JSON] { featuresArguments }
}

/// What a linear layer's printout and description say, shared by `Linear` and
/// `QuantLinear` (which adds its bit widths).
protocol LinearFeatures {
  var inFeatures: Int { get }
  var outFeatures: Int { get }
  var bias: Tensor? { get }
}

extension LinearFeatures {
  /// "5 -> 3" or "5 -> 3, no bias".
  var featuresSummary: String { "\(inFeatures) -> \(outFeatures)\(bias == nil ? ", no bias" : "")" }
  /// The description's keys (`ModuleRegistry`'s "Linear" builder reads them back).
  var featuresArguments: [String: JSON] {
    ["in_features": JSON(inFeatures), "out_features": JSON(outFeatures), "bias": .bool(bias != nil)]
  }
}
