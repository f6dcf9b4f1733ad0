import Foundation
import LyraTensor

/// A quantised model on disk with its weights as integers: each quantised layer's weight
/// is stored as `<layer>.weight` (I8, or U8-packed for 4 and 2 bits: `QuantPacking`) with
/// its float scales as `<layer>.weight_scale` (F32, one per output channel); every other
/// tensor is F32 as in `Checkpoint`, and the JSON description sits beside the weights.
///
/// Why: this is the file whose size `Quantization.sizeBits` predicts, the form an integer
/// inference engine consumes (Jacob et al., CVPR 2018: int weights, per-channel scales).
/// Loading dequantises into the layers' float shadow weights, which then quantise back
/// to the very same integers.
public enum QuantizedCheckpoint {
  public static func save(_ model: Module, to path: String, metadata: [String: String] = [:]) throws {
    var st = SafeTensors(metadata: metadata.merging([
      "format": "pt", "producer": "lyra",
      "lyra.quantization": "symmetric per-output-channel; <layer>.weight holds integers (I8, or U8 packed low bits first for 4/2 bits), <layer>.weight_scale the F32 scales",
    ]) { a, _ in a })
    var done: Set<String> = []
    for (name, m) in model.namedModules() {
      guard let q = m as? QuantizedLayer else { continue }
      let key = name.isEmpty ? "weight" : name + ".weight"
      let (ints, scales) = q.quantizedWeight()
      st.entries[key] = QuantPacking.entry(ints, bits: q.bits, shape: q.weight.shape)
      st.entries[key + "_scale"] = .init(floats: scales, shape: [scales.count])
      done.insert(key)
    }
    for (name, t) in model.stateDict() where !done.contains(name) {
      st.entries[name] = .init(floats: t.toArray(), shape: t.shape)
    }
    try st.write(to: path)
    let desc = Data(model.describe().description.utf8)
    try desc.write(to: URL(fileURLWithPath: Checkpoint.descriptionPath(for: path)), options: .atomic)
  }

  /// Rebuilds the model from its description and loads the integer weights.
  public static func load(_ path: String) throws -> Module {
    let model = try Checkpoint.buildDescribed(path)
    try loadWeights(into: model, from: path)
    return model
  }

  /// Loads a file written by `save` into a model of the same architecture (strict names,
  /// shapes, dtypes and integer ranges; nothing is changed unless all match).
  public static func loadWeights(into model: Module, from path: String) throws {
    let st = try SafeTensors.read(from: path)
    var state: [String: Tensor] = [:]
    var consumed: Set<String> = []
    for (name, m) in model.namedModules() {
      guard let q = m as? QuantizedLayer else { continue }
      let key = name.isEmpty ? "weight" : name + ".weight", shape = q.weight.shape
      guard let e = st.entries[key], let s = st.entries[key + "_scale"] else {
        throw CompressionError("\(path): missing \(key) or \(key)_scale for the \(q.bits)-bit layer \(name)")
      }
      let ints = try QuantPacking.ints(e, bits: q.bits, shape: shape, name: "\(path): \(key)")
      let scales = s.floats()
      guard s.dtype == .f32, scales.count == shape[0] else {
        throw CompressionError("\(path): \(key)_scale must be F32 [\(shape[0])], found \(s.dtype.rawValue) \(s.shape)")
      }
      state[key] = Tensor(QuantScheme.dequantize(ints, scales: scales), shape: shape)
      consumed.formUnion([key, key + "_scale"])
    }
    for (name, e) in st.entries where !consumed.contains(name) { state[name] = Tensor(e.floats(), shape: e.shape) }
    do { try model.loadStateDict(state) } catch { throw DescriptionError("\(path): \(error)") }
  }
}
