import LyraBase
import LyraNN

/// A quantised ResNet written as data: VEGA's QuantEA puts `nbit_w_list` and `nbit_a_list`
/// into the network description (its QuantCodec's decode), one width per convolution
/// after the first — VEGA's Quantizer leaves the stem convolution in float
/// (`skip_1st_layer`). Here those convolutions become `QuantConv2d` (quantisation-aware,
/// straight-through gradients), so the description alone rebuilds the quantised network:
/// a later `TrainPipeStep` on the search's output trains the same quantised model, as
/// VEGA's fully_train with QuantTrainerCallback does.
///
/// Order of the widths: block by block, each block's body convolutions then its shortcut
/// projection (when it has one). A width of 32 leaves that convolution in float; an
/// activation width on a float convolution is not used (LyraNN quantises inputs only in
/// a quantised layer).
public enum ResNetQuantization {
  static let weightKey = "nbit_w_list"
  static let activationKey = "nbit_a_list"

  /// Convolutions after the stem, the length of each list.
  static func layerCount(_ plan: ResNetPlan) -> Int {
    plan.blocks.reduce(0) { $0 + $1.convs.count + ($1.projects ? 1 : 0) }
  }

  /// (weight bits, activation bits) per convolution after the stem; nil when neither key is set.
  static func read(_ r: DescriptionReader, plan: ResNetPlan) throws -> [(Int?, Int?)]? {
    let w = r.raw(weightKey), a = r.raw(activationKey)
    guard (w != nil && w != .null) || (a != nil && a != .null) else { return nil }
    let n = layerCount(plan)
    func widths(_ key: String, _ v: JSON?) throws -> [Int?] {
      guard let v, v != .null else { return [Int?](repeating: nil, count: n) }
      guard let list = v.array, list.count == n else {
        throw DescriptionError("\(r.path).\(key): expected a list of \(n) bit widths (one per convolution after the stem, "
                               + "each block's convolutions then its shortcut), got \(v.text)")
      }
      return try list.enumerated().map { i, e in
        guard let b = e.int, QuantScheme.bitRange.contains(b) || b == Quantization.floatBits else {
          throw DescriptionError("\(r.path).\(key)[\(i + 1)]: expected a width in \(QuantScheme.bitRange.lowerBound)…\(QuantScheme.bitRange.upperBound) or 32 (float), got \(e.text)")
        }
        return b == Quantization.floatBits ? nil : b
      }
    }
    let ws = try widths(weightKey, w), acts = try widths(activationKey, a)
    return zip(ws, acts).map { ($0, $0 == nil ? nil : $1) }
  }

  /// The flat list cut into each block's share (body convolutions, then the shortcut).
  static func perBlock(_ flat: [(Int?, Int?)], plan: ResNetPlan) -> [[(Int?, Int?)]] {
    var out: [[(Int?, Int?)]] = [], at = 0
    for b in plan.blocks {
      let n = b.convs.count + (b.projects ? 1 : 0)
      out.append(Array(flat[at..<(at + n)]))
      at += n
    }
    return out
  }

  /// How many convolutions of a `ResNetGeneral` (or `ResNet`) description QuantEA searches
  /// widths for (VEGA: 20 for the CIFAR ResNet-20, so a 40-long genome with activations).
  public static func layers(_ desc: JSON, path: String) throws -> Int {
    layerCount(try ResNetPruning.plan(desc, path: path))
  }

  /// `desc` with the searched widths written in (`activationBits` nil: float inputs).
  public static func quantized(_ desc: JSON, bits: [Int], activationBits: [Int]?) -> JSON {
    var o = desc.object ?? [:]
    o[weightKey] = .array(bits.map { JSON($0) })
    if let a = activationBits { o[activationKey] = .array(a.map { JSON($0) }) } else { o.removeValue(forKey: activationKey) }
    return .object(o)
  }
}
