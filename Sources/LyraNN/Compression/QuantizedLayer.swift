import LyraTensor

/// What quantised layers share: the bit widths, the float shadow weight whose rows are
/// the output channels, and the integers and scales derived from it.
public protocol QuantizedLayer: Module {
  var bits: Int { get }
  var activationBits: Int? { get }
  /// The float weight the optimiser trains; row r is output channel r.
  var weight: Tensor { get }
  var bias: Tensor? { get }
  /// [lo, hi] of the inputs seen in training (only with activation quantisation).
  var activationRange: Tensor? { get }
}

extension QuantizedLayer {
  /// The weight's integers (in −qmax…qmax) and per-output-channel scales.
  public func quantizedWeight() -> (ints: [Int8], scales: [Float]) {
    QuantScheme.quantize(weight.contiguous().toArray(), rows: weight.shape[0], bits: bits)
  }

  /// ", 4-bit" or ", 4-bit, 8-bit inputs": what a quantised layer's printout adds.
  var bitsSummary: String { ", \(bits)-bit" + (activationBits.map { ", \($0)-bit inputs" } ?? "") }

  /// `bits` and, when inputs are quantised, `activation_bits`: what its description adds.
  var bitsArguments: [String: JSON] {
    var a: [String: JSON] = ["bits": JSON(bits)]
    if let ab = activationBits { a["activation_bits"] = JSON(ab) }
    return a
  }

  /// The weight exactly as the layer computes with it (integers times scales).
  public func effectiveWeight() -> Tensor {
    let (q, s) = quantizedWeight()
    return Tensor(QuantScheme.dequantize(q, scales: s), shape: weight.shape)
  }
}

extension QuantConv2d: CountsMACs {
  public func macs(input: [Int], output: [Int]) -> Int {
    output.reduce(1, *) * (inChannels / groups) * kernel.h * kernel.w
  }
}

extension QuantLinear: CountsMACs {
  public func macs(input: [Int], output: [Int]) -> Int { output.reduce(1, *) * inFeatures }
}

extension ModuleRegistry {
  /// Builders of the quantised layers, from the float layers' builders (same keys, same
  /// checks) plus `bits` and the optional `activation_bits`.
  static func quantizedBuilders(conv: @escaping Builder, linear: @escaping Builder) -> [String: Builder] {
    func widths(_ r: DescriptionReader) throws -> (Int, Int?) {
      let bits = try r.int("bits")
      let act = try r.optionalInt("activation_bits")
      for (key, b) in [("bits", bits), ("activation_bits", act)] {
        if let b, !QuantScheme.bitRange.contains(b) {
          throw DescriptionError("\(r.path).\(key): must be in \(QuantScheme.bitRange.lowerBound)...\(QuantScheme.bitRange.upperBound), got \(b)")
        }
      }
      return (bits, act)
    }
    return [
      "QuantConv2d": { r in
        let c = try conv(r) as! Conv2d
        let (b, a) = try widths(r)
        return QuantConv2d(c, bits: b, activationBits: a)
      },
      "QuantLinear": { r in
        let l = try linear(r) as! Linear
        let (b, a) = try widths(r)
        return QuantLinear(l, bits: b, activationBits: a)
      },
    ]
  }
}
