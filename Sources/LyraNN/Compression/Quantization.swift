import LyraTensor

/// Per-layer quantisation (VEGA's QuantEA searches the bits of each layer on accuracy and
/// model size; the layers train quantisation-aware as Jacob et al., CVPR 2018).
///
/// The quantisable layers are the `Conv2d`, `Linear`, `QuantConv2d` and `QuantLinear`
/// modules reachable through LyraNN's containers (`Sequential`, `Add`, `Concat`), in the
/// order `namedModules()` lists them (execution order for sequential networks). Layers
/// inside other modules (LyraNets' `Operator` and blocks, whose descriptions are the
/// network's high-level ones) are not reached: such a network has no quantisable layers.
public enum Quantization {
  /// A bit width that leaves the layer in float (32-bit) arithmetic.
  public static let floatBits = 32

  /// Dotted names of the quantisable layers, the order `apply` takes bits in.
  public static func layers(_ model: Module) -> [String] {
    var out: [String] = []
    func visit(_ m: Module, _ name: String) {
      switch m {
      case is Conv2d, is Linear, is QuantConv2d, is QuantLinear: out.append(name)
      case is Sequential, is Add, is Concat: for c in m.children { visit(c.module, name.isEmpty ? c.name : name + "." + c.name) }
      default: break
      }
    }
    visit(model, "")
    return out
  }

  /// A new model whose i-th quantisable layer computes with `bits[i]`-bit weights (2…8;
  /// 32 keeps it float) and, when `activationBits` is given, `activationBits[i]`-bit
  /// inputs (nil or 32: float inputs). Weights are copied; `model` is not changed.
  public static func apply(_ model: Module, bits: [Int], activationBits: [Int?]? = nil) throws -> Module {
    let names = layers(model)
    guard bits.count == names.count else {
      throw CompressionError("Quantization.apply: \(bits.count) bit widths for \(names.count) quantisable layers")
    }
    if let a = activationBits, a.count != names.count {
      throw CompressionError("Quantization.apply: \(a.count) activation bit widths for \(names.count) quantisable layers")
    }
    func width(_ b: Int?, _ i: Int, _ what: String) throws -> Int? {
      guard let b, b != floatBits else { return nil }
      guard QuantScheme.bitRange.contains(b) else {
        throw CompressionError("Quantization.apply: \(what) \(b) for layer \(names[i]) must be \(QuantScheme.bitRange.lowerBound)...\(QuantScheme.bitRange.upperBound) or \(floatBits)")
      }
      return b
    }
    var plan: [String: (Int?, Int?)] = [:]
    for (i, n) in names.enumerated() {
      plan[n] = (try width(bits[i], i, "bits"), try width(activationBits?[i] ?? nil, i, "activation bits"))
    }
    return try ModuleRewrite.rebuild(model) { name, m in
      guard let (w, a) = plan[name] else { return nil }
      let float: Module = (m as? QuantConv2d)?.float() ?? (m as? QuantLinear)?.float() ?? m
      guard let w else { return float === m ? nil : float } // 32 bits: a float layer
      switch float {
      case let c as Conv2d: return QuantConv2d(c, bits: w, activationBits: a)
      case let l as Linear: return QuantLinear(l, bits: w, activationBits: a)
      default: return nil
      }
    }
  }

  /// The model's size in bits as stored by `QuantizedCheckpoint`: each quantised weight
  /// takes its layer's bits, plus one 32-bit scale per output channel; every other
  /// parameter (biases, batch norm, float layers) takes 32 bits. Buffers (running
  /// statistics, activation ranges) are not counted: they fold into the layers at inference.
  public static func sizeBits(_ model: Module) -> Int {
    var total = 0
    for (_, m) in model.namedModules() {
      for (name, t) in m.ownParameters {
        if let q = m as? QuantizedLayer, name == "weight" {
          total += t.count * q.bits + t.shape[0] * 32
        } else {
          total += t.count * 32
        }
      }
    }
    return total
  }
}
